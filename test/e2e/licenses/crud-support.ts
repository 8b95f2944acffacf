import type { License } from '@app/modules/licenses/license.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { TestApp } from '../../support/app';
import type { GivenAccount, given } from '../../support/factories';

export const FORBIDDEN = 'You do not have permission to complete the request';
export const DENIED = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const RECORD_ENV = `${FORBIDDEN} (record environment is not compatible with the current environment)`;
export const lacks = (who: string): string =>
  `${FORBIDDEN} (${who} lacks permission to perform action)`;

export const denied = (detail = DENIED) => ({ title: 'Access denied', detail });

export const notFound = (id: string) => ({
  title: 'Not found',
  detail: `The requested license '${id}' was not found`,
  code: 'NOT_FOUND',
});

export const badRequest = (detail: string, pointer: string) => ({
  title: 'Bad request',
  detail,
  source: { pointer },
});

const DOCS = 'https://keygen.sh/docs/api/licenses/#licenses-object';

/** A 422 item as Keygen renders license model errors (`attributes/x`, `relationships/x` or `id`). */
export const licenseError = (path: string, code: string, detail: string) => {
  const [kind, name] = path.split('/');
  const about =
    kind === 'relationships'
      ? `${DOCS}-relationships-${name}`
      : kind === 'attributes'
        ? `${DOCS}-attrs-${name}`
        : DOCS;
  return {
    title: 'Unprocessable resource',
    detail,
    code,
    source: { pointer: `/data/${path}` },
    links: { about },
  };
};

/** `{ data: { type: 'licenses', attributes?, relationships: { policy, ... } } }` */
export function licenseDoc(
  policyId: string | null,
  attributes?: Record<string, unknown>,
  extra: { relationships?: Record<string, unknown>; id?: string; type?: string } = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = { type: extra.type ?? 'licenses' };
  if (extra.id !== undefined) {
    data.id = extra.id;
  }
  if (attributes) {
    data.attributes = attributes;
  }
  const relationships: Record<string, unknown> = {};
  if (policyId !== null) {
    relationships.policy = { data: { type: 'policies', id: policyId } };
  }
  Object.assign(relationships, extra.relationships ?? {});
  data.relationships = relationships;
  return { data };
}

export const owner = (id: string | null) => ({
  owner: { data: id === null ? null : { type: 'users', id } },
});

export const updateDoc = (
  attributes: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  data: { type: 'licenses', attributes, ...extra },
});

/** The full `licenses` resource Keygen renders for a stored license and its policy. */
export function licenseResource(
  l: License,
  p: Policy,
  overrides: Record<string, unknown> = {},
  extra: { usersCount?: number } = {},
) {
  const base = `/v1/accounts/${l.accountId}`;
  const self = `${base}/licenses/${l.id}`;
  const ts = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: l.id,
    type: 'licenses',
    attributes: {
      name: l.name,
      key: l.key,
      expiry: ts(l.expiry),
      status: 'ACTIVE',
      uses: l.uses,
      suspended: l.suspended,
      scheme: p.scheme,
      encrypted: p.encrypted,
      strict: p.strict,
      floating: p.floating,
      protected: l.protected ?? p.protected,
      version: null,
      maxMachines: l.maxMachines || p.maxMachines,
      maxProcesses: l.maxProcesses || p.maxProcesses,
      maxUsers: l.maxUsers || p.maxUsers,
      maxCores: l.maxCores || p.maxCores,
      maxMemory: l.maxMemory || p.maxMemory,
      maxDisk: l.maxDisk || p.maxDisk,
      maxUses: l.maxUses || p.maxUses,
      requireHeartbeat: p.requireHeartbeat,
      requireCheckIn: p.requireCheckIn,
      lastValidated: ts(l.lastValidatedAt),
      lastCheckIn: ts(l.lastCheckInAt),
      nextCheckIn: null,
      lastCheckOut: ts(l.lastCheckOutAt),
      permissions: [...(l.permissions ?? [])].sort(),
      metadata: l.metadata,
      created: l.createdAt.toISOString(),
      updated: l.updatedAt.toISOString(),
      ...overrides,
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: l.accountId } },
      environment: l.environmentId
        ? {
            links: { related: `${base}/environments/${l.environmentId}` },
            data: { type: 'environments', id: l.environmentId },
          }
        : { links: { related: null }, data: null },
      product: {
        links: { related: `${self}/product` },
        data: { type: 'products', id: l.productId },
      },
      policy: { links: { related: `${self}/policy` }, data: { type: 'policies', id: l.policyId } },
      group: {
        links: { related: `${self}/group` },
        data: l.groupId ? { type: 'groups', id: l.groupId } : null,
      },
      owner: {
        links: { related: `${self}/owner` },
        data: l.ownerId ? { type: 'users', id: l.ownerId } : null,
      },
      users: {
        links: { related: `${self}/users` },
        meta: { count: extra.usersCount ?? (l.ownerId ? 1 : 0) },
      },
      machines: {
        links: { related: `${self}/machines` },
        meta: { cores: 0, memory: 0, disk: 0, count: 0 },
      },
      tokens: { links: { related: `${self}/tokens` } },
      entitlements: { links: { related: `${self}/entitlements` } },
    },
    links: { self },
  };
}

export type Given = ReturnType<typeof given>;

/** Every kind of bearer the role matrices use, all in one account. */
export async function bearers(t: TestApp, g: Given, a: GivenAccount) {
  const staff = async (role: 'developer' | 'sales-agent' | 'support-agent' | 'read-only') =>
    (await g.user(a.account, { role })).auth;
  const env = await g.environment(a.account);
  const own = await g.product(a.account);
  const other = await g.product(a.account);
  const user = await g.user(a.account);
  const licensee = await g.user(a.account);
  const stranger = await g.user(a.account);
  return {
    t,
    admin: a.auth,
    developer: await staff('developer'),
    salesAgent: await staff('sales-agent'),
    supportAgent: await staff('support-agent'),
    readOnly: await staff('read-only'),
    env,
    ownProduct: own,
    otherProduct: other,
    user,
    licensee,
    stranger,
  };
}
