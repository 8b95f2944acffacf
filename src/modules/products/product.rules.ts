import { metadataModelError } from '@libs/jsonapi';
import { isAllowedForRole, isKnownPermission } from '@app/common/auth/permissions';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { isUuidLike } from '@app/common/ids';
import { DISTRIBUTION_STRATEGIES } from './product.entity';
import { productAttributeError, productPermissionsNotAllowed } from './product.errors';
import { urlProblems } from './url-validation';

/** Codes Keygen reserves for URL aliases (`EXCLUDED_ALIASES`). */
export const RESERVED_CODES: readonly string[] = ['actions', 'action'];
export const MAX_LENGTH = 255;
const URL_PROTOCOLS = ['https', 'http'];

/** Character count as Ruby's String#length sees it (code points). */
export const charLength = (s: string): number => [...s].length;
export const tooLong = (max: number): string => `is too long (maximum is ${max} characters)`;

/**
 * Assignment-time check (Keygen raises while assigning, before authorizing): every
 * entry must be a known action or `*`, and duplicates must not shrink the set.
 */
export function permissionsKnown(permissions: readonly string[]): boolean {
  return new Set(permissions).size === permissions.length && permissions.every(isKnownPermission);
}

/** The product's values as they will be saved (create: all; update: merged). */
export interface ProductFields {
  name: string;
  code: string | null;
  url: string | null;
  distributionStrategy: string | null;
  permissions: readonly string[];
  metadata: unknown;
}

export interface ProductFacts {
  /** Another product of the account has this code (case-insensitive). */
  codeTaken: boolean;
}

/**
 * Model validation (422) in Keygen's order: permissions (role), code, name, url,
 * distribution strategy, metadata. Every failing rule is reported, duplicates of
 * the same code and pointer collapse.
 */
export function productErrors(p: ProductFields, facts: ProductFacts): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  if (!p.permissions.every((perm) => isAllowedForRole('product', perm))) {
    errors.push(productPermissionsNotAllowed());
  }
  if (p.code !== null) {
    if (RESERVED_CODES.includes(p.code)) {
      errors.push(productAttributeError('code', 'CODE_NOT_ALLOWED', 'is reserved'));
    }
    if (facts.codeTaken) {
      errors.push(productAttributeError('code', 'CODE_TAKEN', 'has already been taken'));
    }
    if (charLength(p.code) > MAX_LENGTH) {
      errors.push(productAttributeError('code', 'CODE_TOO_LONG', tooLong(MAX_LENGTH)));
    }
    if (isUuidLike(p.code)) {
      errors.push(productAttributeError('code', 'CODE_INVALID', 'is invalid'));
    }
  }
  if (charLength(p.name) > MAX_LENGTH) {
    errors.push(productAttributeError('name', 'NAME_TOO_LONG', tooLong(MAX_LENGTH)));
  }
  if (p.url !== null) {
    for (const problem of urlProblems(p.url, URL_PROTOCOLS)) {
      switch (problem) {
        case 'PROTOCOL_INVALID':
          errors.push(
            productAttributeError(
              'url',
              'URL_PROTOCOL_INVALID',
              `must be a valid URL using one of the following protocols: ${URL_PROTOCOLS.join(', ')}`,
            ),
          );
          break;
        case 'HOST_INVALID':
          errors.push(
            productAttributeError('url', 'URL_HOST_INVALID', 'must be a URL with a valid host'),
          );
          break;
        case 'INVALID':
          errors.push(productAttributeError('url', 'URL_INVALID', 'must be a valid URL'));
          break;
      }
    }
    if (charLength(p.url) > MAX_LENGTH) {
      errors.push(productAttributeError('url', 'URL_TOO_LONG', tooLong(MAX_LENGTH)));
    }
  }
  if (
    p.distributionStrategy !== null &&
    !(DISTRIBUTION_STRATEGIES as readonly string[]).includes(p.distributionStrategy)
  ) {
    errors.push(
      productAttributeError(
        'distributionStrategy',
        'DISTRIBUTION_STRATEGY_NOT_ALLOWED',
        'unsupported distribution strategy',
      ),
    );
  }
  const metadata = metadataModelError(p.metadata);
  if (metadata !== null) {
    errors.push(productAttributeError('metadata', 'METADATA_TOO_LONG', metadata));
  }
  return errors;
}
