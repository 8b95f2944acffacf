import { bootApp, type TestApp } from '../../support/app';
import { given, givenWebhooks } from '../../support/factories';
import { denied, lacks, notFound } from '../products/support';
import { expectSigned } from '../users/support';
import { endpointResource } from './support';

describe('GET /v1/accounts/:account/webhook-endpoints[/:id]', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let w: ReturnType<typeof givenWebhooks>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    w = givenWebhooks(t);
  });
  afterAll(() => t.close());

  describe('index', () => {
    it('lists the global endpoints newest first to an admin', async () => {
      const a = await g.account();
      const first = await w.endpoint(a.account);
      t.clock.advance(1000);
      const second = await w.endpoint(a.account, { subscriptions: ['license.created'] });
      const env = await g.environment(a.account);
      await w.endpoint(a.account, { environment: env.environment });
      const res = await t.http.get(`${a.base}/webhook-endpoints`).set(a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: [endpointResource(second), endpointResource(first)] });
    });

    it('paginates with counted links', async () => {
      const a = await g.account();
      for (let i = 0; i < 3; i += 1) {
        await w.endpoint(a.account);
        t.clock.advance(1000);
      }
      const res = await t.http
        .get(`${a.base}/webhook-endpoints?page[number]=2&page[size]=2`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.links.meta).toEqual({ pages: 2, count: 3 });
      const bad = await t.http
        .get(`${a.base}/webhook-endpoints?page[size]=101&page[number]=1`)
        .set(a.auth)
        .expect(400);
      expect(bad.body.errors[0]).toMatchObject({ source: { parameter: 'page[size]' } });
    });

    it.each(['developer', 'read-only'] as const)('lists to a %s', async (role) => {
      const a = await g.account();
      await w.endpoint(a.account);
      const u = await g.user(a.account, { role });
      const res = await t.http.get(`${a.base}/webhook-endpoints`).set(u.auth).expect(200);
      expect(res.body.data).toHaveLength(1);
    });

    it("lists only an environment's own endpoints to it", async () => {
      const a = await g.account();
      await w.endpoint(a.account);
      const env = await g.environment(a.account);
      const mine = await w.endpoint(a.account, { environment: env.environment });
      const res = await t.http.get(`${a.base}/webhook-endpoints`).set(env.auth).expect(200);
      expect(res.body.data.map((e: { id: string }) => e.id)).toEqual([mine.id]);
    });

    it('gives a product an empty list, even with endpoints bound to it', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      await w.endpoint(a.account, { product: p.product });
      const res = await t.http.get(`${a.base}/webhook-endpoints`).set(p.auth).expect(200);
      expect(res.body).toEqual({ data: [] });
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['user', denied(lacks('user'))],
    ] as const)('forbids a %s', async (role, error) => {
      const a = await g.account();
      const u = await g.user(a.account, { role });
      const res = await t.http.get(`${a.base}/webhook-endpoints`).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a license', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const res = await t.http.get(`${a.base}/webhook-endpoints`).set(l.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('license'))]);
    });

    it('rejects anonymous callers and tokens of other accounts', async () => {
      const a = await g.account();
      await t.http.get(`${a.base}/webhook-endpoints`).expect(401);
      const other = await g.account();
      await t.http.get(`${a.base}/webhook-endpoints`).set(other.auth).expect(401);
    });
  });

  describe('show', () => {
    it('shows an endpoint to an admin, a developer and a read-only admin', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const e = await w.endpoint(a.account, {
        product: p.product,
        signatureAlgorithm: 'rsa-sha256',
      });
      for (const auth of [
        a.auth,
        (await g.user(a.account, { role: 'developer' })).auth,
        (await g.user(a.account, { role: 'read-only' })).auth,
      ]) {
        const res = await t.http.get(`${a.base}/webhook-endpoints/${e.id}`).set(auth).expect(200);
        expect(res.body).toEqual({ data: endpointResource(e) });
      }
    });

    it('shows an environment its own endpoint, and hides the global ones', async () => {
      const a = await g.account();
      const env = await g.environment(a.account);
      const mine = await w.endpoint(a.account, { environment: env.environment });
      const global = await w.endpoint(a.account);
      await t.http.get(`${a.base}/webhook-endpoints/${mine.id}`).set(env.auth).expect(200);
      await t.http.get(`${a.base}/webhook-endpoints/${global.id}`).set(env.auth).expect(404);
    });

    it('is a 404 for a non-UUID, an unknown id and another account’s endpoint', async () => {
      const a = await g.account();
      const res = await t.http.get(`${a.base}/webhook-endpoints/invalid`).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('webhook endpoint', 'invalid')]);
      const other = await g.account();
      const theirs = await w.endpoint(other.account);
      const foreign = await t.http
        .get(`${a.base}/webhook-endpoints/${theirs.id}`)
        .set(a.auth)
        .expect(404);
      expect(foreign.body.errors).toEqual([notFound('webhook endpoint', theirs.id)]);
    });

    it('is a 404 for a product (even its own endpoint), a user and a license', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const e = await w.endpoint(a.account, { product: p.product });
      const u = await g.user(a.account);
      const l = await g.license(a.account);
      for (const auth of [p.auth, u.auth, l.auth]) {
        await t.http.get(`${a.base}/webhook-endpoints/${e.id}`).set(auth).expect(404);
      }
    });

    it.each(['sales-agent', 'support-agent'] as const)('forbids a %s', async (role) => {
      const a = await g.account();
      const e = await w.endpoint(a.account);
      const u = await g.user(a.account, { role });
      const res = await t.http.get(`${a.base}/webhook-endpoints/${e.id}`).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([denied()]);
    });
  });
});
