import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, chain, when } from '@app/common/auth/policy';
import type { Role } from '@app/common/auth/roles';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import type { MachineFacts } from './machine.policy';

/**
 * The rules components and processes share (Keygen's MachineComponentPolicy and
 * MachineProcessPolicy differ only in permission names and the process ping):
 * the role rules, and `machineChildPolicy`, which chains them after the permission
 * and environment steps for each route.
 */

/** What a rule needs to know about a record on a machine (or the one a create would build). */
export interface MachineChildFacts {
  environmentId: string | null;
  /** Null on create when the named machine does not exist. */
  licenseId: string | null;
  productId: string | null;
  machineOwnerId: string | null;
  licenseOwnerId: string | null;
  /** The license's `protected`, else its policy's. */
  licenseProtected: boolean;
  /** Whether the bearer (a user) is a licensee of the machine's license. */
  bearerIsLicensee: boolean;
}

const CHILD_WRITERS: readonly Role[] = ['admin', 'developer', 'sales-agent', 'environment'];
const CHILD_UPDATERS: readonly Role[] = [...CHILD_WRITERS, 'support-agent'];

const readers = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');
const ownsProduct = (b: Bearer, f: MachineChildFacts): boolean =>
  hasRole(b, 'product') && f.productId !== null && b.id === f.productId;
const isSelf = (b: Bearer, f: MachineChildFacts): boolean =>
  hasRole(b, 'license') && f.licenseId !== null && b.id === f.licenseId;
/** The machine's owner or the license's owner. */
const ownerOrLicenseOwner = (b: Bearer, f: MachineChildFacts): boolean =>
  hasRole(b, 'user') && (f.machineOwnerId === b.id || f.licenseOwnerId === b.id);

/** Index: the rows are already scoped, so only the role can fail. */
function listsChildren(b: Bearer): Decision {
  return when(readers(b) || hasRole(b, 'product', 'user', 'license'));
}

/** Readers: staff, environments, the product, the license's users, the license itself. */
function readsChild(b: Bearer, f: MachineChildFacts): Decision {
  return when(
    readers(b) ||
      ownsProduct(b, f) ||
      ownerOrLicenseOwner(b, f) ||
      (hasRole(b, 'user') && f.bearerIsLicensee) ||
      isSelf(b, f),
  );
}

/** Writers per route; users only as machine or license owner of an unprotected license. */
export function writesChild(b: Bearer, f: MachineChildFacts, staff: readonly Role[]): Decision {
  if (hasRole(b, ...staff) || ownsProduct(b, f) || isSelf(b, f)) {
    return true;
  }
  if (ownerOrLicenseOwner(b, f)) {
    return when(!f.licenseProtected);
  }
  return when(false);
}

/**
 * GET …/product|license|machine of a component or process, and a machine's
 * components or processes: `permission` is the read permission of what is returned,
 * `relatedEnvironmentId` the environment of the record the rule is checked against.
 */
export function readsRelated(
  c: Caller,
  f: MachineChildFacts,
  permission: string,
  relatedEnvironmentId: string | null,
): Decision {
  return chain(
    () => permitted(c, permission),
    () => environmentFits(c, relatedEnvironmentId, false),
    () => readsChild(c.bearer, f),
  );
}

/** The record rules of one kind of record on a machine. */
export interface MachineChildPolicy {
  /** The list: the rows are already scoped, so only the role can fail. */
  index(c: Caller): Decision;
  show(c: Caller, f: MachineChildFacts): Decision;
  /** A license may add records to its own machines even when protected. */
  create(c: Caller, f: MachineChildFacts): Decision;
  update(c: Caller, f: MachineChildFacts): Decision;
  destroy(c: Caller, f: MachineChildFacts): Decision;
  readRelated: typeof readsRelated;
}

/**
 * The record rules of components or processes, whose permissions are
 * `<resource>.read|create|update|delete`, each in Keygen's order: permission →
 * environment (strict for writes) → role.
 */
export function machineChildPolicy(resource: 'component' | 'process'): MachineChildPolicy {
  const rule = (
    c: Caller,
    action: string,
    environmentId: string | null,
    strict: boolean,
    role: () => Decision,
  ): Decision =>
    chain(
      () => permitted(c, `${resource}.${action}`),
      () => environmentFits(c, environmentId, strict),
      role,
    );
  return {
    index: (c) => rule(c, 'read', c.scope.environmentId, false, () => listsChildren(c.bearer)),
    show: (c, f) => rule(c, 'read', f.environmentId, false, () => readsChild(c.bearer, f)),
    create: (c, f) =>
      rule(c, 'create', f.environmentId, true, () => writesChild(c.bearer, f, CHILD_WRITERS)),
    update: (c, f) =>
      rule(c, 'update', f.environmentId, true, () => writesChild(c.bearer, f, CHILD_UPDATERS)),
    destroy: (c, f) =>
      rule(c, 'delete', f.environmentId, true, () => writesChild(c.bearer, f, CHILD_WRITERS)),
    readRelated: readsRelated,
  };
}

/** What the rules read of a component or process as found (its machine's and license's facts). */
export function childFacts(
  r: Omit<MachineChildFacts, 'bearerIsLicensee'>,
  bearerIsLicensee: boolean,
): MachineChildFacts {
  return {
    environmentId: r.environmentId,
    licenseId: r.licenseId,
    productId: r.productId,
    machineOwnerId: r.machineOwnerId,
    licenseOwnerId: r.licenseOwnerId,
    licenseProtected: r.licenseProtected,
    bearerIsLicensee,
  };
}

/** The facts of the record a create would build (no license when the machine is unknown). */
export function newChildFacts(
  target: Omit<MachineFacts, 'bearerIsLicensee'> | null,
  environmentId: string | null,
): MachineChildFacts {
  return {
    environmentId,
    licenseId: target?.licenseId ?? null,
    productId: target?.productId ?? null,
    machineOwnerId: target?.ownerId ?? null,
    licenseOwnerId: target?.licenseOwnerId ?? null,
    licenseProtected: target?.licenseProtected ?? false,
    bearerIsLicensee: false,
  };
}

/** A machine's facts as the child rules read them (nested `/machines/{id}/components|processes`). */
export function machineAsParent(f: MachineFacts): MachineChildFacts {
  return {
    environmentId: f.environmentId,
    licenseId: f.licenseId,
    productId: f.productId,
    machineOwnerId: f.ownerId,
    licenseOwnerId: f.licenseOwnerId,
    licenseProtected: f.licenseProtected,
    bearerIsLicensee: f.bearerIsLicensee,
  };
}
