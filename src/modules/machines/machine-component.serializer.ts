import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import type { MachineComponent } from './machine.entity';

/** A component with the license and product it hangs under (via its machine). */
export interface ComponentView extends MachineComponent {
  licenseId: string;
  productId: string;
}

const base = (c: { accountId: string }): string => `/v1/accounts/${c.accountId}`;
export const componentPath = (c: { accountId: string; id: string }): string =>
  `${base(c)}/components/${c.id}`;

/** `components` (spec 03 §2.2–2.3), attributes in Keygen's order (metadata last). */
export const ComponentSerializer = defineSerializer<ComponentView>({
  type: 'components',
  self: componentPath,
  attributes: (c) => ({
    fingerprint: c.fingerprint,
    name: c.name,
    created: timestamp(c.createdAt),
    updated: timestamp(c.updatedAt),
    metadata: camelizeKeys(c.metadata ?? {}),
  }),
  relationships: {
    account: {
      linkage: (c) => ({ type: 'accounts', id: c.accountId }),
      related: base,
    },
    environment: {
      linkage: (c) => (c.environmentId ? { type: 'environments', id: c.environmentId } : null),
      related: (c) => (c.environmentId ? `${base(c)}/environments/${c.environmentId}` : null),
    },
    product: {
      linkage: (c) => ({ type: 'products', id: c.productId }),
      related: (c) => `${componentPath(c)}/product`,
    },
    license: {
      linkage: (c) => ({ type: 'licenses', id: c.licenseId }),
      related: (c) => `${componentPath(c)}/license`,
    },
    machine: {
      linkage: (c) => ({ type: 'machines', id: c.machineId }),
      related: (c) => `${componentPath(c)}/machine`,
    },
  },
});
