import { Injectable, Optional } from '@nestjs/common';
import type { Bearer } from '@app/common/auth/bearer';
import { BearerLoaders } from '@app/common/auth/ports';
import type { RequestContext } from '@app/common/context/request-context';
import { LicenseHoldings } from '@app/common/licensing/holdings';
import { environmentBearer } from '@app/modules/environments/environment-bearer';
import { userBearer } from '@app/modules/users/user-bearer';
import { UsersRepository } from '@app/modules/users/users.repository';
import type { BearerType, JoinedToken, TokenView } from './token.entity';
import { subjectOf, type TokenRecord, type TokenSubject } from './token.policy';

/**
 * Resolves the bearers tokens belong to: users and environments come joined with
 * the token row; other bearer types through the BearerLoaders their modules register
 * (products and licenses, once they exist).
 */
@Injectable()
export class TokenBearers {
  constructor(
    private readonly users: UsersRepository,
    private readonly loaders: BearerLoaders,
    @Optional() private readonly holdings?: LicenseHoldings,
  ) {}

  /**
   * A generate target anywhere in the account (Keygen loads the polymorphic bearer
   * unscoped; the environment rules then decide); null when unknown.
   */
  async load(ctx: RequestContext, ref: { type: BearerType; id: string }): Promise<Bearer | null> {
    if (ref.type === 'users') {
      const user = await this.users.findByAliasInAccount(ctx.scope, ref.id);
      return user ? userBearer(user) : null;
    }
    const loader = this.loaders.get(ref.type);
    return loader ? loader.load(ctx.scope, ref.id) : null;
  }

  /**
   * Sets `token.bearer` (null = orphaned) from the joined rows or the loaders: each
   * other bearer type of the page is loaded at once (one query where its loader has
   * `loadMany`), never one query per token.
   */
  async attach(ctx: RequestContext, tokens: JoinedToken[]): Promise<TokenView[]> {
    const wanted = new Map<BearerType, Set<string>>();
    for (const t of tokens) {
      if (t.bearer === undefined && t.bearerType !== 'users' && t.bearerType !== 'environments') {
        const ids = wanted.get(t.bearerType) ?? new Set<string>();
        ids.add(t.bearerId);
        wanted.set(t.bearerType, ids);
      }
    }
    const loaded = new Map<string, Bearer>();
    for (const [type, ids] of wanted) {
      for (const [id, bearer] of await this.loadMany(ctx, type, [...ids])) {
        loaded.set(`${type}:${id}`, bearer);
      }
    }
    for (const t of tokens) {
      if (t.bearer === undefined) {
        if (t.bearerType === 'users') {
          t.bearer = t.bearerUser ? userBearer(t.bearerUser) : null;
        } else if (t.bearerType === 'environments') {
          t.bearer = t.bearerEnvironment ? environmentBearer(t.bearerEnvironment) : null;
        } else {
          t.bearer = loaded.get(`${t.bearerType}:${t.bearerId}`) ?? null;
        }
      }
      delete t.bearerUser;
      delete t.bearerEnvironment;
    }
    return tokens;
  }

  private async loadMany(
    ctx: RequestContext,
    type: BearerType,
    ids: string[],
  ): Promise<Map<string, Bearer>> {
    const loader = this.loaders.get(type);
    if (!loader) {
      return new Map();
    }
    if (loader.loadMany) {
      return loader.loadMany(ctx.scope, ids);
    }
    const bearers = await Promise.all(ids.map((id) => loader.load(ctx.scope, id)));
    return new Map(ids.flatMap((id, i) => (bearers[i] ? [[id, bearers[i]] as const] : [])));
  }

  /**
   * Products a bearer belongs to (a user through its licenses, a license through its
   * policy). Only a product caller's rules read them, so other callers skip the lookup.
   */
  async productIdsOf(ctx: RequestContext, bearer: Bearer | null): Promise<string[]> {
    if (ctx.bearer?.role !== 'product' || !this.holdings) {
      return [];
    }
    return this.holdings.productIds(ctx.scope, bearer);
  }

  async subject(
    ctx: RequestContext,
    bearer: Bearer | null,
    ref: { type: BearerType; id: string },
  ): Promise<TokenSubject> {
    return subjectOf(bearer, ref, await this.productIdsOf(ctx, bearer));
  }

  /** A loaded token (bearer attached) as the policies see it. */
  async record(ctx: RequestContext, token: TokenView): Promise<TokenRecord> {
    const bearer = token.bearer ?? null;
    return {
      environmentId: token.environmentId,
      subject: await this.subject(ctx, bearer, { type: token.bearerType, id: token.bearerId }),
    };
  }
}
