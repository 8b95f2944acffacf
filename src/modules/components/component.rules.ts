import { metadataModelError } from '@libs/jsonapi';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import {
  FINGERPRINT_MAX,
  RESERVED_FINGERPRINTS,
  TEXT_MAX,
  charLength,
  tooLong,
} from '@app/modules/machines/machine.rules';
import { componentAttributeError } from './component.errors';

/** Detail per componentUniquenessStrategy (spec 03 §2.4); UNIQUE_PER_MACHINE and null use the plain one. */
export const COMPONENT_TAKEN_FOR: Readonly<Record<string, string>> = {
  UNIQUE_PER_ACCOUNT: 'has already been taken for this account',
  UNIQUE_PER_PRODUCT: 'has already been taken for this product',
  UNIQUE_PER_POLICY: 'has already been taken for this policy',
  UNIQUE_PER_LICENSE: 'has already been taken for this license',
};

export const TAKEN = 'has already been taken';

/** Where a strategy looks for the same fingerprint, beyond the machine itself. */
export type ComponentUniqueness = 'account' | 'product' | 'policy' | 'license' | null;

export function componentUniqueness(strategy: string | null): ComponentUniqueness {
  switch (strategy) {
    case 'UNIQUE_PER_ACCOUNT':
      return 'account';
    case 'UNIQUE_PER_PRODUCT':
      return 'product';
    case 'UNIQUE_PER_POLICY':
      return 'policy';
    case 'UNIQUE_PER_LICENSE':
      return 'license';
    default:
      return null;
  }
}

/** Fingerprint rules on create after the per-machine uniqueness: reserved words, then length. */
export function fingerprintErrors(fingerprint: string): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  if (RESERVED_FINGERPRINTS.includes(fingerprint)) {
    errors.push(componentAttributeError('fingerprint', 'FINGERPRINT_NOT_ALLOWED', 'is reserved'));
  }
  if (charLength(fingerprint) > FINGERPRINT_MAX) {
    errors.push(
      componentAttributeError('fingerprint', 'FINGERPRINT_TOO_LONG', tooLong(FINGERPRINT_MAX)),
    );
  }
  return errors;
}

/** Name and metadata rules of create and update, in Keygen's order. */
export function attributeErrors(c: { name: string; metadata: unknown }): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  if (charLength(c.name) > TEXT_MAX) {
    errors.push(componentAttributeError('name', 'NAME_TOO_LONG', tooLong(TEXT_MAX)));
  }
  const metadata = metadataModelError(c.metadata);
  if (metadata) {
    errors.push(componentAttributeError('metadata', 'METADATA_TOO_LONG', metadata));
  }
  return errors;
}

/**
 * Keygen's environment check between a new record and its machine: a global record
 * needs a global machine; one in an environment needs the machine there, or global
 * when that environment is SHARED (it can only be the current one: the create rule
 * denies any other).
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
