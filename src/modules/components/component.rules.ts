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

export const TAKEN = 'has already been taken';

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
