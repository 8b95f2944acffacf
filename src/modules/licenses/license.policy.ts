import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, chain, deny, when } from '@app/common/auth/policy';
import type { Role } from '@app/common/auth/roles';
import {
  RECORD_ENVIRONMENT_MISMATCH,
  environmentFits,
  permitted,
  type Caller,
} from '@app/modules/tokens/token.policy';
import { recordFitsEnvironment } from '@app/modules/tokens/token-rules';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { License } from './license.entity';

/**
 * Record-level rules for licenses and their action and relationship routes
 * (Keygen's LicensePolicy and Licenses::*Policy; spec 02 §4.1) as pure functions.
 * Each runs permission → environment → role and returns the first denial. Services
 * call them after the lookup, so a license outside the bearer's scope is a 404
 * before any 403.
 */

/** What a rule needs to know about the license. */
export interface LicenseFacts {
  id: string;
  environmentId: string | null;
  productId: string;
  ownerId: string | null;
  /** Effective: the license's explicit value, else the policy's. */
  protected: boolean;
  policyProtected: boolean;
  /** Whether the bearer (a user) is a licensee (attached through `users`). */
  bearerIsLicensee: boolean;
}

/**
 * Which licenses a bearer can address (inside the environment rule): staff and
 * environments all, a product its own, a user the ones it owns or is attached to,
 * a license itself.
 */
export type LicenseAccess =
  | { kind: 'all' }
  | { kind: 'product'; productId: string }
  | { kind: 'user'; userId: string }
  | { kind: 'self'; licenseId: string };

/**
 * Whether `access` includes the license: the row-level twin of the SQL filter
 * (LicensesRepository.scoped), for a license already read by other means.
 */
export function inLicenseAccess(
  access: LicenseAccess,
  l: { id: string; productId: string; ownerId: string | null },
  licensee: boolean,
): boolean {
  switch (access.kind) {
    case 'all':
      return true;
    case 'product':
      return l.productId === access.productId;
    case 'user':
      return l.ownerId === access.userId || licensee;
    case 'self':
      return l.id === access.licenseId;
  }
}

/** STAFF-R: the read roles. */
const readers = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');
const ownsProduct = (b: Bearer, l: Pick<LicenseFacts, 'productId'>): boolean =>
  hasRole(b, 'product') && b.id === l.productId;
const isOwner = (b: Bearer, l: Pick<LicenseFacts, 'ownerId'>): boolean =>
  hasRole(b, 'user') && l.ownerId !== null && l.ownerId === b.id;
const isUserOf = (b: Bearer, l: LicenseFacts): boolean =>
  hasRole(b, 'user') && (isOwner(b, l) || l.bearerIsLicensee);
const isSelf = (b: Bearer, l: Pick<LicenseFacts, 'id'>): boolean =>
  hasRole(b, 'license') && b.id === l.id;

const WRITERS: Role[] = ['admin', 'developer', 'sales-agent', 'environment'];
const SUPPORT_WRITERS: Role[] = [
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'environment',
];

interface Grants {
  /** Roles allowed outright. */
  roles?: Role[];
  /** STAFF-R (every admin-family role and environments). */
  readers?: boolean;
  product?: boolean;
  /** The owner; `'unprotected'` only when the license is not protected, `'policy'` when its policy is not. */
  owner?: true | 'unprotected' | 'policy-unprotected';
  /** Owner or licensee; `'unprotected'` only when the license is not protected. */
  anyUser?: true | 'unprotected';
  self?: boolean;
}

/**
 * What a relationship route authorizes besides the license (Keygen's `record` in
 * Licenses::*Policy): one related record (null when absent, e.g. no owner or an
 * unknown policy) or a list of them. Its environment is checked instead of the
 * license's, which the scoped lookup already vouched for.
 */
export type Related =
  | { one: { environmentId: string | null } | null }
  | { many: ReadonlyArray<{ environmentId: string | null }> };

type EnvRecord = { environmentId: string | null };

/** Related records wrapped for the rules below. */
export const related = {
  one: (r: EnvRecord | null): Related => ({ one: r }),
  many: (rs: ReadonlyArray<EnvRecord>): Related => ({ many: rs }),
};

/**
 * verify_environment! on a related record: the bearer and token first, then the
 * record(s) with Keygen's wording for one, several or none.
 */
function relatedFits(c: Caller, r: Related, strict: boolean): Decision {
  const actor = environmentFits(c, c.scope.environmentId, false);
  if (actor !== true) {
    return actor;
  }
  const laxOrGlobal = !strict || c.scope.environmentId === null;
  if ('many' in r) {
    if (r.many.length === 0) {
      return laxOrGlobal ? true : deny('records are not compatible with the current environment');
    }
    return r.many.every((x) => recordFitsEnvironment(c.scope, x.environmentId, strict))
      ? true
      : deny("a record's environment is not compatible with the current environment");
  }
  if (r.one === null) {
    return laxOrGlobal ? true : deny('record is not compatible with the current environment');
  }
  return recordFitsEnvironment(c.scope, r.one.environmentId, strict)
    ? true
    : deny(RECORD_ENVIRONMENT_MISMATCH);
}

