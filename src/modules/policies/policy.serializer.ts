import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import type { Policy } from './policy.entity';

const base = (p: Policy): string => `/v1/accounts/${p.accountId}`;
const policyPath = (p: Policy): string => `${base(p)}/policies/${p.id}`;

/**
 * `policies` (spec 02 §2.3, §2.5), attributes in Keygen's order. Older API versions
 * are produced by the response migrations in policy.versioning.ts.
 */
export const PolicySerializer = defineSerializer<Policy>({
  type: 'policies',
  self: policyPath,
  attributes: (p) => ({
    name: p.name,
    duration: p.duration,
    strict: p.strict,
    floating: p.floating,
    usePool: p.usePool,
    maxMachines: p.maxMachines,
    maxProcesses: p.maxProcesses,
    maxUsers: p.maxUsers,
    maxCores: p.maxCores,
    maxMemory: p.maxMemory,
    maxDisk: p.maxDisk,
    maxUses: p.maxUses,
    machineUniquenessStrategy: p.machineUniquenessStrategy,
    machineMatchingStrategy: p.machineMatchingStrategy,
    componentUniquenessStrategy: p.componentUniquenessStrategy,
    componentMatchingStrategy: p.componentMatchingStrategy,
    expirationStrategy: p.expirationStrategy,
    expirationBasis: p.expirationBasis,
    renewalBasis: p.renewalBasis,
    transferStrategy: p.transferStrategy,
    authenticationStrategy: p.authenticationStrategy,
    machineLeasingStrategy: p.machineLeasingStrategy,
    processLeasingStrategy: p.processLeasingStrategy,
    overageStrategy: p.overageStrategy,
    scheme: p.scheme,
    encrypted: p.encrypted,
    protected: p.protected,
    requireProductScope: p.requireProductScope,
    requirePolicyScope: p.requirePolicyScope,
    requireMachineScope: p.requireMachineScope,
    requireFingerprintScope: p.requireFingerprintScope,
    requireComponentsScope: p.requireComponentsScope,
    requireUserScope: p.requireUserScope,
    requireChecksumScope: p.requireChecksumScope,
    requireVersionScope: p.requireVersionScope,
    requireCheckIn: p.requireCheckIn,
    checkInInterval: p.checkInInterval,
    checkInIntervalCount: p.checkInIntervalCount,
    heartbeatDuration: p.heartbeatDuration,
    heartbeatCullStrategy: p.heartbeatCullStrategy,
    heartbeatResurrectionStrategy: p.heartbeatResurrectionStrategy,
    heartbeatBasis: p.heartbeatBasis,
    requireHeartbeat: p.requireHeartbeat,
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
    product: {
      linkage: (p) => ({ type: 'products', id: p.productId }),
      related: (p) => `${policyPath(p)}/product`,
    },
    pool: { kind: 'many', related: (p) => `${policyPath(p)}/pool` },
    licenses: { kind: 'many', related: (p) => `${policyPath(p)}/licenses` },
    entitlements: { kind: 'many', related: (p) => `${policyPath(p)}/entitlements` },
  },
});
