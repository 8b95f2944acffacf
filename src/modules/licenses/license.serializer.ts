import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import { effectiveLimits, nextCheckIn, isProtected, type LicenseView } from './license.view';

const base = (l: LicenseView): string => `/v1/accounts/${l.accountId}`;
export const licensePath = (l: { accountId: string; id: string }): string =>
  `/v1/accounts/${l.accountId}/licenses/${l.id}`;

const ts = (d: Date | null): string | null => (d ? timestamp(d) : null);

/**
 * `licenses` (spec 02 §4.2, §4.10), attributes in Keygen's order. Limits render
 * the effective value (override, else the policy's). A legacy-encrypted license's
 * key is shown only in its create response (`rawKey`). API ≤1.5 renames `owner`
 * to `user` through the response migrations in license.versioning.ts.
 */
export const LicenseSerializer = defineSerializer<LicenseView>({
  type: 'licenses',
  self: licensePath,
  attributes: (l) => {
    const p = l.policy;
    const limits = effectiveLimits(l, p);
    const key = p.encrypted ? l.rawKey : (l.key ?? undefined);
    return {
      name: l.name,
      ...(key !== undefined ? { key } : {}),
      expiry: ts(l.expiry),
      status: l.status,
      uses: l.uses,
      suspended: l.suspended,
      scheme: p.scheme,
      encrypted: p.encrypted,
      strict: p.strict,
      floating: p.floating,
      protected: isProtected(l, p),
      version: l.lastValidatedVersion,
      maxMachines: limits.maxMachines,
      maxProcesses: limits.maxProcesses,
      maxUsers: limits.maxUsers,
      maxCores: limits.maxCores,
      maxMemory: limits.maxMemory,
      maxDisk: limits.maxDisk,
      maxUses: limits.maxUses,
      requireHeartbeat: p.requireHeartbeat,
      requireCheckIn: p.requireCheckIn,
      lastValidated: ts(l.lastValidatedAt),
      lastCheckIn: ts(l.lastCheckInAt),
      nextCheckIn: ts(nextCheckIn(l, p)),
      lastCheckOut: ts(l.lastCheckOutAt),
      permissions: l.renderedPermissions,
      metadata: camelizeKeys(l.metadata ?? {}),
      created: timestamp(l.createdAt),
      updated: timestamp(l.updatedAt),
    };
  },
  relationships: {
    account: {
      linkage: (l) => ({ type: 'accounts', id: l.accountId }),
      related: base,
    },
    environment: {
      linkage: (l) => (l.environmentId ? { type: 'environments', id: l.environmentId } : null),
      related: (l) => (l.environmentId ? `${base(l)}/environments/${l.environmentId}` : null),
    },
    product: {
      linkage: (l) => ({ type: 'products', id: l.productId }),
      related: (l) => `${licensePath(l)}/product`,
    },
    policy: {
      linkage: (l) => ({ type: 'policies', id: l.policyId }),
      related: (l) => `${licensePath(l)}/policy`,
    },
    group: {
      linkage: (l) => (l.groupId ? { type: 'groups', id: l.groupId } : null),
      related: (l) => `${licensePath(l)}/group`,
    },
    owner: {
      linkage: (l) => (l.ownerId ? { type: 'users', id: l.ownerId } : null),
      related: (l) => `${licensePath(l)}/owner`,
    },
    users: {
      kind: 'many',
      related: (l) => `${licensePath(l)}/users`,
      meta: (l) => ({ count: l.usersCount }),
    },
    machines: {
      kind: 'many',
      related: (l) => `${licensePath(l)}/machines`,
      meta: (l) => ({
        cores: l.machineStats.cores,
        memory: l.machineStats.memory,
        disk: l.machineStats.disk,
        count: l.machineStats.count,
      }),
    },
    tokens: { kind: 'many', related: (l) => `${licensePath(l)}/tokens` },
    entitlements: { kind: 'many', related: (l) => `${licensePath(l)}/entitlements` },
  },
});
