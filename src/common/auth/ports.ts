import type { Environment } from '@app/modules/environments/environment.entity';
import type { Token } from '@app/modules/tokens/token.entity';
import type { AccountScope, RequestContext, ResolvedAccount } from '../context/request-context';
import type { Bearer, BearerType } from './bearer';

/**
 * Ports the authentication guard depends on. Domain modules provide them, so
 * common/ never imports a module's services.
 */
export abstract class AccountResolver {
  /** By UUID (id or slug) or slug; null when unknown. Cached in-process. */
  abstract resolve(idOrSlug: string): Promise<ResolvedAccount | null>;
}

export abstract class EnvironmentResolver {
  /** By exact id or code within the account; null when unknown. */
  abstract resolve(accountId: string, idOrCode: string): Promise<Environment | null>;
}

export interface TokenAuthResult {
  token: Token;
  bearer: Bearer | null;
}

export abstract class TokenAuthenticator {
  /** Looks a raw v3 token up by digest, visible in the scope; null when unknown. */
  abstract findByRaw(
    account: ResolvedAccount,
    scope: AccountScope,
    raw: string,
  ): Promise<TokenAuthResult | null>;
}

export abstract class PasswordAuthenticator {
  /** Runs spec 01 §1.5 and returns the user bearer, or throws the spec's 401. */
  abstract authenticate(
    ctx: RequestContext,
    email: string,
    password: string,
    otp: unknown,
  ): Promise<Bearer>;
}

/** Loads a bearer of one type (users, products, licenses, environments) by id. */
export interface BearerLoader {
  load(scope: AccountScope, id: string): Promise<Bearer | null>;
  /** Optional: many bearers in one round trip (token lists), by id; unknown ids are absent. */
  loadMany?(scope: AccountScope, ids: readonly string[]): Promise<Map<string, Bearer>>;
  /** Optional: the bearer read in the token lookup's own round trip (see JoinedBearer). */
  joined?: JoinedBearer;
}

/**
 * SQL that reads a bearer together with its token (alias `t`), so token authentication
 * stays one round trip: the select list (aliased columns), LEFT JOINs keyed on
 * `t.bearer_id`, and the bearer from a row (null when the join found none).
 */
export interface JoinedBearer {
  select: string;
  join: string;
  fromRow(row: Record<string, unknown>): Bearer | null;
}

/** License-key authentication; provided by the licenses module once it exists. */
export abstract class LicenseKeyAuthenticator {
  abstract authenticate(ctx: RequestContext, key: string): Promise<Bearer>;
}

/** Registry modules add their bearer loaders to at init. */
export class BearerLoaders {
  private readonly loaders = new Map<BearerType, BearerLoader>();

  register(type: BearerType, loader: BearerLoader): void {
    this.loaders.set(type, loader);
  }

  get(type: BearerType): BearerLoader | undefined {
    return this.loaders.get(type);
  }
}
