import type { Product } from '@app/modules/products/product.entity';

export const FORBIDDEN = 'You do not have permission to complete the request';
export const DENIED = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const lacks = (words: string): string =>
  `${FORBIDDEN} (${words} lacks permission to perform action)`;
export const RECORD_ENV = `${FORBIDDEN} (record environment is not compatible with the current environment)`;

export const denied = (detail = DENIED) => ({ title: 'Access denied', detail });

export const notFound = (model: string, id: string) => ({
  title: 'Not found',
  detail: `The requested ${model} '${id}' was not found`,
  code: 'NOT_FOUND',
});

export const badRequest = (detail: string, pointer: string) => ({
  title: 'Bad request',
  detail,
  source: { pointer },
});

/** A 422 item as Keygen renders product model errors. */
export const productError = (attr: string, code: string, detail: string) => ({
  title: 'Unprocessable resource',
  detail,
  code,
  source: { pointer: `/data/attributes/${attr}` },
  links: { about: `https://keygen.sh/docs/api/products/#products-object-attrs-${attr}` },
});

/** `{ data: { type: 'products', attributes, ... } }` */
export function productDoc(
  attributes: Record<string, unknown>,
  extra: { relationships?: Record<string, unknown>; id?: string; type?: string } = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = { type: extra.type ?? 'products' };
  if (extra.id !== undefined) {
    data.id = extra.id;
  }
  data.attributes = attributes;
  if (extra.relationships) {
    data.relationships = extra.relationships;
  }
  return { data };
}

/** The full `products` resource object Keygen renders. */
export function productResource(p: Product, overrides: Record<string, unknown> = {}) {
  const base = `/v1/accounts/${p.accountId}`;
  const self = `${base}/products/${p.id}`;
  return {
    id: p.id,
    type: 'products',
    attributes: {
      name: p.name,
      code: p.code,
      distributionStrategy: p.distributionStrategy,
      url: p.url,
      platforms: p.platforms,
      permissions: [...p.permissions].sort(),
      metadata: {},
      created: p.createdAt.toISOString(),
      updated: p.updatedAt.toISOString(),
      ...overrides,
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: p.accountId } },
      environment: p.environmentId
        ? {
            links: { related: `${base}/environments/${p.environmentId}` },
            data: { type: 'environments', id: p.environmentId },
          }
        : { links: { related: null }, data: null },
      policies: { links: { related: `${self}/policies` } },
      licenses: { links: { related: `${self}/licenses` } },
      machines: { links: { related: `${self}/machines` } },
      users: { links: { related: `${self}/users` } },
      tokens: { links: { related: `${self}/tokens` } },
      platforms: { links: { related: `${self}/platforms` } },
      channels: { links: { related: `${self}/channels` } },
      releases: { links: { related: `${self}/releases` } },
      artifacts: { links: { related: `${self}/artifacts` } },
    },
    links: { self },
  };
}
