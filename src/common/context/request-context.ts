import type { AccountSigner } from '@libs/crypto';
import type { Account } from '@app/modules/accounts/account.entity';
import type { Environment } from '@app/modules/environments/environment.entity';
import type { Token } from '@app/modules/tokens/token.entity';
import type { Bearer } from '../auth/bearer';
import type { Clock } from '../clock/clock';

/** An account with its decrypted signing material, cached in-process. */
export interface ResolvedAccount {
  account: Account;
  signer: AccountSigner;
  /** Decrypted HMAC key for token digests. */
  secretKey: string;
}

/**
 * Account + environment rule every repository method takes first, so an unscoped
 * query cannot be written by accident. environmentId null = the global environment.
 */
export interface AccountScope {
  accountId: string;
  environmentId: string | null;
  /** SHARED environments also see global records. */
  shared: boolean;
}

export interface RequestContext {
  requestId: string;
  clock: Clock;
  account: ResolvedAccount;
  environment: Environment | null;
  scope: AccountScope;
  bearer: Bearer | null;
  token: Token | null;
  /** Effective permissions (token ∩ bearer); null for anonymous. */
  permissions: ReadonlySet<string> | null;
  apiVersion: string;
  ip: string;
  /** Original request path as sent (for pagination links). */
  path: string;
  query: Record<string, unknown>;
}

export function scopeFor(accountId: string, environment: Environment | null): AccountScope {
  return {
    accountId,
    environmentId: environment?.id ?? null,
    shared: environment?.isolationStrategy === 'SHARED',
  };
}

/** A context for jobs and bootstrap code: no bearer, system clock. */
export function systemContext(
  account: ResolvedAccount,
  clock: Clock,
  environment: Environment | null = null,
): RequestContext {
  return {
    requestId: 'system',
    clock,
    account,
    environment,
    scope: scopeFor(account.account.id, environment),
    bearer: null,
    token: null,
    permissions: null,
    apiVersion: account.account.apiVersion,
    ip: '127.0.0.1',
    path: '',
    query: {},
  };
}

/** Whether a record in `recordEnvId` is visible from the scope (spec 01 §3.3). */
export function isVisible(scope: AccountScope, recordEnvId: string | null): boolean {
  if (scope.environmentId === null) {
    return recordEnvId === null;
  }
  return recordEnvId === scope.environmentId || (scope.shared && recordEnvId === null);
}

/** Whether a record in `recordEnvId` may be written from the scope (writes are strict). */
export function isWritable(scope: AccountScope, recordEnvId: string | null): boolean {
  return recordEnvId === scope.environmentId;
}
