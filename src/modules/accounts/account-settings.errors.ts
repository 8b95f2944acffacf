import { type ApiErrorItem } from '@app/common/errors/api-error';

/** The setting keys Keygen accepts. */
export const SETTING_KEYS = ['default_license_permissions', 'default_user_permissions'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

const about = (attr: string): { about: string } => ({
  about: `https://keygen.sh/docs/api/account-settings/#account-settings-object-attrs-${attr}`,
});

export function keyTaken(): ApiErrorItem {
  return {
    code: 'KEY_TAKEN',
    detail: 'has already been taken',
    source: { pointer: '/data/attributes/key' },
    links: about('key'),
  };
}

export function keyNotAllowed(): ApiErrorItem {
  return {
    code: 'KEY_NOT_ALLOWED',
    detail: `must be one of: ${SETTING_KEYS.join(', ')}`,
    source: { pointer: '/data/attributes/key' },
    links: about('key'),
  };
}

export function valueNotAllowed(detail: string): ApiErrorItem {
  return {
    code: 'VALUE_NOT_ALLOWED',
    detail,
    source: { pointer: '/data/attributes/value' },
    links: about('value'),
  };
}
