import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { AccountSetting } from './account-setting.entity';

export const AccountSettingSerializer = defineSerializer<AccountSetting>({
  type: 'settings',
  self: (s) => `/v1/accounts/${s.accountId}/settings/${s.id}`,
  attributes: (s) => ({
    key: s.key,
    value: s.value,
    created: timestamp(s.createdAt),
    updated: timestamp(s.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (s) => ({ type: 'accounts', id: s.accountId }),
      related: (s) => `/v1/accounts/${s.accountId}`,
    },
  },
});
