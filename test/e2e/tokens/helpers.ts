import { SecretBox, generateTotpSecret } from '@libs/crypto';
import { uuidv4 } from '@app/common/ids';
import { SecondFactor } from '@app/modules/second-factors/second-factor.entity';
import type { User } from '@app/modules/users/user.entity';
import type { TestApp } from '../../support/app';

/** Raw v3 token shapes (spec 01 §1.2): 32 random bytes, 16 for license tokens. */
export const tokenPattern = (prefix: string, hexChars = 64): RegExp =>
  new RegExp(`^${prefix}-[0-9a-f]{${hexChars}}v3$`);

export const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
export const DAY_MS = 24 * 60 * 60 * 1000;

export const bearer = (raw: string): Record<string, string> => ({ Authorization: `Bearer ${raw}` });

/** Gives the user an enabled TOTP second factor; returns the base32 secret. */
export async function enableTotp(t: TestApp, user: User): Promise<string> {
  const secret = generateTotpSecret();
  const now = t.clock.now();
  await t.ds.getRepository(SecondFactor).insert({
    id: uuidv4(),
    accountId: user.accountId,
    environmentId: user.environmentId,
    userId: user.id,
    secret: t.app.get(SecretBox).encrypt(secret),
    enabled: true,
    lastVerifiedStep: null,
    createdAt: now,
    updatedAt: now,
  });
  return secret;
}

/** `{ data: { type: 'tokens', ... } }` */
export function tokenBody(
  data: Record<string, unknown> = {},
  meta?: Record<string, unknown>,
): Record<string, unknown> {
  return meta ? { data: { type: 'tokens', ...data }, meta } : { data: { type: 'tokens', ...data } };
}
