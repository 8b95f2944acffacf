import { validateParams, type ObjectNode } from '@libs/jsonapi';
import {
  checkoutSigningAlgorithmFor,
  parseCheckoutAlgorithm,
  type CertificateEncoding,
  type SigAlg,
} from '@libs/licensing';
import { ParamError } from '@app/common/errors/api-error';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { CheckoutBody, CheckoutOptionsInput } from './dto/checkout.params';
import {
  CheckoutAlgorithmInvalidError,
  CheckoutIncludeInvalidError,
  CheckoutTtlInvalidError,
} from './license-file.errors';

/** What a license file may include (spec 02 §9.2 rule 1), in Keygen's order. */
export const CHECKOUT_INCLUDES = [
  'entitlements',
  'environment',
  'product',
  'policy',
  'group',
  'owner',
  'users',
] as const;
export type CheckoutInclude = (typeof CHECKOUT_INCLUDES)[number];

/** One month in ActiveSupport seconds: the ttl when none is given (license and machine files). */
export const DEFAULT_CHECKOUT_TTL = 2_629_746;
export const MIN_CHECKOUT_TTL = 3600;

export interface CheckoutOptions<I extends string = CheckoutInclude> {
  enc: CertificateEncoding;
  sig: SigAlg;
  /** `<enc>+<sig>` as rendered. */
  algorithm: string;
  /** Seconds, or null for a file that never expires. */
  ttl: number | null;
  /** Requested includes, deduplicated, in request order. */
  includes: I[];
}

/**
 * The typed options of a license or machine check-out: the query's (`querySchema`,
 * typed like Keygen's; unknown keys are ignored and the spec reads `ttl=null` as "no
 * expiry", like an empty value), then, for POST, the body's `meta` options over them.
 */
export function checkoutInput(
  querySchema: ObjectNode,
  query: Record<string, unknown>,
  body?: ParamsThunk<CheckoutBody>,
): CheckoutOptionsInput {
  const input = query.ttl === 'null' ? { ...query, ttl: '' } : query;
  const result = validateParams(querySchema, input, {}, { source: 'parameter' });
  if (!result.ok) {
    throw new ParamError(result.error.detail, result.error.source);
  }
  return { ...(result.value as CheckoutOptionsInput), ...(body?.().meta ?? {}) };
}

/**
 * Resolves the merged query/meta options of a license or machine file check-out (spec 02
 * §9.2, spec 03 §1.9.2) in Keygen's order of checks: includes (against `allowed`, the one
 * rule the two differ on), then ttl, then algorithm. An explicit algorithm overrides
 * `encrypt`; the default signs with the algorithm of the license's scheme.
 */
export function parseCheckoutOptions<I extends string>(
  input: CheckoutOptionsInput,
  scheme: string | null,
  allowed: readonly I[],
): CheckoutOptions<I> {
  const isAllowed = (v: unknown): v is I =>
    typeof v === 'string' && (allowed as readonly string[]).includes(v);
  const requested = input.include ?? [];
  if (!requested.every(isAllowed)) {
    throw new CheckoutIncludeInvalidError();
  }
  const includes = [...new Set(requested)];

  const ttl = input.ttl === undefined ? DEFAULT_CHECKOUT_TTL : input.ttl;
  if (ttl !== null && ttl < MIN_CHECKOUT_TTL) {
    throw new CheckoutTtlInvalidError();
  }

  const explicit = input.algorithm ?? '';
  let enc: CertificateEncoding;
  let sig: SigAlg;
  if (explicit.trim() === '') {
    enc = input.encrypt ? 'aes-256-gcm' : 'base64';
    sig = checkoutSigningAlgorithmFor(scheme);
  } else {
    const parsed = parseCheckoutAlgorithm(explicit);
    if (!parsed.ok) {
      throw new CheckoutAlgorithmInvalidError(parsed.detail);
    }
    ({ enc, sig } = parsed);
  }
  return { enc, sig, algorithm: `${enc}+${sig}`, ttl, includes };
}

/** License-file options (spec 02 §9.2). */
export function resolveCheckoutOptions(
  input: CheckoutOptionsInput,
  scheme: string | null,
): CheckoutOptions {
  return parseCheckoutOptions(input, scheme, CHECKOUT_INCLUDES);
}
