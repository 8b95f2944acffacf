import { hasRole, isAdminFamily, type Bearer, type BearerType } from '@app/common/auth/bearer';
import {
  type Decision,
  deny,
  when,
  chain,
  checkPermissions,
  fitsEnvironment,
} from '@app/common/auth/policy';
import { roleWords, type Role } from '@app/common/auth/roles';
import type { AccountScope, RequestContext } from '@app/common/context/request-context';
import { ForbiddenError } from '@app/common/errors/api-error';
import { bearerEnvironmentId, recordFitsEnvironment } from './token-rules';

/**
 * Record-level rules for tokens (Keygen's TokenPolicy, Users::TokenPolicy and
 * Environments::TokenPolicy) as pure functions. Each action runs Keygen's order —
 * permission → environment → role rule — and returns the first denial. The service
 * calls them after the lookup, so an out-of-scope record is a 404 before any 403.
 */

export const RECORD_ENVIRONMENT_MISMATCH =
  'record environment is not compatible with the current environment';

/** The request facts every rule needs. */
export interface Caller {
  bearer: Bearer;
  /** Effective permissions of the token in use; null without a token (password, license key). */
  tokenPermissions: ReadonlySet<string> | null;
  tokenEnvironmentId: string | null;
  scope: AccountScope;
}

export function callerOf(ctx: RequestContext): Caller {
  if (!ctx.bearer) {
    throw ForbiddenError.because('authentication is required');
  }
  return {
    bearer: ctx.bearer,
    tokenPermissions: ctx.token ? (ctx.permissions ?? new Set()) : null,
    tokenEnvironmentId: ctx.token?.environmentId ?? null,
    scope: ctx.scope,
  };
}

/** Who a token belongs to, as far as the rules care. `role` null = orphaned token. */
export interface TokenSubject {
  type: BearerType;
  id: string;
  role: Role | null;
  bannedAt?: Date | null;
  /** Products this bearer belongs to (user: via licenses; license: its policy's product). */
  productIds: readonly string[];
}

export function subjectOf(
  bearer: Bearer | null,
  ref: { type: BearerType; id: string },
  productIds: readonly string[] = [],
): TokenSubject {
  return {
    type: ref.type,
    id: ref.id,
    role: bearer?.role ?? null,
    bannedAt: bearer?.bannedAt ?? null,
    productIds,
  };
}

/** verify_permissions!: the bearer's own set (`*` = its role's allowed set), then the token's. */
export function permitted(c: Caller, ...required: string[]): Decision {
  return checkPermissions(c.bearer, c.tokenPermissions, required);
}

/**
 * verify_environment!: the bearer, the token in use and the record must suit the
 * current environment; `strict` (writes) wants the record in exactly that environment.
 */
export function environmentFits(c: Caller, recordEnvId: string | null, strict: boolean): Decision {
  if (!fitsEnvironment(c.scope, bearerEnvironmentId(c.bearer), c.bearer.role === 'admin')) {
    return deny(
      `${roleWords(c.bearer.role)} environment is not compatible with the current environment`,
    );
  }
  if (c.tokenPermissions !== null && !fitsEnvironment(c.scope, c.tokenEnvironmentId, false)) {
    return deny('token environment is not compatible with the current environment');
  }
  return recordFitsEnvironment(c.scope, recordEnvId, strict)
    ? true
    : deny(RECORD_ENVIRONMENT_MISMATCH);
}

const isSelf = (actor: Bearer, s: TokenSubject): boolean =>
  actor.type === s.type && actor.id === s.id;
const productOwns = (actor: Bearer, s: TokenSubject): boolean =>
  actor.role === 'product' &&
  (s.role === 'user' || s.role === 'license') &&
  s.productIds.includes(actor.id);
const staffOrEnvironment = (actor: Bearer): boolean =>
  isAdminFamily(actor) || hasRole(actor, 'environment');

/** Which tokens a bearer may list or address at all (a plain filter the repository applies). */
export type TokenAccess =
  | { kind: 'all' }
  | { kind: 'own'; type: BearerType; id: string }
  | { kind: 'environment'; environmentId: string }
  | { kind: 'product'; productId: string };

/** A token record as the rules see it. */
export interface TokenRecord {
  environmentId: string | null;
  subject: TokenSubject;
}

