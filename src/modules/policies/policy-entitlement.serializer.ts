import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { PolicyEntitlement } from './policy-entitlement.entity';

const base = (pe: PolicyEntitlement): string => `/v1/accounts/${pe.accountId}`;
const related = (pe: PolicyEntitlement): string =>
  `${base(pe)}/policies/${pe.policyId}/entitlements/${pe.entitlementId}`;

/** `policy-entitlements` join resources (spec 02 §10.3). */
export const PolicyEntitlementSerializer = defineSerializer<PolicyEntitlement>({
  type: 'policy-entitlements',
  self: related,
  // compat: Keygen links join resources with `related` (the nested entitlement), not `self`.
  links: (pe) => ({ related: related(pe) }),
  attributes: (pe) => ({
    created: timestamp(pe.createdAt),
    updated: timestamp(pe.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (pe) => ({ type: 'accounts', id: pe.accountId }),
      related: base,
    },
    environment: {
      linkage: (pe) => (pe.environmentId ? { type: 'environments', id: pe.environmentId } : null),
      related: (pe) => (pe.environmentId ? `${base(pe)}/environments/${pe.environmentId}` : null),
    },
    entitlement: {
      linkage: (pe) => ({ type: 'entitlements', id: pe.entitlementId }),
      related: (pe) => `${base(pe)}/entitlements/${pe.entitlementId}`,
    },
    policy: {
      linkage: (pe) => ({ type: 'policies', id: pe.policyId }),
      related: (pe) => `${base(pe)}/policies/${pe.policyId}`,
    },
  },
});
