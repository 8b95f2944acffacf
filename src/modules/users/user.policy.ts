import { checkPermissions } from '@app/common/auth/policy';
import {
  ADMIN_FAMILY,
  ROLE_RANK,
  roleWords,
  type Role,
  type UserRole,
} from '@app/common/auth/roles';
import type { Bearer } from '@app/common/auth/bearer';
import { WILDCARD, isAllowedForRole } from '@app/common/auth/permissions';
import {
  isVisible,
  isWritable,
  type AccountScope,
  type RequestContext,
} from '@app/common/context/request-context';
import { DEFAULT_403, ForbiddenError } from '@app/common/errors/api-error';
import { isRootSet } from './user.rules';

/**
 * Record-level rules for users (spec 01 §2.4–2.8, §5.1), as pure functions of the
 * caller and the record. Each returns a Decision; `enforce` turns a denial into
 * Keygen's 403. Evaluation order per action mirrors Keygen: permissions →
 * environment → privileges → role rule.
 */
export type Decision = { allow: true } | { allow: false; reason: string | null };

export interface PolicyContext {
  bearer: Bearer | null;
  /** The token's effective permissions when a token authenticated the request, else null. */
  tokenPermissions: ReadonlySet<string> | null;
  scope: AccountScope;
  accountProtected: boolean;
}

/** The facts about a user a rule looks at. */
export interface UserFacts {
  id: string;
  role: UserRole;
  permissions: readonly string[];
  environmentId: string | null;
  hasPassword?: boolean;
}

/** Which users a bearer may see at all (applied by the repository). */
export type UserScopeFilter =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'role'; role: UserRole }
  | { kind: 'ids'; ids: string[] };

const ALLOW: Decision = { allow: true };
const deny = (reason: string | null = null): Decision => ({ allow: false, reason });
const RECORD_ENV = 'record environment is not compatible with the current environment';

/** Throws the 403 for a denial; reason-less denials get Keygen's fallback detail. */
export function enforce(decision: Decision, hasBearer: boolean): void {
  if (decision.allow) {
    return;
  }
  if (decision.reason) {
    throw ForbiddenError.because(decision.reason);
  }
  throw new ForbiddenError(
    hasBearer
      ? `${DEFAULT_403} (ensure the token or license is allowed to access all resources)`
      : `${DEFAULT_403} (ensure a token or license is present and valid)`,
  );
}

/** List/lookup scope per bearer (teammates and license users need licenses: not yet). */
export function userScope(bearer: Bearer | null): UserScopeFilter {
  if (!bearer) {
    return { kind: 'none' };
  }
  if (ADMIN_FAMILY.has(bearer.role) || bearer.role === 'environment') {
    // Environment bearers see every user of their environment; the environment rule is the scope.
    return { kind: 'all' };
  }
  if (bearer.role === 'product') {
    return { kind: 'role', role: 'user' };
  }
  if (bearer.type === 'users') {
    return { kind: 'ids', ids: [bearer.id] };
  }
  return { kind: 'none' };
}

/** Permission check (spec 01 §2.4): the bearer's own set, then the token's. */
function permitted(p: PolicyContext, required: readonly string[]): Decision {
  const b = p.bearer;
  if (!b) {
    return ALLOW;
  }
  const d = checkPermissions(b, p.tokenPermissions, required);
  return d === true ? ALLOW : deny(d.reason);
}

/** `user.<action>` plus `admin.<action>` when any target is an admin. */
function required(action: string, targets: readonly { role: UserRole }[]): string[] {
  const perms = [`user.${action}`];
  if (targets.some((t) => t.role === 'admin')) {
    perms.push(`admin.${action}`);
  }
  return perms;
}

/** Keygen's `bearer.can?(*actions)`: `*` on the bearer means its role's allowed set. */
function bearerCan(b: Bearer, actions: readonly string[]): boolean {
  if (b.permissions.includes(WILDCARD)) {
    return actions.every((a) => isAllowedForRole(b.role, a));
  }
  const held = new Set(b.permissions);
  return actions.every((a) => held.has(a));
}

/** Spec 01 §2.6.1–3: no role escalation, no granting what you do not hold. */
export function privileges(bearer: Bearer | null, target: UserFacts): Decision {
  if (!bearer) {
    return target.role === 'user' ? ALLOW : deny('anon lacks privileges to perform action on user');
  }
  const escalation = `${roleWords(bearer.role)} lacks privileges to perform action on user`;
  if (
    !isRootSet(bearer.role, bearer.permissions) &&
    bearer.role === target.role &&
    !bearerCan(bearer, target.permissions)
  ) {
    return deny(escalation);
  }
  if (ROLE_RANK[bearer.role] < ROLE_RANK[target.role as Role]) {
    return deny(escalation);
  }
  return ALLOW;
}

function isSelf(bearer: Bearer, user: { id: string }): boolean {
  return bearer.type === 'users' && bearer.id === user.id;
}

function all(...steps: Array<() => Decision>): Decision {
  for (const step of steps) {
    const d = step();
    if (!d.allow) {
      return d;
    }
  }
  return ALLOW;
}

function writable(p: PolicyContext, user: UserFacts): Decision {
  return isWritable(p.scope, user.environmentId) ? ALLOW : deny(RECORD_ENV);
}

