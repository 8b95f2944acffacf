import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { LicenseEntitlement } from '../license.entity';

const base = (le: LicenseEntitlement): string => `/v1/accounts/${le.accountId}`;
const related = (le: LicenseEntitlement): string =>
  `${base(le)}/licenses/${le.licenseId}/entitlements/${le.entitlementId}`;

/** `license-entitlements` join resources (spec 02 §10.3). */
export const LicenseEntitlementSerializer = defineSerializer<LicenseEntitlement>({
  type: 'license-entitlements',
  self: related,
  // compat: Keygen links join resources with `related` (the nested entitlement), not `self`.
  links: (le) => ({ related: related(le) }),
  attributes: (le) => ({
    created: timestamp(le.createdAt),
    updated: timestamp(le.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (le) => ({ type: 'accounts', id: le.accountId }),
      related: base,
    },
    environment: {
      linkage: (le) => (le.environmentId ? { type: 'environments', id: le.environmentId } : null),
      related: (le) => (le.environmentId ? `${base(le)}/environments/${le.environmentId}` : null),
    },
    entitlement: {
      linkage: (le) => ({ type: 'entitlements', id: le.entitlementId }),
      related: (le) => `${base(le)}/entitlements/${le.entitlementId}`,
    },
    license: {
      linkage: (le) => ({ type: 'licenses', id: le.licenseId }),
      related: (le) => `${base(le)}/licenses/${le.licenseId}`,
    },
  },
});
