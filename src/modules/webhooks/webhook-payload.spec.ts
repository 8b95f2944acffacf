import { defineSerializer } from '@libs/jsonapi';
import '@app/modules/policies/policy.versioning';
import type { WebhookEvent } from './webhook-event.entity';
import { deliveryBody, migratePayload, renderPayload } from './webhook-payload';

interface Thing {
  id: string;
  accountId: string;
  secret?: string;
}

const TokenLike = defineSerializer<Thing>({
  type: 'tokens',
  self: (r) => `/v1/accounts/${r.accountId}/tokens/${r.id}`,
  attributes: (r, ctx) => ({ kind: 'user-token', token: r.secret, webhook: ctx.webhook === true }),
});

describe('renderPayload', () => {
  const now = new Date('2026-01-02T03:04:05.678Z');

  it('renders the resource document in webhook context without secrets', () => {
    const payload = renderPayload({
      accountId: 'a1',
      record: { id: 't1', accountId: 'a1', secret: 'user-raw' },
      serializer: TokenLike as never,
      now,
    });
    expect(JSON.parse(payload)).toEqual({
      data: {
        id: 't1',
        type: 'tokens',
        attributes: { kind: 'user-token', webhook: true },
        links: { self: '/v1/accounts/a1/tokens/t1' },
      },
    });
  });

  it('adds event meta with lowerCamelCase keys, and renders arrays as arrays', () => {
    const payload = JSON.parse(
      renderPayload({
        accountId: 'a1',
        record: [
          { id: 't1', accountId: 'a1' },
          { id: 't2', accountId: 'a1' },
        ],
        serializer: TokenLike as never,
        meta: { password_reset_token: 'x', valid: true },
        now,
      }),
    ) as { data: Array<{ id: string }>; meta: unknown };
    expect(payload.data.map((d) => d.id)).toEqual(['t1', 't2']);
    expect(payload.meta).toEqual({ passwordResetToken: 'x', valid: true });
  });
});

describe('migratePayload', () => {
  const policy = JSON.stringify({
    data: {
      id: 'p1',
      type: 'policies',
      attributes: {
        name: 'P',
        processLeasingStrategy: 'PER_MACHINE',
        metadata: { outerKey: { innerKey: 1 } },
      },
    },
  });

  it('applies the response migrations between the two versions', () => {
    const v15 = JSON.parse(migratePayload(policy, '1.8', '1.5')) as {
      data: { attributes: Record<string, unknown> };
    };
    expect(v15.data.attributes).toEqual({
      name: 'P',
      metadata: { outerKey: { innerKey: 1 } },
      leasingStrategy: 'PER_MACHINE',
    });
    const v14 = JSON.parse(migratePayload(policy, '1.8', '1.4')) as {
      data: { attributes: Record<string, unknown> };
    };
    expect(v14.data.attributes.metadata).toEqual({ outerKey: { inner_key: 1 } });
  });

  it('leaves a payload already at (or below) the target alone', () => {
    expect(migratePayload(policy, '1.8', '1.8')).toBe(policy);
    const v15 = migratePayload(policy, '1.8', '1.5');
    expect(migratePayload(v15, '1.5', '1.8')).toBe(v15);
    // Re-migrating from 1.5 to 1.4 only applies what lies between.
    const v14 = JSON.parse(migratePayload(v15, '1.5', '1.4')) as {
      data: { attributes: Record<string, unknown> };
    };
    expect(v14.data.attributes.leasingStrategy).toBe('PER_MACHINE');
    expect(v14.data.attributes.metadata).toEqual({ outerKey: { inner_key: 1 } });
  });
});

describe('deliveryBody', () => {
  it('is the webhook-event document as created, with the migrated payload', () => {
    const created = new Date('2026-01-02T03:04:05.678Z');
    const event: WebhookEvent = {
      id: 'e1',
      accountId: 'a1',
      environmentId: null,
      webhookEndpointId: 'w1',
      event: 'license.created',
      endpoint: 'https://example.com/hooks',
      apiVersion: '1.7',
      payload: '{"data":null}',
      status: 'FAILING',
      idempotencyToken: `${'ab'.repeat(31)}v3`,
      lastResponseCode: 500,
      lastResponseBody: 'boom',
      attempts: 2,
      jobId: 'j',
      createdAt: created,
      updatedAt: new Date('2026-01-03T00:00:00.000Z'),
    };
    const body = deliveryBody(event, '{"data":{"id":"x"}}').toString('utf8');
    expect(body).toBe(
      JSON.stringify({
        data: {
          id: 'e1',
          type: 'webhook-events',
          attributes: {
            endpoint: 'https://example.com/hooks',
            apiVersion: '1.7',
            payload: '{"data":{"id":"x"}}',
            event: 'license.created',
            status: 'DELIVERING',
            lastResponseCode: null,
            lastResponseBody: null,
            created: '2026-01-02T03:04:05.678Z',
            updated: '2026-01-02T03:04:05.678Z',
          },
          relationships: {
            account: {
              links: { related: '/v1/accounts/a1' },
              data: { type: 'accounts', id: 'a1' },
            },
            environment: { links: { related: null }, data: null },
          },
          links: { self: '/v1/accounts/a1/webhook-events/e1' },
          meta: { idempotencyToken: `${'ab'.repeat(31)}v3` },
        },
      }),
    );
  });
});
