import { defineSerializer, timestamp } from '@libs/jsonapi';
import { totpUri } from '@libs/crypto';
import type { SecondFactor } from './second-factor.entity';

const base = (f: SecondFactor): string => `/v1/accounts/${f.accountId}`;

/**
 * `second-factors` resources (spec 01 §5.4.8). `uri` and `secret` appear only while
 * the factor is not enabled, and only when the service attached the decrypted
 * secret (API responses); event payloads never carry it (webhook context).
 */
export const SecondFactorSerializer = defineSerializer<SecondFactor>({
  type: 'second-factors',
  self: (f) => `${base(f)}/users/${f.userId}/second-factors/${f.id}`,
  attributes: (f, ctx) => {
    const reveal = !f.enabled && f.otpSecret !== undefined && ctx.webhook !== true;
    return {
      ...(reveal
        ? {
            uri: totpUri({ secret: f.otpSecret!, account: f.userEmail ?? '' }),
            secret: f.otpSecret,
          }
        : {}),
      enabled: f.enabled,
      created: timestamp(f.createdAt),
      updated: timestamp(f.updatedAt),
    };
  },
  relationships: {
    account: {
      linkage: (f) => ({ type: 'accounts', id: f.accountId }),
      related: base,
    },
    environment: {
      linkage: (f) => (f.environmentId ? { type: 'environments', id: f.environmentId } : null),
      related: (f) => (f.environmentId ? `${base(f)}/environments/${f.environmentId}` : null),
    },
    user: {
      linkage: (f) => ({ type: 'users', id: f.userId }),
      related: (f) => `${base(f)}/users/${f.userId}`,
    },
  },
});
