import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import type { Entitlement } from './entitlement.entity';

const base = (e: Entitlement): string => `/v1/accounts/${e.accountId}`;

/** `entitlements` (spec 02 §10.2). */
export const EntitlementSerializer = defineSerializer<Entitlement>({
  type: 'entitlements',
  self: (e) => `${base(e)}/entitlements/${e.id}`,
  attributes: (e) => ({
    name: e.name,
    code: e.code,
    metadata: camelizeKeys(e.metadata ?? {}),
    created: timestamp(e.createdAt),
    updated: timestamp(e.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (e) => ({ type: 'accounts', id: e.accountId }),
      related: base,
    },
    environment: {
      linkage: (e) => (e.environmentId ? { type: 'environments', id: e.environmentId } : null),
      related: (e) => (e.environmentId ? `${base(e)}/environments/${e.environmentId}` : null),
    },
  },
});
