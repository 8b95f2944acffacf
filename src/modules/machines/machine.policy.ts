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

/**
 * Record-level rules for machines and their action and relationship routes (Keygen's
 * MachinePolicy, MachineFilePolicy and Machines::*Policy; spec 03 §1.1) as pure
 * functions. Each runs permission → environment → role and returns the first denial.
 * Services call them after the scoped lookup, so an out-of-scope machine is a 404
 * before any 403.
 */

/** What a rule needs to know about the machine and its license. */
export interface MachineFacts {
  id: string;
  environmentId: string | null;
  licenseId: string;
  productId: string;
  ownerId: string | null;
  licenseOwnerId: string | null;
  /** The license's `protected`, else its policy's. */
  licenseProtected: boolean;
  /** Whether the bearer (a user) is a licensee of the machine's license. */
  bearerIsLicensee: boolean;
}

/** Which machines a bearer can address (inside the environment rule), spec 03 §0.2. */
export type MachineAccess =
  | { kind: 'all' }
  | { kind: 'product'; productId: string }
  | { kind: 'user'; userId: string }
  | { kind: 'license'; licenseId: string }
  | { kind: 'none' };

type EnvRecord = { environmentId: string | null };

const WRITERS: Role[] = ['admin', 'developer', 'sales-agent', 'environment'];
const SUPPORT_WRITERS: Role[] = [...WRITERS, 'support-agent'];

/** STAFF-R: every admin-family role and environments. */
const readers = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');
const ownsProduct = (b: Bearer, m: Pick<MachineFacts, 'productId'>): boolean =>
  hasRole(b, 'product') && b.id === m.productId;
const isSelf = (b: Bearer, m: Pick<MachineFacts, 'licenseId'>): boolean =>
  hasRole(b, 'license') && b.id === m.licenseId;
/** The machine's owner or its license's owner. */
const ownerOrLicenseOwner = (b: Bearer, m: MachineFacts): boolean =>
  hasRole(b, 'user') && (m.ownerId === b.id || m.licenseOwnerId === b.id);
/** Owner, license owner or licensee (Keygen's `bearer.machines.exists?`). */
const anyUserOf = (b: Bearer, m: MachineFacts): boolean =>
  ownerOrLicenseOwner(b, m) || (hasRole(b, 'user') && m.bearerIsLicensee);

/**
 * verify_environment! on a related record (owner, group, license, product): the
 * bearer and token first, then the record, with Keygen's wording when it is absent.
 */
function relatedFits(c: Caller, r: EnvRecord | null, strict: boolean): Decision {
  const actor = environmentFits(c, c.scope.environmentId, false);
  if (actor !== true) {
    return actor;
  }
  if (r === null) {
    return !strict || c.scope.environmentId === null
      ? true
      : deny('record is not compatible with the current environment');
  }
  return recordFitsEnvironment(c.scope, r.environmentId, strict)
    ? true
    : deny(RECORD_ENVIRONMENT_MISMATCH);
}

/** `true` allows outright; `'unprotected'` only while the machine's license is not protected. */
type Grant = true | 'unprotected';

/**
 * Who a rule lets through. A bearer has one role and a rule names at most one of
 * the user grants, so at most one grant applies and their order does not matter.
 */
interface Grants {
  /** Roles allowed outright. */
  roles?: Role[];
  /** STAFF-R (every admin-family role and environments). */
  readers?: boolean;
  product?: boolean;
  self?: Grant;
  /** The machine's owner or its license's owner. */
  owner?: Grant;
  /** Owner, license owner or licensee. */
  anyUser?: Grant;
  /** The license's owner only. */
  licenseOwner?: Grant;
  /** The license's owner or a licensee. */
  licenseHolder?: Grant;
}

const isLicenseOwner = (b: Bearer, m: MachineFacts): boolean =>
  hasRole(b, 'user') && m.licenseOwnerId === b.id;
const isLicenseHolder = (b: Bearer, m: MachineFacts): boolean =>
  hasRole(b, 'user') && (m.licenseOwnerId === b.id || m.bearerIsLicensee);

function granted(b: Bearer, m: MachineFacts, g: Grants): Decision {
  const grant = (x: Grant): Decision => (x === true ? true : when(!m.licenseProtected));
  if (
    (g.readers && readers(b)) ||
    (g.roles && hasRole(b, ...g.roles)) ||
    (g.product && ownsProduct(b, m))
  ) {
    return true;
  }
  if (g.self && isSelf(b, m)) {
    return grant(g.self);
  }
  if (g.owner && ownerOrLicenseOwner(b, m)) {
    return grant(g.owner);
  }
  if (g.anyUser && anyUserOf(b, m)) {
    return grant(g.anyUser);
  }
  if (g.licenseOwner && isLicenseOwner(b, m)) {
    return grant(g.licenseOwner);
  }
  if (g.licenseHolder && isLicenseHolder(b, m)) {
    return grant(g.licenseHolder);
  }
  return when(false);
}

/**
 * One machine rule: permission(s) → environment (the machine's, or the related
 * record's when given; strict when `strict`) → role grants.
 */
