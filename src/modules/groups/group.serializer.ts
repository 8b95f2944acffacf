import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import type { Group } from './group.entity';

const base = (g: Group): string => `/v1/accounts/${g.accountId}`;
const groupPath = (g: Group): string => `${base(g)}/groups/${g.id}`;

/** `groups` resources (spec 01 §8.2), attribute order as Keygen renders them. */
export const GroupSerializer = defineSerializer<Group>({
  type: 'groups',
  self: groupPath,
  attributes: (g) => ({
    name: g.name,
    maxUsers: g.maxUsers,
    maxLicenses: g.maxLicenses,
    maxMachines: g.maxMachines,
    metadata: camelizeKeys(g.metadata ?? {}),
    created: timestamp(g.createdAt),
    updated: timestamp(g.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (g) => ({ type: 'accounts', id: g.accountId }),
      related: base,
    },
    environment: {
      linkage: (g) => (g.environmentId ? { type: 'environments', id: g.environmentId } : null),
      related: (g) => (g.environmentId ? `${base(g)}/environments/${g.environmentId}` : null),
    },
    owners: { kind: 'many', related: (g) => `${groupPath(g)}/owners` },
    users: { kind: 'many', related: (g) => `${groupPath(g)}/users` },
    licenses: { kind: 'many', related: (g) => `${groupPath(g)}/licenses` },
    machines: { kind: 'many', related: (g) => `${groupPath(g)}/machines` },
  },
});