/**
 * One license rule: permission → environment (the license, or the related record
 * when given; strict for writes unless `strict` says otherwise) → role grants.
 */
function rule(
  c: Caller,
  permission: string,
  l: LicenseFacts,
  write: boolean,
  g: Grants,
  rel?: Related,
  strict: boolean = write,
): Decision {
  const b = c.bearer;
  return chain(
    () => permitted(c, permission),
    () =>
      rel === undefined ? environmentFits(c, l.environmentId, write) : relatedFits(c, rel, strict),
    () => {
      if (g.readers && readers(b)) {
        return true;
      }
      if (g.roles && hasRole(b, ...g.roles)) {
        return true;
      }
      if (g.product && ownsProduct(b, l)) {
        return true;
      }
      if (g.owner && isOwner(b, l)) {
        if (g.owner === true) {return true;}
        if (g.owner === 'unprotected') {return when(!l.protected);}
        return when(!l.policyProtected);
      }
      if (g.anyUser && isUserOf(b, l)) {
        return g.anyUser === true ? true : when(!l.protected);
      }
      if (g.self && isSelf(b, l)) {
        return true;
      }
      return when(false);
    },
  );
}

const READ: Grants = { readers: true, product: true, anyUser: true, self: true };

export const licensePolicy = {
  scope(bearer: Bearer): LicenseAccess {
    if (readers(bearer)) {
      return { kind: 'all' };
    }
    switch (bearer.role) {
      case 'product':
        return { kind: 'product', productId: bearer.id };
      case 'user':
        return { kind: 'user', userId: bearer.id };
      case 'license':
        return { kind: 'self', licenseId: bearer.id };
      default:
        return { kind: 'self', licenseId: '00000000-0000-0000-0000-000000000000' };
    }
  },

  /** GET /licenses: licenses never list (403). Rows are already scoped. */
  index(c: Caller): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'license.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => when(readers(b) || hasRole(b, 'product', 'user')),
    );
  },

  show: (c: Caller, l: LicenseFacts): Decision => rule(c, 'license.read', l, false, READ),

  /**
   * POST /licenses. `policy` is null when the named policy does not exist (allowed
   * here; validation answers 422). A user may only create for itself on an
   * unprotected policy.
   */
  create(
    c: Caller,
    l: { environmentId: string | null; ownerId: string | null },
    policy: Pick<Policy, 'productId' | 'protected'> | null,
  ): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'license.create'),
      () => environmentFits(c, l.environmentId, true),
      () => {
        if (hasRole(b, ...WRITERS)) {return true;}
        // compat: an unknown policy has no product, so a product bearer is denied (403).
        if (hasRole(b, 'product')) {return when(policy !== null && policy.productId === b.id);}
        if (hasRole(b, 'user')) {
          return when(l.ownerId === b.id && (policy === null || !policy.protected));
        }
        return when(false);
      },
    );
  },

  update: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.update', l, true, { roles: SUPPORT_WRITERS, product: true }),

  destroy: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.delete', l, true, {
      roles: WRITERS,
      product: true,
      owner: 'policy-unprotected',
    }),

  validate: (c: Caller, l: LicenseFacts): Decision => rule(c, 'license.validate', l, false, READ),

  suspend: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.suspend', l, true, { roles: SUPPORT_WRITERS, product: true }),

  reinstate: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.reinstate', l, true, { roles: SUPPORT_WRITERS, product: true }),

  renew: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.renew', l, true, {
      roles: WRITERS,
      product: true,
      owner: 'policy-unprotected',
    }),

  revoke: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.revoke', l, true, {
      roles: WRITERS,
      product: true,
      owner: 'policy-unprotected',
    }),

  checkIn: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.check-in', l, true, {
      roles: SUPPORT_WRITERS,
      product: true,
      owner: 'unprotected',
      self: true,
    }),

  incrementUsage: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.usage.increment', l, true, {
      roles: SUPPORT_WRITERS,
      product: true,
      owner: 'unprotected',
      self: true,
    }),

  decrementUsage: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.usage.decrement', l, true, { roles: SUPPORT_WRITERS, product: true }),

  resetUsage: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.usage.reset', l, true, { roles: SUPPORT_WRITERS, product: true }),

  /** Keygen's check_out? verifies the environment strictly, like the write actions. */
  checkOut: (c: Caller, l: LicenseFacts): Decision =>
    rule(c, 'license.check-out', l, true, {
      roles: SUPPORT_WRITERS,
      product: true,
      anyUser: 'unprotected',
      self: true,
    }),

  /**
   * Relationship reads (`policy.read`, `product.read`, `user.read`, `group.read`,
   * `entitlement.read`); `rel` is the related record or list being read.
   */
  readRelated: (c: Caller, l: LicenseFacts, permission: string, rel?: Related): Decision =>
    rule(c, permission, l, false, READ, rel),

  /**
   * GET /products/{id}/licenses[/{lid}] and /policies/{id}/licenses[/{lid}]: staff and
   * the owning product only (Products::LicensePolicy, Policies::LicensePolicy).
   * `recordEnvId` is the license's on show, the current environment on index.
   */
  readNested(c: Caller, productId: string, recordEnvId: string | null): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'license.read'),
      () => environmentFits(c, recordEnvId, false),
      () => when(readers(b) || (hasRole(b, 'product') && b.id === productId)),
    );
  },

  /** GET /licenses/{id}/user (legacy): the owner only among users. */
  readLegacyUser: (c: Caller, l: LicenseFacts, rel?: Related): Decision =>
    rule(c, 'user.read', l, false, { readers: true, product: true, owner: true, self: true }, rel),

  /** GET /licenses/{id}/tokens[/{tid}]. */
  readTokens: (c: Caller, l: LicenseFacts, rel?: Related): Decision =>
    rule(c, 'token.read', l, false, { readers: true, product: true }, rel),

  /** POST /licenses/{id}/tokens: `rel` is the new token (strict: it must live in the current environment). */
  generateToken: (c: Caller, l: LicenseFacts, rel?: Related): Decision =>
    rule(c, 'license.tokens.generate', l, true, { roles: WRITERS, product: true }, rel),

  /**
   * PUT /licenses/{id}/policy: a product must own the new policy too (an unknown one
   * is not its own: 403); an owner needs the license and the new policy unprotected.
   */
  changePolicy(
    c: Caller,
    l: LicenseFacts,
    next: Pick<Policy, 'productId' | 'protected' | 'environmentId'> | null,
    rel?: Related,
  ): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'license.policy.update'),
      () =>
        rel === undefined ? environmentFits(c, l.environmentId, true) : relatedFits(c, rel, true),
      () => {
        if (hasRole(b, ...WRITERS)) {return true;}
        if (ownsProduct(b, l)) {return when(next !== null && next.productId === b.id);}
        if (isOwner(b, l)) {return when(!l.protected && (next === null || !next.protected));}
        return when(false);
      },
    );
  },

  /** PUT /licenses/{id}/owner (and the legacy /user with `license.user.update`); `rel` is the current owner. */
  changeOwner: (
    c: Caller,
    l: LicenseFacts,
    permission = 'license.owner.update',
    rel?: Related,
  ): Decision => rule(c, permission, l, true, { roles: WRITERS, product: true }, rel),

  /** PUT /licenses/{id}/group; `rel` is the new group (null when unknown or removed). */
  changeGroup: (c: Caller, l: LicenseFacts, rel?: Related): Decision =>
    rule(c, 'license.group.update', l, true, { roles: WRITERS, product: true }, rel),

  /**
   * POST/DELETE /licenses/{id}/users: read_only passes the role rule but lacks the
   * permission. compat: `rel` (the users) is checked strictly only for a global license.
   */
  attachUsers: (
    c: Caller,
    l: LicenseFacts,
    permission: 'license.users.attach' | 'license.users.detach',
    rel?: Related,
  ): Decision =>
    rule(
      c,
      permission,
      l,
      true,
      { readers: true, product: true, owner: 'unprotected' },
      rel,
      rel === undefined || l.environmentId === null,
    ),

  /** POST/DELETE /licenses/{id}/entitlements; strictness as for users. */
  attachEntitlements: (
    c: Caller,
    l: LicenseFacts,
    permission: 'license.entitlements.attach' | 'license.entitlements.detach',
    rel?: Related,
  ): Decision =>
    rule(
      c,
      permission,
      l,
      true,
      { roles: WRITERS, product: true },
      rel,
      rel === undefined || l.environmentId === null,
    ),
};

/** The facts of a loaded license for the rules above. */
export function licenseFacts(
  l: Pick<License, 'id' | 'environmentId' | 'productId' | 'ownerId' | 'protected'>,
  policy: Pick<Policy, 'protected'>,
  bearerIsLicensee = false,
): LicenseFacts {
  return {
    id: l.id,
    environmentId: l.environmentId,
    productId: l.productId,
    ownerId: l.ownerId,
    protected: l.protected ?? policy.protected,
    policyProtected: policy.protected,
    bearerIsLicensee,
  };
}
