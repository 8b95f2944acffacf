import { metadataModelError } from '@libs/jsonapi';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import {
  FINGERPRINT_MAX,
  RESERVED_FINGERPRINTS,
  charLength,
  limitOf,
  tooLong,
  withinLimit,
} from '@app/modules/machines/machine.rules';
import { processAttributeError, processLimitExceeded } from './process.errors';

/** Longest pid (4 KiB, like fingerprints). */
export const PID_MAX = FINGERPRINT_MAX;

/** pid rules after per-machine uniqueness: reserved words, then length. */
export function pidErrors(pid: string): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  if (RESERVED_FINGERPRINTS.includes(pid)) {
    errors.push(processAttributeError('pid', 'PID_NOT_ALLOWED', 'is reserved'));
  }
  if (charLength(pid) > PID_MAX) {
    errors.push(processAttributeError('pid', 'PID_TOO_LONG', tooLong(PID_MAX)));
  }
  return errors;
}

export function metadataErrors(metadata: unknown): ApiErrorItem[] {
  const detail = metadataModelError(metadata);
  return detail ? [processAttributeError('metadata', 'METADATA_TOO_LONG', detail)] : [];
}

/**
 * The bucket processLeasingStrategy counts in (§3.3): PER_MACHINE, the default (also
 * for null); an unknown value checks nothing, as in Keygen.
 */
export type ProcessLeasing = 'machine' | 'license' | 'user';

export function processLeasing(strategy: string | null): ProcessLeasing | null {
  switch (strategy) {
    case null:
    case 'PER_MACHINE':
      return 'machine';
    case 'PER_LICENSE':
      return 'license';
    case 'PER_USER':
      return 'user';
    default:
      return null;
  }
}

/** An override of 0 counts as unset (Rails' `attr?` on integers). */
function present(n: number | null): n is number {
  return n !== null && n !== 0;
}

/** The limit that applies to a spawn, or null when nothing is checked. */
export interface ProcessLimit {
  bucket: ProcessLeasing;
  max: number;
}

/**
 * Which limit a spawn is checked against (§3.3): skipped when the machine's
 * maxProcesses (its override, else the license's) is unset or the policy always
 * allows overage; PER_MACHINE uses the machine's, the other buckets the license's.
 */
export function processLimit(
  strategy: string | null,
  overage: string | null,
  machineOverride: number | null,
  licenseMax: number | null,
): ProcessLimit | null {
  const machineMax = present(machineOverride) ? machineOverride : licenseMax;
  const bucket = processLeasing(strategy);
  if (machineMax === null || overage === 'ALWAYS_ALLOW_OVERAGE' || bucket === null) {
    return null;
  }
  const max = bucket === 'machine' ? machineMax : licenseMax;
  return max === null ? null : { bucket, max };
}

/** The 422 for a spawn that would make `count + 1` processes in the bucket, if over (§0.6). */
export function processLimitErrors(
  limit: ProcessLimit | null,
  overage: string | null,
  count: number,
): ApiErrorItem[] {
  if (limit === null || withinLimit(overage, limitOf(limit.max), BigInt(count + 1))) {
    return [];
  }
  return [processLimitExceeded(limit.bucket, limit.max)];
}
