import { p } from '@libs/jsonapi';

/**
 * compat: `from` is the pre-1.6 name of the include `to`; every `from` goes and one
 * `to` is appended.
 */
export function renamedInclude(from: string, to: string): (includes: unknown[]) => unknown[] {
  return (includes) => {
    const rest = includes.filter((i) => i !== from);
    return rest.length === includes.length ? includes : [...rest, to];
  };
}

/**
 * The option schemas of a license or machine check-out (spec 02 §9.1, spec 03 §1.9.1),
 * which differ only in how an old include name is rewritten.
 *
 * `query`: the options of both verbs, typed like Keygen's: `encrypt` `1`/`true`
 * (blank = false), `algorithm` (blank = default), `ttl` (blank = no expiry), `include`
 * comma-separated.
 *
 * `body`: the `POST .../check-out` body, the same options under `meta`, overriding the
 * query's.
 */
export function checkoutParams(rewriteInclude: (includes: unknown[]) => unknown[]) {
  return {
    query: p.object({
      encrypt: p.boolean({ optional: true, coerce: true }),
      algorithm: p.string({ optional: true, allowBlank: true }),
      ttl: p.integer({ optional: true, coerce: true, nullable: true }),
      include: p.array(null, {
        optional: true,
        coerce: true,
        allowBlank: true,
        transform: rewriteInclude,
      }),
    }),
    body: p.object({
      meta: p.object(
        {
          encrypt: p.boolean({ optional: true }),
          algorithm: p.string({ optional: true, allowBlank: true, nullable: true }),
          ttl: p.integer({ optional: true, coerce: true, nullable: true }),
          include: p.array(null, { optional: true, allowBlank: true, transform: rewriteInclude }),
        },
        { optional: true },
      ),
    }),
  };
}

/** License check-out options; `user` is the pre-1.6 name of `owner`. */
const licenseParams = checkoutParams(renamedInclude('user', 'owner'));
export const CheckoutQueryParams = licenseParams.query;
export const CheckoutBodyParams = licenseParams.body;

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
