import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { WebhookEvent } from './webhook-event.entity';

const base = (e: WebhookEvent): string => `/v1/accounts/${e.accountId}`;

/**
 * `webhook-events` (spec 05 §2.2): the API resource, and the body of every delivery
 * (§4.2). There is no relationship to the endpoint.
 */
export const WebhookEventSerializer = defineSerializer<WebhookEvent>({
  type: 'webhook-events',
  self: (e) => `${base(e)}/webhook-events/${e.id}`,
  attributes: (e) => ({
    endpoint: e.endpoint,
    apiVersion: e.apiVersion,
    payload: e.payload,
    event: e.event,
    status: e.status,
    lastResponseCode: e.lastResponseCode,
    lastResponseBody: e.lastResponseBody,
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
  },
  meta: (e) => ({ idempotencyToken: e.idempotencyToken }),
});
