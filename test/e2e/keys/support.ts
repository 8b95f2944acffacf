import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { BearerLoaders } from '@app/common/auth/ports';
import type { Account } from '@app/modules/accounts/account.entity';
import type { Key } from '@app/modules/keys/key.entity';
import { License } from '@app/modules/licenses/license.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { TestApp } from '../../support/app';
import type { given } from '../../support/factories';

/** A 422 item as Keygen renders key model errors. */
export const keyError = (
  pointer: 'attributes/key' | 'relationships/policy' | 'relationships/environment',
  code: string,
  detail: string,
) => {
  const [kind, name] = pointer.split('/');
  return {
    title: 'Unprocessable resource',
    detail,
    code,
    source: { pointer: `/data/${pointer}` },
    links: {
      about: `https://keygen.sh/docs/api/keys/#keys-object-${kind === 'relationships' ? 'relationships' : 'attrs'}-${name}`,
    },
  };
};

/** An action-level 422 on the pool (no code). */
export const poolError = (detail: string) => ({
  title: 'Unprocessable entity',
  detail,
  source: { pointer: '/data/relationships/pool' },
});

/** `{ data: { type: 'keys', attributes: { key }, relationships: { policy } } }` */
export function keyDoc(
  key: unknown,
  policyId: unknown,
  extra: { relationships?: Record<string, unknown>; type?: string } = {},
): Record<string, unknown> {
  return {
    data: {
      type: extra.type ?? 'keys',
      attributes: { key },
      relationships: {
        policy: { data: { type: 'policies', id: policyId } },
        ...extra.relationships,
      },
    },
  };
}

/** The full `keys` resource object Keygen renders. */
export function keyResource(k: Key, productId: string, overrides: Record<string, unknown> = {}) {
  const base = `/v1/accounts/${k.accountId}`;
  const self = `${base}/keys/${k.id}`;
  return {
    id: k.id,
    type: 'keys',
    attributes: {
      key: k.key,
      created: k.createdAt.toISOString(),
      updated: k.updatedAt.toISOString(),
      ...overrides,
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: k.accountId } },
      environment: k.environmentId
        ? {
            links: { related: `${base}/environments/${k.environmentId}` },
            data: { type: 'environments', id: k.environmentId },
          }
        : { links: { related: null }, data: null },
      product: { links: { related: `${self}/product` }, data: { type: 'products', id: productId } },
      policy: { links: { related: `${self}/policy` }, data: { type: 'policies', id: k.policyId } },
    },
    links: { self },
  };
}

/**
 * A license bearer (license token) on `policy`. NOTE(keys): until the licenses module
 * registers its `licenses` bearer loader, a minimal stand-in resolves the row, so the
 * key rules can be exercised with a real license token; the real loader wins once it exists.
 */
export async function licenseBearer(
  t: TestApp,
  g: ReturnType<typeof given>,
  account: Account,
  policy?: Policy,
): Promise<{ license: License; auth: Record<string, string> }> {
  const loaders = t.app.get(BearerLoaders);
  if (!loaders.get('licenses')) {
    loaders.register('licenses', {
      load: async (scope, id) => {
        const l = await t.ds.getRepository(License).findOneBy({ accountId: scope.accountId, id });
        return l
          ? {
              type: 'licenses',
              id: l.id,
              role: 'license',
              permissions: l.permissions ?? [...DEFAULT_PERMISSIONS.license],
              environmentId: l.environmentId,
              record: { ...l, authenticationStrategy: 'TOKEN' },
            }
          : null;
      },
    });
  }
  const made = await g.license(account, policy ? { policy } : {});
  return { license: made.license, auth: made.auth };
}
