import type { Policy } from '@app/modules/policies/policy.entity';

/** A 422 item as Keygen renders policy model errors. */
export const policyError = (attr: string, code: string, detail: string) => ({
  title: 'Unprocessable resource',
  detail,
  code,
  source: { pointer: `/data/attributes/${attr}` },
  links: { about: `https://keygen.sh/docs/api/policies/#policies-object-attrs-${attr}` },
});

/** `{ data: { type: 'policies', attributes, relationships: { product } } }` */
export function policyDoc(
  productId: string | null,
  attributes: Record<string, unknown> = {},
  extra: { relationships?: Record<string, unknown>; type?: string } = {},
): Record<string, unknown> {
  const relationships: Record<string, unknown> = { ...(extra.relationships ?? {}) };
  if (productId !== null) {
    relationships.product = { data: { type: 'products', id: productId } };
  }
  return { data: { type: extra.type ?? 'policies', attributes, relationships } };
}

export const updateDoc = (
  attributes: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  data: { type: 'policies', attributes, ...extra },
});

/** The attributes Keygen renders for a policy created with only a name. */
export const DEFAULT_ATTRIBUTES = {
  duration: null,
  strict: false,
  floating: false,
  usePool: false,
  maxMachines: 1,
  maxProcesses: null,
  maxUsers: null,
  maxCores: null,
  maxMemory: null,
  maxDisk: null,
  maxUses: null,
  machineUniquenessStrategy: 'UNIQUE_PER_LICENSE',
  machineMatchingStrategy: 'MATCH_ANY',
  componentUniquenessStrategy: 'UNIQUE_PER_MACHINE',
  componentMatchingStrategy: 'MATCH_ANY',
  expirationStrategy: 'RESTRICT_ACCESS',
  expirationBasis: 'FROM_CREATION',
  renewalBasis: 'FROM_EXPIRY',
  transferStrategy: 'KEEP_EXPIRY',
  authenticationStrategy: 'TOKEN',
  machineLeasingStrategy: 'PER_LICENSE',
  processLeasingStrategy: 'PER_MACHINE',
  overageStrategy: 'NO_OVERAGE',
  scheme: null,
  encrypted: false,
  protected: false,
  requireProductScope: false,
  requirePolicyScope: false,
  requireMachineScope: false,
  requireFingerprintScope: false,
  requireComponentsScope: false,
  requireUserScope: false,
  requireChecksumScope: false,
  requireVersionScope: false,
  requireCheckIn: false,
  checkInInterval: null,
  checkInIntervalCount: null,
  heartbeatDuration: null,
  heartbeatCullStrategy: 'DEACTIVATE_DEAD',
  heartbeatResurrectionStrategy: 'NO_REVIVE',
  heartbeatBasis: 'FROM_FIRST_PING',
  requireHeartbeat: false,
  metadata: {},
};

/** The full `policies` resource object for a stored policy. */
export function policyResource(p: Policy, overrides: Record<string, unknown> = {}) {
  const base = `/v1/accounts/${p.accountId}`;
  const self = `${base}/policies/${p.id}`;
  return {
    id: p.id,
    type: 'policies',
    attributes: {
      name: p.name,
      ...DEFAULT_ATTRIBUTES,
      maxMachines: p.maxMachines,
      floating: p.floating,
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
      product: {
        links: { related: `${self}/product` },
        data: { type: 'products', id: p.productId },
      },
      pool: { links: { related: `${self}/pool` } },
      licenses: { links: { related: `${self}/licenses` } },
      entitlements: { links: { related: `${self}/entitlements` } },
    },
    links: { self },
  };
}
