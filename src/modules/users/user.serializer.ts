import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import { renderPermissions } from '@app/common/auth/permissions';
import type { User } from './user.entity';
import { userStatus } from './user-status';

const base = (u: User): string => `/v1/accounts/${u.accountId}`;
const userPath = (u: User): string => `${base(u)}/users/${u.id}`;

/** `users` resources (spec 01 §5.2), attribute order as Keygen renders them. */
export const UserSerializer = defineSerializer<User>({
  type: 'users',
  self: userPath,
  attributes: (u, ctx) => ({
    fullName: u.firstName !== null && u.lastName !== null ? `${u.firstName} ${u.lastName}` : null,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    status: userStatus(u, ctx.now),
    role: u.role,
    permissions: renderPermissions(u.permissions),
    metadata: camelizeKeys(u.metadata ?? {}),
    created: timestamp(u.createdAt),
    updated: timestamp(u.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (u) => ({ type: 'accounts', id: u.accountId }),
      related: base,
    },
    environment: {
      linkage: (u) => (u.environmentId ? { type: 'environments', id: u.environmentId } : null),
      related: (u) => (u.environmentId ? `${base(u)}/environments/${u.environmentId}` : null),
    },
    group: {
      linkage: (u) => (u.groupId ? { type: 'groups', id: u.groupId } : null),
      related: (u) => `${userPath(u)}/group`,
    },
    products: { kind: 'many', related: (u) => `${userPath(u)}/products` },
    licenses: { kind: 'many', related: (u) => `${userPath(u)}/licenses` },
    machines: { kind: 'many', related: (u) => `${userPath(u)}/machines` },
    tokens: { kind: 'many', related: (u) => `${userPath(u)}/tokens` },
    secondFactors: { kind: 'many', related: (u) => `${userPath(u)}/second-factors` },
  },
});
