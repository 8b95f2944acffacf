import type { Entitlement } from '@app/modules/entitlements/entitlement.entity';

/** A 422 item as Keygen renders entitlement model errors. */
export const entitlementError = (attr: string, code: string, detail: string) => ({
  title: 'Unprocessable resource',
  detail,
  code,
  source: { pointer: `/data/attributes/${attr}` },
  links: { about: `https://keygen.sh/docs/api/entitlements/#entitlements-object-attrs-${attr}` },
});

export function entitlementDoc(
  attributes: Record<string, unknown>,
  extra: { relationships?: Record<string, unknown>; id?: string; type?: string } = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = { type: extra.type ?? 'entitlements' };
  if (extra.id !== undefined) {
    data.id = extra.id;
  }
  data.attributes = attributes;
  if (extra.relationships) {
    data.relationships = extra.relationships;
  }
  return { data };
}

/** The full `entitlements` resource object Keygen renders. */
export function entitlementResource(e: Entitlement, overrides: Record<string, unknown> = {}) {
  const base = `/v1/accounts/${e.accountId}`;
  return {
    id: e.id,
    type: 'entitlements',
    attributes: {
      name: e.name,
      code: e.code,
      metadata: {},
      created: e.createdAt.toISOString(),
      updated: e.updatedAt.toISOString(),
      ...overrides,
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: e.accountId } },
      environment: e.environmentId
        ? {
            links: { related: `${base}/environments/${e.environmentId}` },
            data: { type: 'environments', id: e.environmentId },
          }
        : { links: { related: null }, data: null },
    },
    links: { self: `${base}/entitlements/${e.id}` },
  };
}