function rule(
  c: Caller,
  permission: string | readonly string[],
  m: MachineFacts,
  strict: boolean,
  g: Grants,
  rel?: EnvRecord | null,
): Decision {
  return chain(
    () => permitted(c, ...(typeof permission === 'string' ? [permission] : permission)),
    () =>
      rel === undefined ? environmentFits(c, m.environmentId, strict) : relatedFits(c, rel, strict),
    () => granted(c.bearer, m, g),
  );
}

/**
 * A rule on a list or nested route without machine facts: permission → the
 * environment of `envId`, leniently → `allowed`.
 */
function listRule(
  c: Caller,
  permission: string,
  envId: string | null,
  allowed: (b: Bearer) => boolean,
): Decision {
  return chain(
    () => permitted(c, permission),
    () => environmentFits(c, envId, false),
    () => when(allowed(c.bearer)),
  );
}

/** The readers of a machine and of what hangs off it (show, relationships). */
const READ: Grants = { readers: true, product: true, anyUser: true, self: true };

/** The facts a create rule sees: the machine as built from the body, its license if found. */
export interface NewMachineFacts {
  environmentId: string | null;
  /** The owner named in the body. */
  ownerId: string | null;
  license: {
    id: string;
    productId: string;
    ownerId: string | null;
    protected: boolean;
  } | null;
}

export const machinePolicy = {
  scope(bearer: Bearer): MachineAccess {
    if (readers(bearer)) {
      return { kind: 'all' };
    }
    switch (bearer.role) {
      case 'product':
        return { kind: 'product', productId: bearer.id };
      case 'user':
        return { kind: 'user', userId: bearer.id };
      case 'license':
        return { kind: 'license', licenseId: bearer.id };
      default:
        return { kind: 'none' };
    }
  },

  /**
   * What a bearer's machine lookups reach, and whose licensee-ness they ask about (a
   * user's: the rules treat a licensee like an owner).
   */
  reach(bearer: Bearer): { access: MachineAccess; licenseeOf: string | null } {
    return {
      access: machinePolicy.scope(bearer),
      licenseeOf: bearer.role === 'user' ? bearer.id : null,
    };
  },

  /** GET /machines: the rows are already scoped, so only the role can fail. */
  index: (c: Caller): Decision =>
    listRule(
      c,
      'machine.read',
      c.scope.environmentId,
      (b) => readers(b) || hasRole(b, 'product', 'user', 'license'),
    ),

  show: (c: Caller, m: MachineFacts): Decision => rule(c, 'machine.read', m, false, READ),

  /**
   * POST /machines (§1.5.4). A user may activate when it is the owner named in the body
   * or the license's owner, and the license is not protected; a license only itself.
   * Inline components also need `component.create`.
   */
  create(c: Caller, m: NewMachineFacts, withComponents: boolean): Decision {
    const b = c.bearer;
    const l = m.license;
    return chain(
      () => permitted(c, 'machine.create', ...(withComponents ? ['component.create'] : [])),
      () => environmentFits(c, m.environmentId, true),
      () => {
        if (hasRole(b, ...WRITERS)) {
          return true;
        }
        if (hasRole(b, 'product')) {
          return when(l !== null && l.productId === b.id);
        }
        if (hasRole(b, 'user') && (m.ownerId === b.id || (l !== null && l.ownerId === b.id))) {
          return when(!(l?.protected ?? false));
        }
        if (hasRole(b, 'license')) {
          return when(l !== null && l.id === b.id);
        }
        return when(false);
      },
    );
  },

  update: (c: Caller, m: MachineFacts): Decision =>
    rule(c, 'machine.update', m, true, {
      roles: SUPPORT_WRITERS,
      product: true,
      owner: 'unprotected',
      self: 'unprotected',
    }),

  /** DELETE: a license may deactivate its own machines even when protected. */
  destroy: (c: Caller, m: MachineFacts): Decision =>
    rule(c, 'machine.delete', m, true, {
      roles: WRITERS,
      product: true,
      self: true,
      owner: 'unprotected',
    }),

  ping: (c: Caller, m: MachineFacts): Decision =>
    rule(c, 'machine.heartbeat.ping', m, false, {
      roles: ['admin', 'developer', 'environment'],
      product: true,
      self: true,
      owner: 'unprotected',
    }),

  reset: (c: Caller, m: MachineFacts): Decision =>
    rule(c, 'machine.heartbeat.reset', m, false, { roles: WRITERS, product: true }),

  checkOut: (c: Caller, m: MachineFacts): Decision =>
    rule(c, 'machine.check-out', m, true, {
      roles: SUPPORT_WRITERS,
      product: true,
      self: true,
      anyUser: 'unprotected',
    }),

  /** POST /machines/{id}/actions/generate-offline-proof: a user only as the license's owner. */
  generateProof: (c: Caller, m: MachineFacts): Decision =>
    rule(c, 'machine.proofs.generate', m, false, {
      roles: WRITERS,
      product: true,
      self: true,
      licenseOwner: 'unprotected',
    }),

  /**
   * Reading the checked-out file (MachineFilePolicy#show?): `machine.read` plus the
   * include permissions, then the readers, where a user must own or hold the license.
   */
  readFile: (c: Caller, m: MachineFacts, permissions: readonly string[]): Decision =>
    rule(c, ['machine.read', ...permissions], m, false, {
      readers: true,
      product: true,
      self: true,
      licenseHolder: true,
    }),

  /**
   * GET /machines/{id}/product, /license, /owner (`permission` = product.read,
   * license.read, user.read): the readers of the machine; `related` is that record.
   */
  readRelated: (
    c: Caller,
    m: MachineFacts,
    permission: string,
    related: EnvRecord | null,
  ): Decision => rule(c, permission, m, false, READ, related),

  /** GET /machines/{id}/group: also users who belong to or own that group. */
  readGroup: (
    c: Caller,
    m: MachineFacts,
    group: EnvRecord & { id: string },
    bearerGroups: readonly string[],
  ): Decision =>
    chain(
      () => permitted(c, 'group.read'),
      () => relatedFits(c, group, false),
      () =>
        granted(c.bearer, m, READ) === true ||
        (hasRole(c.bearer, 'user') && bearerGroups.includes(group.id))
          ? true
          : deny(),
    ),

  /** GET /machines/{id}/user (≤1.5): the license's owner; users only as that owner. */
  readLegacyUser: (c: Caller, m: MachineFacts, related: EnvRecord | null): Decision =>
    rule(
      c,
      'user.read',
      m,
      false,
      { readers: true, product: true, self: true, licenseOwner: true },
      related,
    ),

  /** PUT /machines/{id}/owner; `current` is the current owner (strict environment rule). */
  changeOwner: (c: Caller, m: MachineFacts, current: EnvRecord | null): Decision =>
    rule(c, 'machine.owner.update', m, true, { roles: WRITERS, product: true }, current),

  /** PUT /machines/{id}/group; `next` is the new group, null when none or unknown. */
  changeGroup: (c: Caller, m: MachineFacts, next: EnvRecord | null): Decision =>
    rule(c, 'machine.group.update', m, true, { roles: WRITERS, product: true }, next),
};

