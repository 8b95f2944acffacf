import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { TokenView } from './token.entity';
import { displayedPermissions, tokenKind } from './token-rules';

const isLicenseToken = (t: TokenView): boolean => t.bearerType === 'licenses';

/**
 * `tokens` (spec 01 §6.2). The raw value appears only when the service just minted
 * it (generate/regenerate); events and reads never carry it.
 */
export const TokenSerializer = defineSerializer<TokenView>({
  type: 'tokens',
  self: (t) => `/v1/accounts/${t.accountId}/tokens/${t.id}`,
  attributes: (t) => {
    const attrs: Record<string, unknown> = { kind: tokenKind(t.bearer, t.kind) };
    if (t.raw) {
      attrs.token = t.raw;
    }
    attrs.expiry = timestamp(t.expiry);
    attrs.name = t.name;
    if (isLicenseToken(t)) {
      attrs.maxActivations = t.maxActivations;
      attrs.activations = t.activations;
      attrs.maxDeactivations = t.maxDeactivations;
      attrs.deactivations = t.deactivations;
    }
    attrs.permissions = displayedPermissions(t.permissions, t.bearer);
    attrs.created = timestamp(t.createdAt);
    attrs.updated = timestamp(t.updatedAt);
    return attrs;
  },
  relationships: {
    account: {
      linkage: (t) => ({ type: 'accounts', id: t.accountId }),
      related: (t) => `/v1/accounts/${t.accountId}`,
    },
    environment: {
      linkage: (t) => (t.environmentId ? { type: 'environments', id: t.environmentId } : null),
      related: (t) =>
        t.environmentId ? `/v1/accounts/${t.accountId}/environments/${t.environmentId}` : null,
    },
    bearer: {
      linkage: (t) => ({ type: t.bearerType, id: t.bearerId }),
      related: (t) => `/v1/accounts/${t.accountId}/${t.bearerType}/${t.bearerId}`,
    },
  },
});
