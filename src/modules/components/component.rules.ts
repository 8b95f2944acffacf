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