/** What the nested `/licenses/{id}/machines` rule reads about the license. */
export interface ParentLicenseFacts {
  id: string;
  environmentId: string | null;
  productId: string;
  ownerId: string | null;
  bearerIsLicensee: boolean;
}

/** GET /licenses/{id}/machines[/{mid}] (Licenses::MachinePolicy). */
export function readLicenseMachines(c: Caller, l: ParentLicenseFacts): Decision {
  return listRule(
    c,
    'machine.read',
    l.environmentId,
    (b) =>
      readers(b) ||
      (hasRole(b, 'product') && b.id === l.productId) ||
      (hasRole(b, 'user') && (l.ownerId === b.id || l.bearerIsLicensee)) ||
      (hasRole(b, 'license') && b.id === l.id),
  );
}

/** GET /products/{id}/machines[/{mid}] (Products::MachinePolicy): staff and the product. */
export function readProductMachines(
  c: Caller,
  productId: string,
  recordEnvId: string | null,
): Decision {
  return listRule(
    c,
    'machine.read',
    recordEnvId,
    (b) => readers(b) || (hasRole(b, 'product') && b.id === productId),
  );
}

/**
 * GET /users/{id}/machines[/{mid}] (Users::MachinePolicy): staff; a product for a plain
 * user (only its own product's machines: `machineProductId`, null on index where the
 * rows are already scoped); the user itself.
 */
export function readUserMachines(
  c: Caller,
  user: { id: string; role: string },
  machineProductId: string | null,
  recordEnvId: string | null,
): Decision {
  return listRule(
    c,
    'machine.read',
    recordEnvId,
    (b) =>
      readers(b) ||
      (hasRole(b, 'product') &&
        user.role === 'user' &&
        (machineProductId === null || machineProductId === b.id)) ||
      (hasRole(b, 'user') && b.id === user.id),
  );
}

/**
 * GET /groups/{id}/machines[/{mid}] (Groups::MachinePolicy, `group.machines.read`):
 * staff, products (their machines only), and users who own the group.
 */
export function readGroupMachines(
  c: Caller,
  groupId: string,
  ownedGroups: readonly string[],
  machineProductId: string | null,
  recordEnvId: string | null,
): Decision {
  return listRule(
    c,
    'group.machines.read',
    recordEnvId,
    (b) =>
      readers(b) ||
      (hasRole(b, 'product') && (machineProductId === null || machineProductId === b.id)) ||
      (hasRole(b, 'user') && ownedGroups.includes(groupId)),
  );
}

/** The facts of a loaded machine for the rules above. */
export function machineFacts(
  m: {
    id: string;
    environmentId: string | null;
    licenseId: string;
    productId: string;
    ownerId: string | null;
    licenseOwnerId: string | null;
    licenseProtected: boolean;
  },
  bearerIsLicensee = false,
): MachineFacts {
  return {
    id: m.id,
    environmentId: m.environmentId,
    licenseId: m.licenseId,
    productId: m.productId,
    ownerId: m.ownerId,
    licenseOwnerId: m.licenseOwnerId,
    licenseProtected: m.licenseProtected,
    bearerIsLicensee,
  };
}
