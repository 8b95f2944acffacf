import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { Bearer } from '@app/common/auth/bearer';
import type { RequestContext } from '@app/common/context/request-context';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { draftInput, type GenerateTokenBody } from './dto/generate-token.dto';
import type { BearerType, TokenView } from './token.entity';
import { tokenNotFound } from './token.errors';
import { TokenBearers } from './token-bearers';
import { TokenIssuer, type TokenDraft } from './token-issuer';
import { callerOf, tokenPolicy } from './token.policy';
import { TokensRepository } from './tokens.repository';

/**
 * Token reads and issuing for one bearer, for the nested `/<bearers>/{id}/tokens`
 * routes other modules own (products, licenses). The owning module looks its bearer
 * up and authorizes with its own rules; this service only does the token work.
 */
@Injectable()
export class BearerTokensService {
  constructor(
    private readonly repo: TokensRepository,
    private readonly bearers: TokenBearers,
    private readonly issuer: TokenIssuer,
  ) {}

  /** The bearer's tokens within the scope and the caller's token access, bearers attached. */
  async list(
    ctx: RequestContext,
    ref: { type: BearerType; id: string },
    pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    const caller = callerOf(ctx);
    const page = await this.repo.listOfBearer(
      ctx.scope,
      tokenPolicy.scope(caller.bearer),
      ref,
      pagination,
    );
    await this.bearers.attach(ctx, page.rows);
    return page;
  }

  /** One of the bearer's tokens in any environment of the account (UUID only), else 404. */
  async find(
    ctx: RequestContext,
    ref: { type: BearerType; id: string },
    tokenId: string,
  ): Promise<TokenView> {
    const token = isUuidLike(tokenId)
      ? await this.repo.findOfBearer(ctx.scope, ref, normalizeUuid(tokenId))
      : null;
    if (!token) {
      throw tokenNotFound(tokenId);
    }
    await this.bearers.attach(ctx, [token]);
    return token;
  }

  /** A new token for the bearer built from the body (unknown permissions → 422 here). */
  draft(
    ctx: RequestContext,
    bearer: Bearer,
    ref: { type: BearerType; id: string },
    body: GenerateTokenBody,
  ): TokenDraft {
    return this.issuer.draft(ctx, bearer, ref, draftInput(body));
  }

  /** Validates (422), saves and emits `token.generated`; the result carries the raw value. */
  persist(ctx: RequestContext, draft: TokenDraft): Promise<TokenView> {
    return this.issuer.persist(ctx, draft);
  }
}
