import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { Account } from './account.entity';

const LINKED = [
  'settings', 'webhookEndpoints', 'webhookEvents', 'products', 'platforms', 'arches', 'channels',
  'releases', 'artifacts', 'policies', 'users', 'keys', 'licenses', 'machines', 'components',
  'processes', 'tokens',
] as const;

const dasherize = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const b64 = (s: string): string => Buffer.from(s).toString('base64');

export const AccountSerializer = defineSerializer<Account>({
  type: 'accounts',
  self: (a) => `/v1/accounts/${a.id}`,
  attributes: (a) => ({
    name: a.name,
    slug: a.slug,
    apiVersion: a.apiVersion,
    protected: a.protected,
    status: a.status,
    created: timestamp(a.createdAt),
    updated: timestamp(a.updatedAt),
  }),
  relationships: Object.fromEntries(
    LINKED.map((rel) => [
      rel,
      { kind: 'many' as const, related: (a: Account) => `/v1/accounts/${a.id}/${dasherize(rel)}` },
    ]),
  ),
  meta: (a) => ({
    publicKey: b64(a.rsaPublicKey),
    keys: {
      ed25519: b64(a.ed25519PublicKey),
      rsa2048: b64(a.rsaPublicKey),
      ecdsa: b64(a.ecdsaPublicKey),
    },
  }),
});
