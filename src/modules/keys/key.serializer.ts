import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { KeyView } from './key.view';

const base = (k: KeyView): string => `/v1/accounts/${k.accountId}`;
const keyPath = (k: KeyView): string => `${base(k)}/keys/${k.id}`;

/** `keys` (spec 02 §3.2): the product is the policy's. */
export const KeySerializer = defineSerializer<KeyView>({
  type: 'keys',
  self: keyPath,
  attributes: (k) => ({
    key: k.key,
    created: timestamp(k.createdAt),
    updated: timestamp(k.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (k) => ({ type: 'accounts', id: k.accountId }),
      related: base,
    },
    environment: {
      linkage: (k) => (k.environmentId ? { type: 'environments', id: k.environmentId } : null),
      related: (k) => (k.environmentId ? `${base(k)}/environments/${k.environmentId}` : null),
    },
    product: {
      linkage: (k) => ({ type: 'products', id: k.productId }),
      related: (k) => `${keyPath(k)}/product`,
    },
    policy: {
      linkage: (k) => ({ type: 'policies', id: k.policyId }),
      related: (k) => `${keyPath(k)}/policy`,
    },
  },
});
