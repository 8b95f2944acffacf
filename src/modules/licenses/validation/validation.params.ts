import { p, type ObjectNode } from '@libs/jsonapi';
import type { ValidationScope } from './license-validation';

/**
 * Validation bodies (spec 02 §6.1) as typed params: wrong types, blanks and null
 * array items are 400s with a pointer (`/meta/scope/fingerprints/0`); a null for
 * a non-nullable optional member is dropped, so `checksum: null` is "no checksum
 * scope". `user` and `environment` keep a null.
 */
const scope = (): ObjectNode =>
  p.object(
    {
      product: p.string({ optional: true }),
      policy: p.string({ optional: true }),
      user: p.string({ optional: true, nullable: true }),
      machine: p.string({ optional: true }),
      fingerprint: p.string({ optional: true }),
      fingerprints: p.array(p.string(), { optional: true }),
      components: p.array(p.string(), { optional: true }),
      entitlements: p.array(p.string(), { optional: true }),
      checksum: p.string({ optional: true }),
      version: p.string({ optional: true }),
      environment: p.string({ optional: true, nullable: true }),
    },
    { optional: true },
  );

/** `POST /licenses/{id}/actions/validate`: everything optional. */
export const ValidateByIdParams: ObjectNode = p.object({
  meta: p.object(
    {
      nonce: p.integer({ optional: true }),
      scope: scope(),
    },
    { optional: true },
  ),
});

/** `POST /licenses/actions/validate-key`: `meta.key` is required and non-blank. */
export const ValidateKeyParams: ObjectNode = p.object({
  meta: p.object({
    key: p.string(),
    legacy_encrypted: p.boolean({ optional: true }),
    encrypted: p.boolean({ optional: true }),
    nonce: p.integer({ optional: true }),
    scope: scope(),
  }),
});

export interface ValidateByIdBody {
  meta?: { nonce?: number; scope?: ValidationScope };
}

export interface ValidateKeyBody {
  meta: {
    key: string;
    legacy_encrypted?: boolean;
    encrypted?: boolean;
    nonce?: number;
    scope?: ValidationScope;
  };
}
