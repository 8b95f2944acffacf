import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import { processInterval, processNextHeartbeat, processStatus } from './process-heartbeat';
import type { ProcessView } from './process.view';

const base = (r: { accountId: string }): string => `/v1/accounts/${r.accountId}`;
export const processPath = (r: { accountId: string; id: string }): string =>
  `${base(r)}/processes/${r.id}`;

/**
 * `processes` (spec 03 §3.2), attributes in Keygen's order. Status and the next
 * heartbeat are computed against the render clock.
 */
export const ProcessSerializer = defineSerializer<ProcessView>({
  type: 'processes',
  self: processPath,
  attributes: (r, ctx) => ({
    lastHeartbeat: timestamp(r.lastHeartbeatAt),
    nextHeartbeat: timestamp(processNextHeartbeat(r, r.policy)),
    interval: processInterval(r.policy),
    status: r.resurrected ? 'RESURRECTED' : processStatus(r, r.policy, ctx.now),
    pid: r.pid,
    created: timestamp(r.createdAt),
    updated: timestamp(r.updatedAt),
    metadata: camelizeKeys(r.metadata ?? {}),
  }),
  relationships: {
    account: {
      linkage: (r) => ({ type: 'accounts', id: r.accountId }),
      related: base,
    },
    environment: {
      linkage: (r) => (r.environmentId ? { type: 'environments', id: r.environmentId } : null),
      related: (r) => (r.environmentId ? `${base(r)}/environments/${r.environmentId}` : null),
    },
    product: {
      linkage: (r) => ({ type: 'products', id: r.productId }),
      related: (r) => `${processPath(r)}/product`,
    },
    license: {
      linkage: (r) => ({ type: 'licenses', id: r.licenseId }),
      related: (r) => `${processPath(r)}/license`,
    },
    machine: {
      linkage: (r) => ({ type: 'machines', id: r.machineId }),
      related: (r) => `${processPath(r)}/machine`,
    },
  },
});
