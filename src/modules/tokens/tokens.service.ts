import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { generateToken, tokenDigest } from '@libs/crypto';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { draftInput, pluralBearerType, type GenerateTokenBody } from './dto/generate-token.dto';
import { parseBearerFilter } from './dto/list-tokens.query';
import { Token, type TokenView } from './token.entity';
import { currentTokenNotFound, tokenNotFound } from './token.errors';
import { TokenBearers } from './token-bearers';
import { TokenIssuer, withoutRaw } from './token-issuer';
import { callerOf, tokenPolicy, type Caller } from './token.policy';
import { regeneratedExpiry, tokenBytes, tokenKind, tokenPrefix } from './token-rules';
import { TokenSerializer } from './token.serializer';
import { TokensRepository } from './tokens.repository';

/** `/tokens` (spec 01 §6): generate, list, show, regenerate, revoke. */
@Injectable()
export class TokensService {
  constructor(
    private readonly repo: TokensRepository,
    private readonly bearers: TokenBearers,
    private readonly issuer: TokenIssuer,
    private readonly events: DomainEvents,
  ) {}

  async list(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    const caller = callerOf(ctx);
    enforce(tokenPolicy.index(caller));
    const page = await this.repo.list(
      ctx.scope,
      tokenPolicy.scope(caller.bearer),
      parseBearerFilter(query),
      pagination,
    );
    await this.bearers.attach(ctx, page.rows);
    return page;
  }

  async show(ctx: RequestContext, id: string): Promise<TokenView> {
    const caller = callerOf(ctx);
    const token = await this.load(ctx, caller, id);
    enforce(tokenPolicy.show(caller, await this.bearers.record(ctx, token)));
    return token;
  }

  /** `POST /tokens`: for the caller, or for `relationships.bearer` (spec 01 §6.3). */
  async generate(ctx: RequestContext, body: GenerateTokenBody): Promise<TokenView> {
    const caller = callerOf(ctx);
    const target = body.data?.relationships?.bearer?.data;
    const ref = target
      ? { type: pluralBearerType(target.type), id: target.id }
      : { type: caller.bearer.type, id: caller.bearer.id };
    const bearer = target ? await this.bearers.load(ctx, ref) : caller.bearer;
    const draft = this.issuer.draft(ctx, bearer, ref, draftInput(body));
    enforce(
      tokenPolicy.generate(caller, {
        environmentId: draft.token.environmentId,
        subject: await this.bearers.subject(ctx, bearer, ref),
      }),
    );
    return this.issuer.persist(ctx, draft);
  }

  async regenerate(ctx: RequestContext, id: string): Promise<TokenView> {
    const caller = callerOf(ctx);
    return this.rotate(ctx, caller, await this.load(ctx, caller, id));
  }

  /** Deprecated `PUT /tokens`: the token the request authenticated with. */
  async regenerateCurrent(ctx: RequestContext): Promise<TokenView> {
    const caller = callerOf(ctx);
    if (!ctx.token) {
      throw currentTokenNotFound();
    }
    return this.rotate(
      ctx,
      caller,
      Object.assign(new Token(), ctx.token, { bearer: caller.bearer }),
    );
  }

  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const caller = callerOf(ctx);
    const token = await this.load(ctx, caller, id);
    enforce(tokenPolicy.revoke(caller, await this.bearers.record(ctx, token)));
    await this.repo.delete(ctx.scope, token.id);
    this.events.emit('token.revoked', ctx, {
      type: 'tokens',
      id: token.id,
      record: withoutRaw(token),
      serializer: TokenSerializer as never,
    });
  }

  /** New raw value (same prefix rules); a set expiry moves to now + 14 days (spec 01 §6.4). */
  private async rotate(ctx: RequestContext, caller: Caller, token: TokenView): Promise<TokenView> {
    enforce(tokenPolicy.regenerate(caller, await this.bearers.record(ctx, token)));
    const now = ctx.clock.now();
    const raw = generateToken(tokenPrefix(token.bearer), tokenBytes(token.bearer));
    const patch = {
      digest: tokenDigest(ctx.account.secretKey, raw),
      kind: tokenKind(token.bearer, token.kind),
      expiry: regeneratedExpiry(token.expiry, now),
      updatedAt: now,
    };
    await this.repo.updateDigest(ctx.scope, token.id, patch);
    Object.assign(token, patch);
    this.events.emit('token.regenerated', ctx, {
      type: 'tokens',
      id: token.id,
      record: withoutRaw(token),
      serializer: TokenSerializer as never,
    });
    token.raw = raw;
    return token;
  }

  /** Token ids are UUIDs only; out of the caller's scope reads as not found (spec 01 §6.1). */
  private async load(ctx: RequestContext, caller: Caller, id: string): Promise<TokenView> {
    const token = isUuidLike(id)
      ? await this.repo.findVisible(ctx.scope, tokenPolicy.scope(caller.bearer), normalizeUuid(id))
      : null;
    if (!token) {
      throw tokenNotFound(id);
    }
    await this.bearers.attach(ctx, [token]);
    return token;
  }
}
