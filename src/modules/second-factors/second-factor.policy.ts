import { isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import {
  type Decision,
  deny,
  chain,
  checkPermissions,
  fitsEnvironment,
  environmentView,
} from '@app/common/auth/policy';
import { roleWords } from '@app/common/auth/roles';
import type { RequestContext } from '@app/common/context/request-context';
import { ForbiddenError } from '@app/common/errors/api-error';

/**
 * Record-level rules for a user's second factors (Keygen's Users::SecondFactorPolicy),
 * as pure functions. Each rule runs Keygen's order: permission → environment
 * (bearer, token, parent user, record) → role, and returns the first denial.
 */

export interface PolicyFacts {
  bearer: Bearer;
  /** The token that authenticated the request (its effective permissions), if any. */
  token: { permissions: ReadonlySet<string>; environmentId: string | null } | null;
  /** The current environment; null is the global environment. */
  environment: { id: string; isolationStrategy: 'ISOLATED' | 'SHARED' } | null;
}

export function factsOf(ctx: RequestContext): PolicyFacts {
  if (!ctx.bearer) {
    throw ForbiddenError.because('authentication is required');
  }
  return {
    bearer: ctx.bearer,
    token: ctx.token
      ? { permissions: ctx.permissions ?? new Set(), environmentId: ctx.token.environmentId }
      : null,
    environment: ctx.environment,
  };
}

export const SECOND_FACTOR_PERMISSION = {
  index: 'user.second-factors.read',
  show: 'user.second-factors.read',
  create: 'user.second-factors.create',
  update: 'user.second-factors.update',
  destroy: 'user.second-factors.delete',
} as const;
export type SecondFactorAction = keyof typeof SECOND_FACTOR_PERMISSION;

/** The parts of the parent user and the factor the rules look at. */
export interface OwnedRecord {
  environmentId: string | null;
}
export interface FactorRecord extends OwnedRecord {
  userId: string;
}

function permissionDecision(f: PolicyFacts, action: SecondFactorAction): Decision {
  return checkPermissions(f.bearer, f.token?.permissions ?? null, [
    SECOND_FACTOR_PERMISSION[action],
  ]);
}

/** A bearer's, token's or parent's environment vs the current one (SHARED admits global). */
function contextFits(f: PolicyFacts, envId: string | null, globalAdminEscapes: boolean): boolean {
  return fitsEnvironment(
    environmentView(f.environment),
    envId,
    globalAdminEscapes && f.bearer.role === 'admin',
  );
}

/** A record's environment: writes are strict; reads in SHARED admit global records. */
function recordFits(f: PolicyFacts, envId: string | null, strict: boolean): boolean {
  const current = f.environment;
  if (!current) {
    // compat: Keygen's non-strict check in the global environment accepts any record.
    return !strict || envId === null;
  }
  return (
    envId === current.id || (!strict && current.isolationStrategy === 'SHARED' && envId === null)
  );
}

function environmentDecision(
  f: PolicyFacts,
  user: OwnedRecord,
  records: readonly FactorRecord[] | FactorRecord,
  strict: boolean,
): Decision {
  if (!contextFits(f, f.bearer.environmentId, true)) {
    return deny(
      `${roleWords(f.bearer.role)} environment is not compatible with the current environment`,
    );
  }
  if (f.token && !contextFits(f, f.token.environmentId, false)) {
    return deny('token environment is not compatible with the current environment');
  }
  if (!contextFits(f, user.environmentId, false)) {
    return deny('user environment is not compatible with the current environment');
  }
  if (isFactorList(records)) {
    return records.every((r) => recordFits(f, r.environmentId, strict))
      ? true
      : deny("a record's environment is not compatible with the current environment");
  }
  return recordFits(f, records.environmentId, strict)
    ? true
    : deny('record environment is not compatible with the current environment');
}

function isFactorList(r: readonly FactorRecord[] | FactorRecord): r is readonly FactorRecord[] {
  return Array.isArray(r);
}

const OWN_FACTOR_ROLES = new Set([
  'developer',
  'sales-agent',
  'support-agent',
  'read-only',
  'user',
]);

/** admin: any user's factor; other staff and users: only their own; everyone else: no. */
function roleDecision(f: PolicyFacts, records: readonly FactorRecord[]): Decision {
  if (f.bearer.role === 'admin') {
    return true;
  }
  if (OWN_FACTOR_ROLES.has(f.bearer.role) && f.bearer.type === 'users') {
    return records.every((r) => r.userId === f.bearer.id) ? true : deny();
  }
  return deny();
}

function write(
  action: SecondFactorAction,
  f: PolicyFacts,
  user: OwnedRecord,
  record: FactorRecord,
): Decision {
  return chain(
    () => permissionDecision(f, action),
    () => environmentDecision(f, user, record, true),
    // compat: Keygen denies read-only outright (even holding the permission).
    () => (f.bearer.role === 'read-only' ? deny() : true),
    () => roleDecision(f, [record]),
  );
}

/** Which factors a list may contain (applied by the repository). */
export type SecondFactorAccess =
  { kind: 'all' } | { kind: 'user'; userId: string } | { kind: 'none' };

export const secondFactorPolicy = {
  scope(bearer: Bearer): SecondFactorAccess {
    if (isAdminFamily(bearer) || bearer.role === 'environment') {
      return { kind: 'all' };
    }
    if (bearer.role === 'user') {
      return { kind: 'user', userId: bearer.id };
    }
    // Products see factors of their licenses' users, licenses none: no licenses exist yet.
    return { kind: 'none' };
  },

  /** compat: an empty list passes the ownership rule (Keygen's `all?` on nothing). */
  index(f: PolicyFacts, user: OwnedRecord, records: readonly FactorRecord[]): Decision {
    return chain(
      () => permissionDecision(f, 'index'),
      () => environmentDecision(f, user, records, false),
      () => roleDecision(f, records),
    );
  },

  show(f: PolicyFacts, user: OwnedRecord, record: FactorRecord): Decision {
    return chain(
      () => permissionDecision(f, 'show'),
      () => environmentDecision(f, user, record, false),
      () => roleDecision(f, [record]),
    );
  },

  create: (f: PolicyFacts, user: OwnedRecord, record: FactorRecord): Decision =>
    write('create', f, user, record),
  update: (f: PolicyFacts, user: OwnedRecord, record: FactorRecord): Decision =>
    write('update', f, user, record),
  destroy: (f: PolicyFacts, user: OwnedRecord, record: FactorRecord): Decision =>
    write('destroy', f, user, record),
};
