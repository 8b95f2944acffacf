import {
  camelizeKeys,
  defineSerializer,
  exactInteger,
  timestamp,
  type RenderContext,
} from '@libs/jsonapi';
import { versionLte } from '@app/common/versioning/versions';
import {
  heartbeatDuration,
  heartbeatStatus,
  nextHeartbeat,
  requiresHeartbeat,
} from './machine-heartbeat';
import { machineMaxProcesses, type MachineView } from './machine.view';

/** Machines carry the legacy `user` relationship instead of `owner` up to API 1.5. */
const legacyUser = (ctx: RenderContext): boolean => versionLte(ctx.apiVersion, '1.5');

const base = (m: { accountId: string }): string => `/v1/accounts/${m.accountId}`;
export const machinePath = (m: { accountId: string; id: string }): string =>
  `${base(m)}/machines/${m.id}`;

/**
 * `machines` (spec 03 §1.2–1.3), attributes and relationships in Keygen's order.
 * Heartbeat attributes are computed against the render clock; memory and disk
 * render as exact integers (64-bit). There is no `policy` relationship.
 */
export const MachineSerializer = defineSerializer<MachineView>({
  type: 'machines',
  self: machinePath,
  attributes: (m, ctx) => ({
    fingerprint: m.fingerprint,
    cores: m.cores,
    memory: exactInteger(m.memory),
    disk: exactInteger(m.disk),
    ip: m.ip,
    hostname: m.hostname,
    platform: m.platform,
    name: m.name,
    requireHeartbeat: requiresHeartbeat(m, m.policy),
    heartbeatStatus: m.resurrected ? 'RESURRECTED' : heartbeatStatus(m, m.policy, ctx.now),
    heartbeatDuration: heartbeatDuration(m.policy),
    maxProcesses: machineMaxProcesses(m),
    lastCheckOut: timestamp(m.lastCheckOutAt),
    lastHeartbeat: timestamp(m.lastHeartbeatAt),
    nextHeartbeat: timestamp(nextHeartbeat(m, m.policy)),
    metadata: camelizeKeys(m.metadata ?? {}),
    created: timestamp(m.createdAt),
    updated: timestamp(m.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (m) => ({ type: 'accounts', id: m.accountId }),
      related: base,
    },
    environment: {
      linkage: (m) => (m.environmentId ? { type: 'environments', id: m.environmentId } : null),
      related: (m) => (m.environmentId ? `${base(m)}/environments/${m.environmentId}` : null),
    },
    product: {
      linkage: (m) => ({ type: 'products', id: m.productId }),
      related: (m) => `${machinePath(m)}/product`,
    },
    group: {
      linkage: (m) => (m.groupId ? { type: 'groups', id: m.groupId } : null),
      related: (m) => `${machinePath(m)}/group`,
    },
    license: {
      linkage: (m) => ({ type: 'licenses', id: m.licenseId }),
      related: (m) => `${machinePath(m)}/license`,
    },
    owner: {
      when: (ctx) => !legacyUser(ctx),
      linkage: (m) => (m.ownerId ? { type: 'users', id: m.ownerId } : null),
      related: (m) => `${machinePath(m)}/owner`,
    },
    components: { kind: 'many', related: (m) => `${machinePath(m)}/components` },
    processes: { kind: 'many', related: (m) => `${machinePath(m)}/processes` },
    // API ≤1.5 (spec 03 §7): no `owner`; `user` is the license's owner.
    user: {
      when: legacyUser,
      linkage: (m) => (m.licenseOwnerId ? { type: 'users', id: m.licenseOwnerId } : null),
      related: (m) => `${machinePath(m)}/user`,
    },
  },
});