export const userPolicy = {
  index(p: PolicyContext, users: readonly UserFacts[]): Decision {
    return all(
      () => permitted(p, required('read', users)),
      () =>
        users.every((u) => isVisible(p.scope, u.environmentId))
          ? ALLOW
          : deny("a record's environment is not compatible with the current environment"),
      () => {
        const b = p.bearer;
        if (!b) {
          return deny();
        }
        if (ADMIN_FAMILY.has(b.role)) {
          return ALLOW;
        }
        if (b.role === 'product' || b.role === 'environment') {
          return users.every((u) => u.role === 'user') ? ALLOW : deny();
        }
        if (b.role === 'user' || b.role === 'license') {
          // Own record only until licenses bring teammates and license users.
          return users.every((u) => isSelf(b, u)) ? ALLOW : deny();
        }
        return deny();
      },
    );
  },

  show(p: PolicyContext, user: UserFacts): Decision {
    return all(
      () => permitted(p, required('read', [user])),
      () => (isVisible(p.scope, user.environmentId) ? ALLOW : deny(RECORD_ENV)),
      () => {
        const b = p.bearer;
        if (!b) {
          return deny();
        }
        if (ADMIN_FAMILY.has(b.role)) {
          return ALLOW;
        }
        if (b.role === 'product' || b.role === 'environment') {
          return user.role === 'user' ? ALLOW : deny();
        }
        return isSelf(b, user) ? ALLOW : deny();
      },
    );
  },

  /** `user` is the record as built from the params (role, permissions, environment). */
  create(p: PolicyContext, user: UserFacts): Decision {
    return all(
      () => permitted(p, required('create', [user])),
      () => writable(p, user),
      () => privileges(p.bearer, user),
      () => {
        const b = p.bearer;
        if (!b) {
          return p.accountProtected ? deny() : ALLOW;
        }
        if (b.role === 'admin' || b.role === 'developer') {
          return ALLOW;
        }
        if (b.role === 'sales-agent' || b.role === 'product' || b.role === 'environment') {
          return user.role === 'user' ? ALLOW : deny();
        }
        return deny();
      },
    );
  },

  /** Authorised after the attributes were assigned: `after` is the changed record. */
  update(p: PolicyContext, after: UserFacts): Decision {
    return all(
      () => permitted(p, required('update', [after])),
      () => writable(p, after),
      () => privileges(p.bearer, after),
      () => {
        const b = p.bearer;
        if (!b) {
          return deny();
        }
        if (b.role === 'admin' || b.role === 'developer') {
          return ALLOW;
        }
        if (b.role === 'sales-agent' || b.role === 'product' || b.role === 'environment') {
          return after.role === 'user' ? ALLOW : deny();
        }
        return isSelf(b, after) && b.role === 'user' ? ALLOW : deny();
      },
    );
  },

  /** `otherProductIds`: products of the user's licenses (licenses are not there yet: []). */
  destroy(p: PolicyContext, user: UserFacts, otherProductIds: readonly string[] = []): Decision {
    return all(
      () => permitted(p, required('delete', [user])),
      () => writable(p, user),
      () => privileges(p.bearer, user),
      () => {
        const b = p.bearer;
        if (!b) {
          return deny();
        }
        if (b.role === 'admin' || b.role === 'developer') {
          return ALLOW;
        }
        if (b.role === 'environment' && user.role === 'user') {
          return ALLOW;
        }
        if (b.role === 'product' && user.role === 'user') {
          const foreign = otherProductIds.some((id) => id !== b.id);
          return foreign ? deny('user cannot belong to another product') : ALLOW;
        }
        return deny();
      },
    );
  },

  ban(p: PolicyContext, user: UserFacts, action: 'ban' | 'unban'): Decision {
    return all(
      () => permitted(p, [`user.${action}`]),
      () => writable(p, user),
      () => (user.role === 'user' ? ALLOW : deny('must have a user role')),
      () => {
        const b = p.bearer;
        const staff = [
          'admin',
          'developer',
          'sales-agent',
          'support-agent',
          'product',
          'environment',
        ];
        return b && staff.includes(b.role) ? ALLOW : deny();
      },
    );
  },

  /** The user changes its own password (Users::PasswordPolicy#update?). */
  updatePassword(p: PolicyContext, user: UserFacts): Decision {
    return all(
      () => permitted(p, ['user.password.update']),
      () => passwordEnvironment(p, user),
      () => (p.bearer && isSelf(p.bearer, user) ? ALLOW : deny()),
    );
  },

  /**
   * Token-based reset (Users::PasswordPolicy#reset?). Keygen never authenticates
   * this route, so the caller is always treated as anonymous.
   */
  resetPassword(p: PolicyContext, user: UserFacts): Decision {
    return all(
      () => passwordEnvironment(p, user),
      () => (user.role === 'user' && p.accountProtected && !user.hasPassword ? deny() : ALLOW),
    );
  },
};

/** The password policy checks the `user` context (lenient) before the record (strict). */
function passwordEnvironment(p: PolicyContext, user: UserFacts): Decision {
  if (!isVisible(p.scope, user.environmentId)) {
    return deny('user environment is not compatible with the current environment');
  }
  return writable(p, user);
}

/** The policy inputs of a request. */
export function policyContext(ctx: RequestContext): PolicyContext {
  return {
    bearer: ctx.bearer,
    tokenPermissions: ctx.token ? ctx.permissions : null,
    scope: ctx.scope,
    accountProtected: ctx.account.account.protected,
  };
}

/** The facts of a user record the rules look at. */
export function userFacts(user: {
  id: string;
  role: UserRole;
  permissions: readonly string[];
  environmentId: string | null;
  passwordDigest?: string | null;
}): UserFacts {
  return {
    id: user.id,
    role: user.role,
    permissions: user.permissions,
    environmentId: user.environmentId,
    hasPassword: !!user.passwordDigest,
  };
}
