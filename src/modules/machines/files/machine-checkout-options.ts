import {
  checkoutSigningAlgorithmFor,
  parseCheckoutAlgorithm,
  type CertificateEncoding,
  type SigAlg,
} from '@libs/licensing';
import {
  CheckoutAlgorithmInvalidError,
  CheckoutIncludeInvalidError,
  CheckoutTtlInvalidError,
} from '@app/modules/licenses/files/license-file.errors';
import type { MachineCheckoutInput } from './dto/machine-checkout.params';

/** What a machine file may include (spec 03 §1.9.2 rule 2). */
export const MACHINE_CHECKOUT_INCLUDES = [
  'license.entitlements',
  'license.product',
  'license.policy',
  'license.owner',
  'license.users',
  'license',
  'components',
  'environment',
  'group',
  'owner',
] as const;
export type MachineCheckoutInclude = (typeof MACHINE_CHECKOUT_INCLUDES)[number];

/** The read permission each include needs on top of `machine.read` (§1.9.2 rule 5). */
export const INCLUDE_PERMISSIONS: Record<MachineCheckoutInclude, string> = {
  'license.entitlements': 'entitlement.read',
  'license.owner': 'user.read',
  'license.users': 'user.read',
  'license.product': 'product.read',
  'license.policy': 'policy.read',
  environment: 'environment.read',
  license: 'license.read',
  owner: 'user.read',
  components: 'component.read',
  group: 'group.read',
};

/** One month in ActiveSupport seconds: the ttl when none is given. */
export const DEFAULT_CHECKOUT_TTL = 2_629_746;
export const MIN_CHECKOUT_TTL = 3600;

export interface MachineCheckoutOptions {
  enc: CertificateEncoding;
  sig: SigAlg;
  algorithm: string;
  ttl: number | null;
  /** Deduplicated, in request order. */
  includes: MachineCheckoutInclude[];
}

const isInclude = (v: unknown): v is MachineCheckoutInclude =>
  typeof v === 'string' && (MACHINE_CHECKOUT_INCLUDES as readonly string[]).includes(v);

/**
 * The merged query/meta options in Keygen's order of checks: includes, ttl, algorithm.
 * An explicit algorithm overrides `encrypt`; the default signs with the algorithm of
 * the license's scheme.
 */
export function resolveMachineCheckoutOptions(
  input: MachineCheckoutInput,
  scheme: string | null,
): MachineCheckoutOptions {
  const requested = input.include ?? [];
  if (!requested.every(isInclude)) {
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
