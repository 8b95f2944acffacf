import { metadataModelError } from '@libs/jsonapi';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { machineAttributeError } from './machine.errors';

/** Fingerprints that would collide with the `/machines/{id}/actions` routes. */
export const RESERVED_FINGERPRINTS: readonly string[] = ['actions', 'action'];
export const FINGERPRINT_MAX = 4096;
export const TEXT_MAX = 255;
export const INT4_MAX = 2_147_483_647n;
export const INT8_MAX = 9_223_372_036_854_775_807n;
/** Inline components per activation (accepts_nested_attributes_for limit). */
export const MAX_INLINE_COMPONENTS = 20;

/** Character count as Ruby's String#length sees it (code points). */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) {
    n++;
  }
  return n;
}

export const tooLong = (max: number): string => `is too long (maximum is ${max} characters)`;

/**
 * Limit arithmetic (spec 03 §0.6): whether `next` fits `limit` under the overage
 * strategy. The 1.25x/1.5x/2x comparisons are done exactly on integers
 * (next·4 ≤ limit·5, next·2 ≤ limit·3, next ≤ limit·2).
 */
export function withinLimit(strategy: string | null, limit: bigint, next: bigint): boolean {
  if (strategy === 'ALWAYS_ALLOW_OVERAGE' || next <= limit) {
    return true;
  }
  switch (strategy) {
    case 'ALLOW_1_25X_OVERAGE':
      return next * 4n <= limit * 5n;
    case 'ALLOW_1_5X_OVERAGE':
      return next * 2n <= limit * 3n;
    case 'ALLOW_2X_OVERAGE':
      return next <= limit * 2n;
    default:
      return false;
  }
}

/** A JS number limit (policy or license column) as a bigint. */
export function limitOf(n: number): bigint {
  return BigInt(Math.trunc(n));
}

/** The machine attributes the model validations read. */
export interface MachineAttributes {
  name: string | null;
  ip: string | null;
  hostname: string | null;
  platform: string | null;
  /** Digits or a number (activation passes the exact literal). */
  cores: number | string | null;
  memory: string | null;
  disk: string | null;
  metadata: unknown;
}

function rangeError(
  attr: 'cores' | 'memory' | 'disk',
  value: bigint | null,
  max: bigint,
): ApiErrorItem | null {
  if (value === null) {
    return null;
  }
  const code = `${attr.toUpperCase()}_INVALID`;
  if (value < 1n) {
    return machineAttributeError(attr, code, 'must be greater than or equal to 1');
  }
  if (value > max) {
    return machineAttributeError(attr, code, `must be less than or equal to ${max}`);
  }
  return null;
}

/** Fingerprint rules on create (§1.2): reserved words, then length. */
export function fingerprintErrors(fingerprint: string): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  if (RESERVED_FINGERPRINTS.includes(fingerprint)) {
    errors.push(machineAttributeError('fingerprint', 'FINGERPRINT_NOT_ALLOWED', 'is reserved'));
  }
  if (charLength(fingerprint) > FINGERPRINT_MAX) {
    errors.push(
      machineAttributeError('fingerprint', 'FINGERPRINT_TOO_LONG', tooLong(FINGERPRINT_MAX)),
    );
  }
  return errors;
}

/** Attribute validations of create and update, in Keygen's order. */
export function attributeErrors(m: MachineAttributes): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  const metadata = metadataModelError(m.metadata);
  if (metadata) {
    errors.push(machineAttributeError('metadata', 'METADATA_TOO_LONG', metadata));
  }
  for (const e of [
    rangeError('cores', m.cores === null ? null : BigInt(m.cores), INT4_MAX),
    rangeError('memory', m.memory === null ? null : BigInt(m.memory), INT8_MAX),
    rangeError('disk', m.disk === null ? null : BigInt(m.disk), INT8_MAX),
  ]) {
    if (e) {
      errors.push(e);
    }
  }
  for (const attr of ['ip', 'hostname', 'platform', 'name'] as const) {
    const v = m[attr];
    if (v !== null && charLength(v) > TEXT_MAX) {
      errors.push(machineAttributeError(attr, `${attr.toUpperCase()}_TOO_LONG`, tooLong(TEXT_MAX)));
    }
  }
  return errors;
}

/**
 * Keygen's environment check between a new record on a machine (a component or a
 * process) and that machine: a global record needs a global machine; one in an
 * environment needs the machine there, or global when that environment is SHARED (it
 * can only be the current one: the create rule denies any other).
 */
export function environmentCompatible(
  ctx: { environment: { id: string; isolationStrategy: string } | null },
  environmentId: string | null,
  machineEnvironmentId: string | null,
): boolean {
  if (environmentId === null) {
    return machineEnvironmentId === null;
  }
  if (machineEnvironmentId === environmentId) {
    return true;
  }
  return (
    machineEnvironmentId === null &&
    ctx.environment?.id === environmentId &&
    ctx.environment.isolationStrategy === 'SHARED'
  );
}
