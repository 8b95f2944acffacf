import { p } from '@libs/jsonapi';

/** compat: `user` is the pre-1.6 name of `owner`; every `user` goes and one `owner` is appended. */
function rewriteUserInclude(includes: unknown[]): unknown[] {
  const rest = includes.filter((i) => i !== 'user');
  return rest.length === includes.length ? includes : [...rest, 'owner'];
}

/**
 * Query options of both check-out verbs (spec 02 §9.1), typed like Keygen's: `encrypt`
 * `1`/`true` (blank = false), `algorithm` (blank = default), `ttl` (blank = no expiry),
 * `include` comma-separated.
 */
export const CheckoutQueryParams = p.object({
  encrypt: p.boolean({ optional: true, coerce: true }),
  algorithm: p.string({ optional: true, allowBlank: true }),
  ttl: p.integer({ optional: true, coerce: true, nullable: true }),
  include: p.array(null, {
    optional: true,
    coerce: true,
    allowBlank: true,
    transform: rewriteUserInclude,
  }),
});

/** `POST .../check-out` body: the same options under `meta`, overriding the query's. */
export const CheckoutBodyParams = p.object({
  meta: p.object(
    {
      encrypt: p.boolean({ optional: true }),
      algorithm: p.string({ optional: true, allowBlank: true, nullable: true }),
      ttl: p.integer({ optional: true, coerce: true, nullable: true }),
      include: p.array(null, { optional: true, allowBlank: true, transform: rewriteUserInclude }),
    },
    { optional: true },
  ),
});

/** Validated check-out options; absent keys were not given (null ones were, explicitly). */
export interface CheckoutOptionsInput {
  encrypt?: boolean;
  algorithm?: string | null;
  ttl?: number | null;
  include?: unknown[];
}

export interface CheckoutBody {
  meta?: CheckoutOptionsInput;
}
