import type { Policy } from '@app/modules/policies/policy.entity';
import type { License } from '../license.entity';
import { isExpired, type LicenseOwner } from '../license.view';

/**
 * Which credentials a policy lets its licenses use (spec 02 §2.3, 01 §1.4). A null
 * strategy is TOKEN for tokens (Keygen's backwards compatibility) and never allows
 * license keys; a null expiration strategy revokes access.
 */
export function supportsTokenAuth(strategy: string | null): boolean {
  return strategy === null || strategy === 'TOKEN' || strategy === 'MIXED';
}

export function supportsLicenseAuth(strategy: string | null): boolean {
  return strategy === 'LICENSE' || strategy === 'MIXED';
}

export function revokesAccess(expirationStrategy: string | null): boolean {
  return expirationStrategy === null || expirationStrategy === 'REVOKE_ACCESS';
}

export type LicenseKeyAuthFailure =
  'LICENSE_BANNED' | 'LICENSE_SUSPENDED' | 'LICENSE_EXPIRED' | 'LICENSE_NOT_ALLOWED';

/** What license-key authentication looks at once the key matched. */
export interface LicenseKeyAuthFacts {
  license: Pick<License, 'suspended' | 'expiry'>;
  owner: Pick<LicenseOwner, 'bannedAt'> | null;
  policy: Pick<Policy, 'expirationStrategy' | 'authenticationStrategy'>;
}

/**
 * Spec 01 §1.4 steps 2–5, first match wins: owner banned, suspended, expired under
 * REVOKE_ACCESS, then the policy's authentication strategy. Null = authenticated.
 */
export function licenseKeyAuthFailure(
  f: LicenseKeyAuthFacts,
  now: Date,
): LicenseKeyAuthFailure | null {
  if (f.owner?.bannedAt) {
    return 'LICENSE_BANNED';
  }
  if (f.license.suspended) {
    return 'LICENSE_SUSPENDED';
  }
  if (revokesAccess(f.policy.expirationStrategy) && isExpired(f.license, now)) {
    return 'LICENSE_EXPIRED';
  }
  if (!supportsLicenseAuth(f.policy.authenticationStrategy)) {
    return 'LICENSE_NOT_ALLOWED';
  }
  return null;
}
