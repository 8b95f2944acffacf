import { uuidv4 } from '@app/common/ids';
import { AccountSetting } from '@app/modules/accounts/account-setting.entity';
import type { Account } from '@app/modules/accounts/account.entity';
import type { TestApp } from '../../../support/app';

export const NO_REASON =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';
export const ENV_MISMATCH =
  'You do not have permission to complete the request (record is not compatible with the current environment)';
export const lacks = (words: string): string =>
  `You do not have permission to complete the request (${words} lacks permission to perform action)`;

const about = (attr: string) => ({
  about: `https://keygen.sh/docs/api/account-settings/#account-settings-object-attrs-${attr}`,
});

/** A 422 item for settings. */
export function settingError(attr: 'key' | 'value', code: string, detail: string) {
  return {
    title: 'Unprocessable resource',
    detail,
    code,
    source: { pointer: `/data/attributes/${attr}` },
    links: about(attr),
  };
}

/** Inserts a setting row directly. */
export async function givenSetting(
  t: TestApp,
  account: Account,
  key: string,
  value: unknown,
  at: Date = t.clock.now(),
): Promise<AccountSetting> {
  const row = Object.assign(new AccountSetting(), {
    id: uuidv4(),
    accountId: account.id,
    key,
    value,
    createdAt: at,
    updatedAt: at,
  });
  await t.ds.getRepository(AccountSetting).insert(row as never);
  return row;
}

/** The exact resource object a setting renders as. */
export function settingResource(
  s: { id: string; accountId: string; key: string; value: unknown },
  created: string,
  updated = created,
) {
  return {
    id: s.id,
    type: 'settings',
    attributes: { key: s.key, value: s.value, created, updated },
    relationships: {
      account: {
        links: { related: `/v1/accounts/${s.accountId}` },
        data: { type: 'accounts', id: s.accountId },
      },
    },
    links: { self: `/v1/accounts/${s.accountId}/settings/${s.id}` },
  };
}
