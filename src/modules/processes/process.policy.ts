import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, chain, when } from '@app/common/auth/policy';
import type { Role } from '@app/common/auth/roles';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';

/**
 * Record-level rules for processes (Keygen's MachineProcessPolicy,
 * MachineProcesses::HeartbeatPolicy and the relationship policies; spec 03 §3.1) as
 * pure functions, each in Keygen's order: permission → environment → role. Services
 * call them after the scoped lookup, so an out-of-scope process is a 404 before any 403.
 */

/** What a rule needs to know about a process (or the one a spawn would build). */
export interface ProcessFacts {
  environmentId: string | null;
  /** Null on spawn when the named machine does not exist. */
  licenseId: string | null;
  productId: string | null;
  machineOwnerId: string | null;
  licenseOwnerId: string | null;
  /** The license's `protected`, else its policy's. */
  licenseProtected: boolean;
  /** Whether the bearer (a user) is a licensee of the machine's license. */
  bearerIsLicensee: boolean;
}

const WRITERS: Role[] = ['admin', 'developer', 'sales-agent', 'environment'];
const UPDATERS: Role[] = [...WRITERS, 'support-agent'];
const PINGERS: Role[] = ['admin', 'developer', 'environment'];

const readers = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');
const ownsProduct = (b: Bearer, f: ProcessFacts): boolean =>
  hasRole(b, 'product') && f.productId !== null && b.id === f.productId;
const isSelf = (b: Bearer, f: ProcessFacts): boolean =>
  hasRole(b, 'license') && f.licenseId !== null && b.id === f.licenseId;
/** The machine's owner or the license's owner. */
const ownerOrLicenseOwner = (b: Bearer, f: ProcessFacts): boolean =>
  hasRole(b, 'user') && (f.machineOwnerId === b.id || f.licenseOwnerId === b.id);

/** Readers: staff, environments, the product, the license's users, the license itself. */
function reads(b: Bearer, f: ProcessFacts): Decision {
  return when(
    readers(b) ||
      ownsProduct(b, f) ||
      ownerOrLicenseOwner(b, f) ||
      (hasRole(b, 'user') && f.bearerIsLicensee) ||
      isSelf(b, f),
  );
}

/** Writers per route; users only as machine or license owner of an unprotected license. */
function writes(b: Bearer, f: ProcessFacts, staff: readonly Role[]): Decision {
  if (hasRole(b, ...staff) || ownsProduct(b, f) || isSelf(b, f)) {
    return true;
  }
  if (ownerOrLicenseOwner(b, f)) {
    return when(!f.licenseProtected);
  }
  return when(false);
}

export const processPolicy = {
  /** GET /processes: the rows are already scoped, so only the role can fail. */
  index: (c: Caller): Decision =>
    chain(
      () => permitted(c, 'process.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => when(readers(c.bearer) || hasRole(c.bearer, 'product', 'user', 'license')),
    ),

  show: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.read'),
      () => environmentFits(c, f.environmentId, false),
      () => reads(c.bearer, f),
    ),

  /** Spawn: a license may spawn on its own machines even when protected. */
  create: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.create'),
      () => environmentFits(c, f.environmentId, true),
      () => writes(c.bearer, f, WRITERS),
    ),

  update: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.update'),
      () => environmentFits(c, f.environmentId, true),
      () => writes(c.bearer, f, UPDATERS),
    ),

  /** Kill. */
  destroy: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.delete'),
      () => environmentFits(c, f.environmentId, true),
      () => writes(c.bearer, f, WRITERS),
    ),

  /** Heartbeat ping: no sales or support agents; environment rule not strict. */
  ping: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.heartbeat.ping'),
      () => environmentFits(c, f.environmentId, false),
      () => writes(c.bearer, f, PINGERS),
    ),

  /**
   * GET /processes/{id}/product|license|machine and a machine's processes:
   * `permission` is the read permission of what is returned, `relatedEnvironmentId`
   * the environment of the record the rule is checked against.
   */
  readRelated: (
    c: Caller,
    f: ProcessFacts,
    permission: string,
    relatedEnvironmentId: string | null,
  ): Decision =>
    chain(
      () => permitted(c, permission),
      () => environmentFits(c, relatedEnvironmentId, false),
      () => reads(c.bearer, f),
    ),
};
