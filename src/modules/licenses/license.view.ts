import { addInterval } from '@libs/licensing';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { User } from '@app/modules/users/user.entity';
import type { License } from './license.entity';

/** The computed license status (spec 02 §4.3). */
export type LicenseStatus = 'BANNED' | 'SUSPENDED' | 'EXPIRED' | 'EXPIRING' | 'INACTIVE' | 'ACTIVE';

export const THREE_DAYS_MS = 3 * 24 * 3600 * 1000;
export const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;

/** Sums over a license's machines (the `machines` relationship meta). */
export interface MachineStats {
  count: number;
  cores: number;
  /** bigint sums as decimal strings rendered as JSON numbers only when exact. */
  memory: number;
  disk: number;
}

export type LicenseOwner = Pick<User, 'id' | 'email' | 'bannedAt' | 'permissions' | 'role'>;

/**
 * A license as services hand it around and the serializer renders it: the row plus
 * its policy and owner, and the values computed at load time (status needs a
 * clock, permissions the account defaults).
 */
export interface LicenseView extends License {
  policy: Policy;
  owner: LicenseOwner | null;
  status: LicenseStatus;
  /**
   * Rendered `permissions`: the effective set (explicit, else the default license set,
   * intersected with the owner's).
   */
  renderedPermissions: readonly string[];
  /** Number of licensees + 1 with an owner (`users` relationship meta). */
  usersCount: number;
  machineStats: MachineStats;
  /** Only on a legacy-encrypted license's create response: the one-time raw key. */
  rawKey?: string;
}

/** An override of 0 falls back to the policy's value (Keygen quirk, §4.2). */
function effective<T extends number>(override: T | null, policyValue: T | null): T | null {
  return override !== null && override !== 0 ? override : policyValue;
}

export function effectiveLimits(l: License, p: Policy) {
  return {
    maxMachines: effective(l.maxMachines, p.maxMachines),
    maxProcesses: effective(l.maxProcesses, p.maxProcesses),
    maxUsers: effective(l.maxUsers, p.maxUsers),
    maxCores: effective(l.maxCores, p.maxCores),
    maxMemory: effective(l.maxMemory, p.maxMemory),
    maxDisk: effective(l.maxDisk, p.maxDisk),
    maxUses: effective(l.maxUses, p.maxUses),
  };
}

export function isExpired(l: Pick<License, 'expiry'>, now: Date): boolean {
  return l.expiry !== null && l.expiry.getTime() < now.getTime();
}

export function isExpiring(l: Pick<License, 'expiry'>, now: Date): boolean {
  if (l.expiry === null) {
    return false;
  }
  const t = l.expiry.getTime();
  return t > now.getTime() && t < now.getTime() + THREE_DAYS_MS;
}

/** Whether the license is protected: the explicit value, else the policy's. */
export function isProtected(l: Pick<License, 'protected'>, p: Pick<Policy, 'protected'>): boolean {
  return l.protected ?? p.protected;
}

/** Whether the policy asks for check-ins with a usable interval. */
export function requiresCheckIn(p: Policy): boolean {
  return p.requireCheckIn && p.checkInInterval !== null && p.checkInIntervalCount !== null;
}

/** lastCheckIn + count × interval (calendar), or null (§4.2 nextCheckIn). */
export function nextCheckIn(l: License, p: Policy): Date | null {
  if (!p.requireCheckIn || l.lastCheckInAt === null || !requiresCheckIn(p)) {
    return null;
  }
  return addInterval(
    l.lastCheckInAt,
    p.checkInIntervalCount as number,
    p.checkInInterval as 'day' | 'week' | 'month' | 'year',
  );
}

/** §4.3, first match wins. */
export function computeStatus(l: License, owner: LicenseOwner | null, now: Date): LicenseStatus {
  if (owner?.bannedAt) {
    return 'BANNED';
  }
  if (l.suspended) {
    return 'SUSPENDED';
  }
  if (isExpired(l, now)) {
    return 'EXPIRED';
  }
  if (isExpiring(l, now)) {
    return 'EXPIRING';
  }
  const since = now.getTime() - NINETY_DAYS_MS;
  const recent = [l.lastValidatedAt, l.lastCheckOutAt, l.lastCheckInAt].some(
    (t) => t !== null && t.getTime() >= since,
  );
  if (l.createdAt.getTime() < since && !recent) {
    return 'INACTIVE';
  }
  return 'ACTIVE';
}
