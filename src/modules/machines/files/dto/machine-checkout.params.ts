import { p } from '@libs/jsonapi';

/** compat: `license.user` is the pre-1.6 name of `license.owner` (moved to the end). */
function rewriteLicenseUser(includes: unknown[]): unknown[] {
  const rest = includes.filter((i) => i !== 'license.user');
  return rest.length === includes.length ? includes : [...rest, 'license.owner'];
}

/**
 * Query options of both check-out verbs (spec 03 §1.9.1), typed like Keygen's:
 * `encrypt` (coerced), `algorithm` (blank = default), `ttl` (blank = no expiry),
 * `include` comma-separated.
 */
export const MachineCheckoutQueryParams = p.object({
  encrypt: p.boolean({ optional: true, coerce: true }),
  algorithm: p.string({ optional: true, allowBlank: true }),
  ttl: p.integer({ optional: true, coerce: true, nullable: true }),
  include: p.array(null, {
    optional: true,
    coerce: true,
    allowBlank: true,
    transform: rewriteLicenseUser,
  }),
});

/** `POST .../check-out` body: the same options under `meta`, overriding the query's. */
export const MachineCheckoutBodyParams = p.object({
  meta: p.object(
    {
      encrypt: p.boolean({ optional: true }),
      algorithm: p.string({ optional: true, allowBlank: true, nullable: true }),
      ttl: p.integer({ optional: true, coerce: true, nullable: true }),
      include: p.array(null, { optional: true, allowBlank: true, transform: rewriteLicenseUser }),
    },
    { optional: true },
  ),
});

/** Validated check-out options; absent keys were not given (null ones were, explicitly). */
export interface MachineCheckoutInput {
  encrypt?: boolean;
  algorithm?: string | null;
  ttl?: number | null;
  include?: unknown[];
}

export interface MachineCheckoutBody {
  meta?: MachineCheckoutInput;
}
