import { hasRole, isAdminFamily } from '@app/common/auth/bearer';
import { chain, when, type Decision } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import type { LicenseFacts } from '../license.policy';
import type { CheckoutInclude } from './checkout-options';

/** The read permission each include needs on top of `license.read` (spec 02 §9.2 rule 5). */
const INCLUDE_PERMISSIONS: Record<CheckoutInclude, string> = {
  entitlements: 'entitlement.read',
  environment: 'environment.read',
  group: 'group.read',
  owner: 'user.read',
  users: 'user.read',
  product: 'product.read',
  policy: 'policy.read',
};

/** `license.read` plus one read permission per include, without repeats. */
export function licenseFilePermissions(includes: readonly CheckoutInclude[]): string[] {
  return [...new Set(['license.read', ...includes.map((i) => INCLUDE_PERMISSIONS[i])])];
}

/**
 * Reading the checked-out file (Keygen's LicenseFilePolicy#show?), after the license's
 * check-out rule: the read permissions for what it carries, the environment (not
 * strict), then who may read the license.
 */
export const licenseFilePolicy = {
  show(c: Caller, l: LicenseFacts, includes: readonly CheckoutInclude[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, ...licenseFilePermissions(includes)),
      () => environmentFits(c, l.environmentId, false),
      () => {
        if (isAdminFamily(b) || hasRole(b, 'environment')) {
          return true;
        }
        if (hasRole(b, 'product')) {
          return when(b.id === l.productId);
        }
        if (hasRole(b, 'user')) {
          return when(l.ownerId === b.id || l.bearerIsLicensee);
        }
        if (hasRole(b, 'license')) {
          return when(b.id === l.id);
        }
        return when(false);
      },
    );
  },
};
