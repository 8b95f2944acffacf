import { WebhookEndpoint } from '@app/modules/webhooks/webhook-endpoint.entity';
import { WebhookEvent } from '@app/modules/webhooks/webhook-event.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, givenWebhooks, type GivenAccount } from '../../support/factories';
import { badRequest, denied, lacks, notFound } from '../products/support';
import { expectSigned } from '../users/support';
import { endpointDoc, endpointError, endpointResource } from './support';

describe('PATCH/PUT/DELETE /v1/accounts/:account/webhook-endpoints/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let w: ReturnType<typeof givenWebhooks>;
  let a: GivenAccount;

  const patch = (id: string, body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .patch(`${a.base}/webhook-endpoints/${id}`)
      .set(auth)
      .send(body as object);
  const reload = (id: string) => t.ds.getRepository(WebhookEndpoint).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    w = givenWebhooks(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('update 200', () => {
    it('changes every writable attribute and ignores data.id', async () => {
      const e = await w.endpoint(a.account);
      t.clock.advance(5000);
      const res = await patch(
        e.id,
        endpointDoc(
          {
            url: 'https://hooks.example.org/v2',
            subscriptions: ['license.created', 'license.created', 'machine.deleted'],
            signatureAlgorithm: 'ecdsa-p256',
            apiVersion: '1.4',
          },
          { id: '00000000-0000-4000-8000-000000000000' },
        ),
      ).expect(200);
      expectSigned(res);
      const row = await reload(e.id);
      expect(row.subscriptions).toEqual(['license.created', 'machine.deleted']);
      expect(res.body).toEqual({ data: endpointResource(row) });
      expect(row.updatedAt.getTime()).toBeGreaterThan(e.updatedAt.getTime());
    });

    it('works through PUT and leaves `updated` alone when nothing changes', async () => {
      const e = await w.endpoint(a.account);
      t.clock.advance(5000);
      const res = await t.http
        .put(`${a.base}/webhook-endpoints/${e.id}`)
        .set(a.auth)
        .send(endpointDoc({ url: e.url }))
        .expect(200);
      expect(res.body.data.attributes.updated).toBe(e.updatedAt.toISOString());
      await patch(e.id, { data: { type: 'webhook-endpoints' } }).expect(200);
    });

    it('binds and unbinds a product', async () => {
      const e = await w.endpoint(a.account);
      const p = await g.product(a.account);
      const bound = await patch(
        e.id,
        endpointDoc(
          {},
          { relationships: { product: { data: { type: 'products', id: p.product.id } } } },
        ),
      ).expect(200);
      expect(bound.body.data.relationships.product.data).toEqual({
        type: 'products',
        id: p.product.id,
      });
      const cleared = await patch(
        e.id,
        endpointDoc({}, { relationships: { product: { data: null } } }),
      ).expect(200);
      expect(cleared.body.data.relationships.product).toEqual({
        links: { related: null },
        data: null,
      });
    });

    it('re-enables a disabled endpoint only with valid subscriptions', async () => {
      const e = await w.endpoint(a.account, { subscriptions: [] });
      const still = await patch(e.id, endpointDoc({ url: 'https://example.net' })).expect(422);
      expect(still.body.errors).toEqual([
        endpointError(
          'subscriptions',
          'SUBSCRIPTIONS_TOO_SHORT',
          'must have at least 1 webhook event subscription',
        ),
      ]);
      await patch(e.id, endpointDoc({ subscriptions: ['*'] })).expect(200);
      expect((await reload(e.id)).subscriptions).toEqual(['*']);
    });

    it('lets a developer and an environment update', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      const e = await w.endpoint(a.account);
      await patch(e.id, endpointDoc({ url: 'https://dev.example' }), dev.auth).expect(200);
      const env = await g.environment(a.account);
      const mine = await w.endpoint(a.account, { environment: env.environment });
      await patch(mine.id, endpointDoc({ url: 'https://env.example' }), env.auth).expect(200);
    });
  });

  describe('update 400', () => {
    it.each([
      [
        endpointDoc({ url: 1 }),
        'type mismatch (received integer expected string)',
        '/data/attributes/url',
      ],
      [
        endpointDoc({ subscriptions: {} }),
        'type mismatch (received object expected array)',
        '/data/attributes/subscriptions',
      ],
      [endpointDoc({ apiVersion: '2.0' }), 'is invalid', '/data/attributes/apiVersion'],
      [endpointDoc({ enabled: true }), 'unpermitted parameter', '/data/attributes/enabled'],
      [
        endpointDoc({}, { relationships: { environment: { data: null } } }),
        'unpermitted parameter',
        '/data/relationships/environment',
      ],
      [endpointDoc({}, { type: 'licenses' }), 'is invalid', '/data/type'],
    ])('rejects %j', async (body, detail, pointer) => {
      const e = await w.endpoint(a.account);
      const res = await patch(e.id, body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });
  });

  describe('update 403/404', () => {
    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s, even before looking at the body', async (role, error) => {
      const e = await w.endpoint(a.account);
      const u = await g.user(a.account, { role });
      const res = await patch(e.id, endpointDoc({ url: 1 }), u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('is a 404 for a product (even its own), a user, a license, and bad ids', async () => {
      const p = await g.product(a.account);
      const e = await w.endpoint(a.account, { product: p.product });
      for (const auth of [
        p.auth,
        (await g.user(a.account)).auth,
        (await g.license(a.account)).auth,
      ]) {
        await patch(e.id, endpointDoc({ url: 'https://x.example' }), auth).expect(404);
      }
      const res = await patch('invalid', endpointDoc({})).expect(404);
      expect(res.body.errors).toEqual([notFound('webhook endpoint', 'invalid')]);
      const other = await g.account();
      const theirs = await w.endpoint(other.account);
      await patch(theirs.id, endpointDoc({})).expect(404);
    });
  });

  describe('update 422', () => {
    it.each([
      [
        { url: 'http://example.com' },
        'url',
        'URL_PROTOCOL_INVALID',
        'must be a valid URL using one of the following protocols: https',
      ],
      [{ url: 'https://localhost' }, 'url', 'URL_HOST_INVALID', 'must be a URL with a valid host'],
      [
        { subscriptions: [] },
        'subscriptions',
        'SUBSCRIPTIONS_TOO_SHORT',
        'must have at least 1 webhook event subscription',
      ],
      [
        { subscriptions: ['nope'] },
        'subscriptions',
        'SUBSCRIPTIONS_NOT_ALLOWED',
        'unsupported webhook event type for subscription',
      ],
      [
        { signatureAlgorithm: 'hmac' },
        'signatureAlgorithm',
        'SIGNATURE_ALGORITHM_NOT_ALLOWED',
        'unsupported signature algorithm',
      ],
    ])('rejects %j and keeps the endpoint', async (attrs, attr, code, detail) => {
      const e = await w.endpoint(a.account);
      const res = await patch(e.id, endpointDoc(attrs)).expect(422);
      expect(res.body.errors).toEqual([endpointError(attr, code, detail)]);
      expect(await reload(e.id)).toEqual(e);
    });
  });

  describe('destroy', () => {
    it('deletes the endpoint and keeps its events, which keep the URL', async () => {
      const e = await w.endpoint(a.account);
      const ev = await w.event(a.account, { endpoint: e });
      const res = await t.http
        .delete(`${a.base}/webhook-endpoints/${e.id}`)
        .set(a.auth)
        .expect(204);
      expectSigned(res);
      expect(res.text).toBe('');
      expect(await t.ds.getRepository(WebhookEndpoint).findOneBy({ id: e.id })).toBeNull();
      const kept = await t.ds.getRepository(WebhookEvent).findOneByOrFail({ id: ev.id });
      expect(kept).toMatchObject({ endpoint: e.url, webhookEndpointId: null });
    });

    it('lets a developer and an environment delete', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      const e = await w.endpoint(a.account);
      await t.http.delete(`${a.base}/webhook-endpoints/${e.id}`).set(dev.auth).expect(204);
      const env = await g.environment(a.account);
      const mine = await w.endpoint(a.account, { environment: env.environment });
      await t.http.delete(`${a.base}/webhook-endpoints/${mine.id}`).set(env.auth).expect(204);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const e = await w.endpoint(a.account);
      const u = await g.user(a.account, { role });
      const res = await t.http
        .delete(`${a.base}/webhook-endpoints/${e.id}`)
        .set(u.auth)
        .expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('is a 404 for a product (even its own), a user, a license, another account', async () => {
      const p = await g.product(a.account);
      const e = await w.endpoint(a.account, { product: p.product });
      for (const auth of [
        p.auth,
        (await g.user(a.account)).auth,
        (await g.license(a.account)).auth,
      ]) {
        await t.http.delete(`${a.base}/webhook-endpoints/${e.id}`).set(auth).expect(404);
      }
      const other = await g.account();
      await t.http.delete(`${other.base}/webhook-endpoints/${e.id}`).set(other.auth).expect(404);
      expect(await t.ds.getRepository(WebhookEndpoint).findOneBy({ id: e.id })).not.toBeNull();
    });
  });
});
