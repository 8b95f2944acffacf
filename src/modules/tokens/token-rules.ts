import type { Bearer } from '@app/common/auth/bearer';
import {
  ALLOWED_PERMISSIONS,
  WILDCARD,
  isKnownPermission,
  renderPermissions,
} from '@app/common/auth/permissions';
import { TOKEN_KIND, TOKEN_PREFIX, type Role } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import type { IsolationStrategy } from '@app/modules/environments/environment.entity';

/** Keygen's Token::TOKEN_DURATION (2 weeks): default user-token expiry and regenerate window. */
export const TOKEN_DURATION_MS = 14 * 24 * 60 * 60 * 1000;

/** Default expiry (spec 01 §6.2): `user`-role bearers now + 14 days, every other bearer never. */
export function defaultExpiry(role: Role | null, now: Date): Date | null {
  return role === 'user' ? new Date(now.getTime() + TOKEN_DURATION_MS) : null;
}

/** Regenerating keeps a null expiry and moves a set one to now + 14 days (spec 01 §6.4). */
export function regeneratedExpiry(current: Date | null, now: Date): Date | null {
  return current === null ? null : new Date(now.getTime() + TOKEN_DURATION_MS);
}

/** `kind` follows the bearer's current role, like Keygen; a token without a bearer is orphaned. */
export function tokenKind(bearer: Bearer | null | undefined, stored?: string): string {
  if (bearer) {
    return TOKEN_KIND[bearer.role];
  }
  return bearer === null ? 'orphaned-token' : (stored ?? 'orphaned-token');
}

/** v3 prefix by bearer role (`token` for an orphaned token, as Keygen). */
export function tokenPrefix(bearer: Bearer | null | undefined): string {
  return bearer ? TOKEN_PREFIX[bearer.role] : 'token';
}

/** License ("activation") tokens carry 16 random bytes, every other kind 32 (spec 01 §1.2). */
export function tokenBytes(bearer: Bearer | null | undefined): number {
  return bearer?.role === 'license' ? 16 : 32;
}

/**
 * Permissions rendered on a token (spec 01 §2.4.4): token `*` → the bearer's stored set;
 * bearer `*` → the token's own set; otherwise the intersection. Sorted, `*` alone.
 */
export function displayedPermissions(
  tokenHeld: readonly string[],
  bearer: Bearer | null | undefined,
): string[] {
  if (!bearer) {
    return renderPermissions(tokenHeld);
  }
  if (tokenHeld.includes(WILDCARD)) {
    return renderPermissions(bearer.permissions);
  }
  if (bearer.permissions.includes(WILDCARD)) {
    return renderPermissions(tokenHeld);
  }
  const held = new Set(bearer.permissions);
  return renderPermissions(tokenHeld.filter((p) => held.has(p)));
}

/** Unknown actions or duplicates (Keygen compares the count of matched rows). */
export function hasUnsupportedPermissions(requested: readonly string[]): boolean {
  return (
    requested.some((p) => !isKnownPermission(p)) || new Set(requested).size !== requested.length
  );
}

/**
 * A token may hold a subset of its bearer's permissions plus `*`; when the bearer itself
 * holds `*`, a subset of the bearer role's allowed set plus `*` (spec 01 §2.5).
 */
export function permissionsWithinBearer(requested: readonly string[], bearer: Bearer): boolean {
  const base = bearer.permissions.includes(WILDCARD)
    ? ALLOWED_PERMISSIONS[bearer.role]
    : bearer.permissions;
  const allowed = new Set<string>([...base, WILDCARD]);
  return requested.every((p) => allowed.has(p));
}

/** The environment a bearer lives in (an environment bearer is its own environment). */
export function bearerEnvironmentId(bearer: Bearer): string | null {
  return bearer.type === 'environments' ? bearer.id : bearer.environmentId;
}

/**
 * Keygen's Environmental association check for a token and its bearer: global tokens need
 * global bearers; isolated ones a bearer of that environment (or a global admin); shared
 * ones a bearer of that environment or a global one.
 */
export function bearerFitsTokenEnvironment(
  token: { environmentId: string | null; isolationStrategy: IsolationStrategy | null },
  bearer: Bearer,
): boolean {
  const env = bearerEnvironmentId(bearer);
  if (token.environmentId === null) {
    return env === null;
  }
  if (env === token.environmentId) {
    return true;
  }
  if (token.isolationStrategy === 'SHARED') {
    return env === null;
  }
  return bearer.role === 'admin' && env === null;
}

/**
 * Keygen's `verify_environment!` on a record: strict (writes) requires the record to
 * live exactly in the current environment; non-strict (reads) lets the global
 * environment see everything and a shared one see global records.
 */
export function recordFitsEnvironment(
  scope: AccountScope,
  recordEnvId: string | null,
  strict: boolean,
): boolean {
  if (scope.environmentId === null) {
    return !strict || recordEnvId === null;
  }
  if (recordEnvId === scope.environmentId) {
    return true;
  }
  return scope.shared && !strict && recordEnvId === null;
}
