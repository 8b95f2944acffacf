import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { environmentBearer } from '@app/modules/environments/environment-bearer';
import type { Environment } from '@app/modules/environments/environment.entity';
import { EnvironmentsCache } from '@app/modules/environments/environments.cache';
import { draftInput, type GenerateTokenBody } from './dto/generate-token.dto';
import type { TokenView } from './token.entity';
import { tokenNotFound } from './token.errors';
import { TokenBearers } from './token-bearers';
import { TokenIssuer } from './token-issuer';
import { callerOf, environmentTokensPolicy, tokenPolicy } from './token.policy';
import { TokensRepository } from './tokens.repository';

/** `/environments/{id|code}/tokens[/{tid}]` (spec 01 §3.1): the environment's own tokens. */
@Injectable()
export class EnvironmentTokensService {
  constructor(
    private readonly repo: TokensRepository,
    private readonly environments: EnvironmentsCache,
    private readonly bearers: TokenBearers,
    private readonly issuer: TokenIssuer,
  ) {}

  async index(
    ctx: RequestContext,
    environmentId: string,
    pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    const caller = callerOf(ctx);
    const env = await this.findEnvironment(ctx, environmentId);
    enforce(environmentTokensPolicy.index(caller));
    const page = await this.repo.listOfBearer(
      ctx.scope,
      tokenPolicy.scope(caller.bearer),
      { type: 'environments', id: env.id },
      pagination,
    );
    await this.bearers.attach(ctx, page.rows);
    return page;
  }

  async show(ctx: RequestContext, environmentId: string, tokenId: string): Promise<TokenView> {
    const caller = callerOf(ctx);
    const env = await this.findEnvironment(ctx, environmentId);
    const token = isUuidLike(tokenId)
      ? await this.repo.findOfBearer(
          ctx.scope,
          { type: 'environments', id: env.id },
          normalizeUuid(tokenId),
        )
      : null;
    if (!token) {
      throw tokenNotFound(tokenId);
    }
    await this.bearers.attach(ctx, [token]);
    enforce(environmentTokensPolicy.show(caller, await this.bearers.record(ctx, token)));
    return token;
  }

  /** Only inside that environment: the token lives there, and writes are strict. */
  async create(
    ctx: RequestContext,
    environmentId: string,
    params: ParamsThunk<GenerateTokenBody>,
  ): Promise<TokenView> {
    const caller = callerOf(ctx);
    const env = await this.findEnvironment(ctx, environmentId);
    const body = params();
    const bearer = environmentBearer(env);
    const draft = this.issuer.draft(
      ctx,
      bearer,
      { type: 'environments', id: env.id },
      draftInput(body),
      env.id,
    );
    enforce(environmentTokensPolicy.create(caller, { environmentId: draft.token.environmentId }));
    return this.issuer.persist(ctx, draft);
  }

  /** By id or code; admin-family may address any, an environment only itself (else 404). */
  private async findEnvironment(ctx: RequestContext, value: string): Promise<Environment> {
    const env = await this.environments.resolve(ctx.account.account.id, value);
    if (!env || !ctx.bearer || !environmentTokensPolicy.canAddress(ctx.bearer, env.id)) {
      throw NotFoundError.record('environment', value);
    }
    return env;
  }
}
