import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, when } from '@app/common/auth/policy';
import type { Role } from '@app/common/auth/roles';
import type { MachineFacts } from './machine.policy';

/**
 * The role rules components and processes share (Keygen's MachineComponentPolicy and
 * MachineProcessPolicy differ only in permission names and the process ping). The
 * per-resource policies keep their permission → environment steps and call these last.
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

export const CHILD_WRITERS: readonly Role[] = ['admin', 'developer', 'sales-agent', 'environment'];
export const CHILD_UPDATERS: readonly Role[] = [...CHILD_WRITERS, 'support-agent'];

const readers = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');
const ownsProduct = (b: Bearer, f: MachineChildFacts): boolean =>
  hasRole(b, 'product') && f.productId !== null && b.id === f.productId;
const isSelf = (b: Bearer, f: MachineChildFacts): boolean =>
  hasRole(b, 'license') && f.licenseId !== null && b.id === f.licenseId;
/** The machine's owner or the license's owner. */
const ownerOrLicenseOwner = (b: Bearer, f: MachineChildFacts): boolean =>
  hasRole(b, 'user') && (f.machineOwnerId === b.id || f.licenseOwnerId === b.id);

/** Index: the rows are already scoped, so only the role can fail. */
export function listsChildren(b: Bearer): Decision {
  return when(readers(b) || hasRole(b, 'product', 'user', 'license'));
}

/** Readers: staff, environments, the product, the license's users, the license itself. */
export function readsChild(b: Bearer, f: MachineChildFacts): Decision {
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
