import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { Environment } from './environment.entity';

export const EnvironmentSerializer = defineSerializer<Environment>({
  type: 'environments',
  self: (e) => `/v1/accounts/${e.accountId}/environments/${e.id}`,
  attributes: (e) => ({
    name: e.name,
    code: e.code,
    isolationStrategy: e.isolationStrategy,
    created: timestamp(e.createdAt),
    updated: timestamp(e.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (e) => ({ type: 'accounts', id: e.accountId }),
      related: (e) => `/v1/accounts/${e.accountId}`,
    },
  },
});
