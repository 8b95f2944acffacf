import { metadataModelError } from '@libs/jsonapi';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { isUuidLike } from '@app/common/ids';

const DOCS = 'https://keygen.sh/docs/api/entitlements/#entitlements-object';
const RESERVED_CODES: readonly string[] = ['actions', 'action'];
const MAX_LENGTH = 255;

const charLength = (s: string): number => [...s].length;
const tooLong = `is too long (maximum is ${MAX_LENGTH} characters)`;

function attributeError(attr: string, code: string, detail: string): ApiErrorItem {
  return {
    detail,
    code,
    source: { pointer: `/data/attributes/${attr}` },
    links: { about: `${DOCS}-attrs-${attr}` },
  };
}

/** The entitlement's values as they will be saved. */
export interface EntitlementFields {
  name: string;
  code: string;
  metadata: unknown;
}

/**
 * Model validation (422) in Keygen's order: code (reserved, taken, length, UUID
 * shape), name, metadata. Codes are unique per account, case-insensitively.
 */
export function entitlementErrors(
  e: EntitlementFields,
  facts: { codeTaken: boolean },
): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  if (RESERVED_CODES.includes(e.code)) {
    errors.push(attributeError('code', 'CODE_NOT_ALLOWED', 'is reserved'));
  }
  if (facts.codeTaken) {
    errors.push(attributeError('code', 'CODE_TAKEN', 'has already been taken'));
  }
  if (charLength(e.code) > MAX_LENGTH) {
    errors.push(attributeError('code', 'CODE_TOO_LONG', tooLong));
  }
  if (isUuidLike(e.code)) {
    errors.push(attributeError('code', 'CODE_INVALID', 'is invalid'));
  }
  if (charLength(e.name) > MAX_LENGTH) {
    errors.push(attributeError('name', 'NAME_TOO_LONG', tooLong));
  }
  const metadata = metadataModelError(e.metadata);
  if (metadata !== null) {
    errors.push(attributeError('metadata', 'METADATA_TOO_LONG', metadata));
  }
  return errors;
}
