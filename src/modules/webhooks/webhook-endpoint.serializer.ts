import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { WebhookEndpoint } from './webhook-endpoint.entity';

const base = (e: WebhookEndpoint): string => `/v1/accounts/${e.accountId}`;

/** `webhook-endpoints` (spec 05 §1.2). */
export const WebhookEndpointSerializer = defineSerializer<WebhookEndpoint>({
  type: 'webhook-endpoints',
  self: (e) => `${base(e)}/webhook-endpoints/${e.id}`,
  attributes: (e) => ({
    url: e.url,
    subscriptions: e.subscriptions,
    signatureAlgorithm: e.signatureAlgorithm,
    apiVersion: e.apiVersion,
    created: timestamp(e.createdAt),
    updated: timestamp(e.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (e) => ({ type: 'accounts', id: e.accountId }),
      related: base,
    },
    environment: {
      linkage: (e) => (e.environmentId ? { type: 'environments', id: e.environmentId } : null),
      related: (e) => (e.environmentId ? `${base(e)}/environments/${e.environmentId}` : null),
    },
    product: {
      linkage: (e) => (e.productId ? { type: 'products', id: e.productId } : null),
      related: (e) => (e.productId ? `${base(e)}/products/${e.productId}` : null),
    },
  },
});
