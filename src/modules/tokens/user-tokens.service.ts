import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { userBearer } from '@app/modules/users/user-bearer';
import type { User } from '@app/modules/users/user.entity';
import { userScope } from '@app/modules/users/user.policy';
import { UsersRepository } from '@app/modules/users/users.repository';
import { draftInput, type GenerateTokenBody } from './dto/generate-token.dto';
import type { TokenView } from './token.entity';
import { tokenNotFound } from './token.errors';
import { TokenBearers } from './token-bearers';
import { TokenIssuer } from './token-issuer';
import { callerOf, tokenPolicy, userTokensPolicy, type TokenOwnerUser } from './token.policy';
import { TokensRepository } from './tokens.repository';

/** `/users/{id}/tokens[/{tid}]` (spec 01 §5.1, §6.1). */
@Injectable()
export class UserTokensService {
  constructor(
    private readonly repo: TokensRepository,
    private readonly users: UsersRepository,
    private readonly bearers: TokenBearers,
    private readonly issuer: TokenIssuer,
  ) {}

  async index(
    ctx: RequestContext,
    userId: string,
    pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    const caller = callerOf(ctx);
    const user = await this.findUser(ctx, userId);
    enforce(userTokensPolicy.index(caller, await this.owner(ctx, user)));
    const page = await this.repo.listOfBearer(
      ctx.scope,
      tokenPolicy.scope(caller.bearer),
      { type: 'users', id: user.id },
      pagination,
    );
    await this.bearers.attach(ctx, page.rows);
    return page;
  }

  async show(ctx: RequestContext, userId: string, tokenId: string): Promise<TokenView> {
    const caller = callerOf(ctx);
    const user = await this.findUser(ctx, userId);
    const token = isUuidLike(tokenId)
      ? await this.repo.findOfBearer(
          ctx.scope,
          { type: 'users', id: user.id },
          normalizeUuid(tokenId),
        )
      : null;
    if (!token) {
      throw tokenNotFound(tokenId);
    }
    await this.bearers.attach(ctx, [token]);
    enforce(
      userTokensPolicy.show(
        caller,
        await this.owner(ctx, user),
        await this.bearers.record(ctx, token),
      ),
    );
    return token;
  }

  /** compat: answers 200, not 201, like Keygen. */
  async create(
    ctx: RequestContext,
    userId: string,
    params: ParamsThunk<GenerateTokenBody>,
  ): Promise<TokenView> {
    const caller = callerOf(ctx);
    const user = await this.findUser(ctx, userId);
    const body = params();
    const bearer = userBearer(user);
    const draft = this.issuer.draft(ctx, bearer, { type: 'users', id: user.id }, draftInput(body));
    enforce(
      userTokensPolicy.create(caller, await this.owner(ctx, user), {
        environmentId: draft.token.environmentId,
      }),
    );
    return this.issuer.persist(ctx, draft);
  }

  /** `{id|email}` within the caller's view of users; anything else is a 404. */
  private async findUser(ctx: RequestContext, value: string): Promise<User> {
    const user = await this.users.findByAlias(ctx.scope, userScope(ctx.bearer), value);
    if (!user) {
      throw NotFoundError.record('user', value);
    }
    return user;
  }

  private async owner(ctx: RequestContext, user: User): Promise<TokenOwnerUser> {
    const bearer = userBearer(user);
    return {
      id: user.id,
      role: user.role,
      productIds: await this.bearers.productIdsOf(ctx, bearer),
    };
  }
}