export const tokenPolicy = {
  /**
   * Admin-family: everything; environment: its tokens except admins'; product: its own
   * (and, once licenses exist, its licenses' and users'); user/license: their own.
   */
  scope(actor: Bearer): TokenAccess {
    if (isAdminFamily(actor)) {
      return { kind: 'all' };
    }
    switch (actor.role) {
      case 'environment':
        return { kind: 'environment', environmentId: actor.id };
      case 'product':
        return { kind: 'product', productId: actor.id };
      default:
        return { kind: 'own', type: actor.type, id: actor.id };
    }
  },

  /** The page is already in scope; Keygen's per-record check cannot fail after it. */
  index(c: Caller): Decision {
    return chain(
      () => permitted(c, 'token.read'),
      () => environmentFits(c, c.scope.environmentId, false),
    );
  },

  show(c: Caller, t: TokenRecord): Decision {
    return chain(
      () => permitted(c, 'token.read'),
      () => environmentFits(c, t.environmentId, false),
      () =>
        when(
          staffOrEnvironment(c.bearer) ||
            productOwns(c.bearer, t.subject) ||
            isSelf(c.bearer, t.subject),
        ),
    );
  },

  generate(c: Caller, t: TokenRecord): Decision {
    const { bearer: actor } = c;
    const s = t.subject;
    return chain(
      () => permitted(c, 'token.generate'),
      // compat: lax in the global environment, so a token may be generated for any environment.
      () => environmentFits(c, t.environmentId, c.scope.environmentId !== null),
      () => {
        if (staffOrEnvironment(actor) && isSelf(actor, s)) {
          return true;
        }
        if (hasRole(actor, 'admin', 'developer', 'environment') && s.role === 'user') {
          return true;
        }
        if (productOwns(actor, s)) {
          return true;
        }
        if (hasRole(actor, 'user') && isSelf(actor, s)) {
          return s.bannedAt ? deny('user is banned') : true;
        }
        return deny();
      },
    );
  },

  regenerate(c: Caller, t: TokenRecord): Decision {
    const { bearer: actor } = c;
    const s = t.subject;
    const managed = s.role === 'product' || s.role === 'license' || s.role === 'user';
    return chain(
      () => permitted(c, 'token.regenerate'),
      () => environmentFits(c, t.environmentId, true),
      () => {
        if (
          hasRole(actor, 'admin', 'developer') &&
          (isSelf(actor, s) || s.role === 'environment' || managed)
        ) {
          return true;
        }
        if (hasRole(actor, 'environment') && (isSelf(actor, s) || managed)) {
          return true;
        }
        return when(productOwns(actor, s) || isSelf(actor, s));
      },
    );
  },

  revoke(c: Caller, t: TokenRecord): Decision {
    const { bearer: actor } = c;
    return chain(
      () => permitted(c, 'token.revoke'),
      () => environmentFits(c, t.environmentId, true),
      () =>
        when(
          hasRole(actor, 'admin', 'developer', 'environment') ||
            productOwns(actor, t.subject) ||
            isSelf(actor, t.subject),
        ),
    );
  },
};

/** The user whose tokens `/users/{id}/tokens` addresses. */
export interface TokenOwnerUser {
  id: string;
  role: Role;
  /** Products the user holds a license of. */
  productIds: readonly string[];
}

export const userTokensPolicy = {
  index(c: Caller, user: TokenOwnerUser): Decision {
    const actor = c.bearer;
    return chain(
      () => permitted(c, 'token.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () =>
        when(
          isAdminFamily(actor) ||
            (hasRole(actor, 'product', 'environment') && user.role === 'user') ||
            (hasRole(actor, 'user') && actor.id === user.id),
        ),
    );
  },

  show(c: Caller, user: TokenOwnerUser, t: TokenRecord): Decision {
    const actor = c.bearer;
    return chain(
      () => permitted(c, 'token.read'),
      () => environmentFits(c, t.environmentId, false),
      () =>
        when(
          isAdminFamily(actor) ||
            (hasRole(actor, 'environment') && user.role === 'user') ||
            (hasRole(actor, 'product') &&
              user.role === 'user' &&
              user.productIds.includes(actor.id)) ||
            (hasRole(actor, 'user') && actor.id === user.id),
        ),
    );
  },

  create(c: Caller, user: TokenOwnerUser, t: { environmentId: string | null }): Decision {
    const actor = c.bearer;
    return chain(
      () => permitted(c, 'user.tokens.generate'),
      () => environmentFits(c, t.environmentId, c.scope.environmentId !== null),
      () =>
        when(
          (hasRole(actor, 'admin', 'developer') &&
            (actor.id === user.id || user.role === 'user')) ||
            (hasRole(actor, 'environment') && user.role === 'user') ||
            (hasRole(actor, 'product') &&
              user.role === 'user' &&
              user.productIds.includes(actor.id)),
        ),
    );
  },
};

export const environmentTokensPolicy = {
  /** Environments the bearer may address: admin-family all, an environment itself, others none. */
  canAddress(actor: Bearer, environmentId: string): boolean {
    return isAdminFamily(actor) || (hasRole(actor, 'environment') && actor.id === environmentId);
  },

  index(c: Caller): Decision {
    const actor = c.bearer;
    return chain(
      () => permitted(c, 'token.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () =>
        when(
          isAdminFamily(actor) ||
            (hasRole(actor, 'environment') && actor.id === c.scope.environmentId),
        ),
    );
  },

  show(c: Caller, t: TokenRecord): Decision {
    const actor = c.bearer;
    return chain(
      () => permitted(c, 'token.read'),
      () => environmentFits(c, t.environmentId, false),
      () =>
        when(
          isAdminFamily(actor) ||
            (hasRole(actor, 'environment') &&
              actor.id === c.scope.environmentId &&
              isSelf(actor, t.subject)),
        ),
    );
  },

  create(c: Caller, t: { environmentId: string | null }): Decision {
    return chain(
      () => permitted(c, 'environment.tokens.generate'),
      () => environmentFits(c, t.environmentId, true),
      () => when(hasRole(c.bearer, 'admin', 'developer')),
    );
  },
};
