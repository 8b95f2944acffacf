import {
  registerResponseMigration,
  type MigrationInput,
} from '@app/common/versioning/response-migrations';

/**
 * ≤1.1 response migrations of the validation routes (spec 02 §6.6, §12). Importing
 * this file registers them. Like Keygen's, the renamed member moves to the end of
 * `meta`. The ≤1.5 owner → user rename of the license is license.versioning.ts's.
 */

const ROUTE =
  /^\/v1\/accounts\/:account\/licenses\/(?::[^/]+\/actions\/validate|actions\/validate-key)\/?$/;

/** Whether the response is a successful validation of one of our routes. */
export function isValidationResponse({ method, route, status, body }: MigrationInput): boolean {
  return !!body && status < 400 && (method === 'GET' || method === 'POST') && ROUTE.test(route);
}

/** ≤1.1: `valid` is only true for VALID and EXPIRED (overage-allowed codes become invalid). */
export function adjustValidity(meta: Record<string, unknown>): void {
  if (meta.valid === true) {
    meta.valid = meta.code === 'VALID' || meta.code === 'EXPIRED';
  }
}

/** ≤1.1: `meta.code` is named `constant`. */
export function renameCodeToConstant(meta: Record<string, unknown>): void {
  if ('code' in meta) {
    const code = meta.code;
    delete meta.code;
    meta.constant = code;
  }
}

registerResponseMigration({
  version: '1.1',
  name: 'validation-code-to-constant',
  transform(input) {
    const meta = input.body?.meta as Record<string, unknown> | undefined;
    if (isValidationResponse(input) && meta) {
      adjustValidity(meta);
      renameCodeToConstant(meta);
    }
  },
});
