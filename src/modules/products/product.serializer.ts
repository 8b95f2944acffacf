import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import { renderPermissions } from '@app/common/auth/permissions';
import type { Product } from './product.entity';

const base = (p: Product): string => `/v1/accounts/${p.accountId}`;
const productPath = (p: Product): string => `${base(p)}/products/${p.id}`;
const linksTo =
  (name: string) =>
  (p: Product): string =>
    `${productPath(p)}/${name}`;

/** `products` (spec 02 §1.2–1.3), attributes and relationships in Keygen's order. */
export const ProductSerializer = defineSerializer<Product>({
  type: 'products',
  self: productPath,
  attributes: (p) => ({
    name: p.name,
    code: p.code,
    distributionStrategy: p.distributionStrategy,
    url: p.url,
    platforms: p.platforms,
    permissions: renderPermissions(p.permissions),
    metadata: camelizeKeys(p.metadata ?? {}),
    created: timestamp(p.createdAt),
    updated: timestamp(p.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (p) => ({ type: 'accounts', id: p.accountId }),
      related: base,
    },
    environment: {
      linkage: (p) => (p.environmentId ? { type: 'environments', id: p.environmentId } : null),
      related: (p) => (p.environmentId ? `${base(p)}/environments/${p.environmentId}` : null),
    },
    policies: { kind: 'many', related: linksTo('policies') },
    licenses: { kind: 'many', related: linksTo('licenses') },
    machines: { kind: 'many', related: linksTo('machines') },
    users: { kind: 'many', related: linksTo('users') },
    tokens: { kind: 'many', related: linksTo('tokens') },
    platforms: { kind: 'many', related: linksTo('platforms') },
    channels: { kind: 'many', related: linksTo('channels') },
    releases: { kind: 'many', related: linksTo('releases') },
    artifacts: { kind: 'many', related: linksTo('artifacts') },
  },
});
