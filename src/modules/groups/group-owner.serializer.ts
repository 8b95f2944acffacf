import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { GroupOwner } from './group-owner.entity';

const base = (o: GroupOwner): string => `/v1/accounts/${o.accountId}`;

/** `group-owners` resources (spec 01 §8.2). */
export const GroupOwnerSerializer = defineSerializer<GroupOwner>({
  type: 'group-owners',
  self: (o) => `${base(o)}/groups/${o.groupId}/owners/${o.id}`,
  attributes: (o) => ({
    created: timestamp(o.createdAt),
    updated: timestamp(o.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (o) => ({ type: 'accounts', id: o.accountId }),
      related: base,
    },
    environment: {
      linkage: (o) => (o.environmentId ? { type: 'environments', id: o.environmentId } : null),
      related: (o) => (o.environmentId ? `${base(o)}/environments/${o.environmentId}` : null),
    },
    group: {
      linkage: (o) => ({ type: 'groups', id: o.groupId }),
      related: (o) => `${base(o)}/groups/${o.groupId}`,
    },
    user: {
      linkage: (o) => ({ type: 'users', id: o.userId }),
      related: (o) => `${base(o)}/users/${o.userId}`,
    },
  },
});
