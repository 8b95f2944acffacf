import {
  registerResponseMigration,
  type MigrationInput,
} from '@app/common/versioning/response-migrations';

/**
 * Response migrations of the validation routes (spec 02 §6.6, §12). Importing
 * this file registers them. Like Keygen's, a renamed member moves to the end of
 * its object.
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

/** ≤1.5: the license's `owner` relationship is `user`, linked to `/licenses/{id}/user`. */
export function renameOwnerToUser(data: unknown): void {
  const r = data as {
    type?: unknown;
    id?: unknown;
    relationships?: Record<string, unknown>;
  } | null;
  const rels = r?.relationships;
  if (!r || r.type !== 'licenses' || !rels || !('owner' in rels)) {
    return;
  }
  const account = (rels.account as { data?: { id?: string } } | undefined)?.data?.id;
  const owner = rels.owner as Record<string, unknown>;
  delete rels.owner;
  rels.user = {
    ...owner,
    links: { related: `/v1/accounts/${account}/licenses/${String(r.id)}/user` },
  };
}

registerResponseMigration({
  version: '1.5',
  name: 'validation-owner-to-user',
  transform(input) {
    if (isValidationResponse(input)) {
      renameOwnerToUser(input.body?.data);
    }
  },
});

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
