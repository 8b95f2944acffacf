import { WebhookEvent } from '@app/modules/webhooks/webhook-event.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, givenWebhooks, type GivenAccount } from '../../support/factories';
import { denied, lacks, notFound } from '../products/support';
import { expectSigned } from '../users/support';
import { eventResource } from './support';

describe('/v1/accounts/:account/webhook-events', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let w: ReturnType<typeof givenWebhooks>;

  const count = (accountId: string) => t.ds.getRepository(WebhookEvent).countBy({ accountId });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    w = givenWebhooks(t);
  });
  afterAll(async () => {
    await t.jobs.drain();
    await t.close();
  });

  describe('index', () => {
    let a: GivenAccount;
    let created: WebhookEvent;
    let updated: WebhookEvent;
    let validated: WebhookEvent;

    beforeAll(async () => {
      a = await g.account();
      const e = await w.endpoint(a.account);
      created = await w.event(a.account, { endpoint: e, event: 'license.created' });
      t.clock.advance(1000);
      updated = await w.event(a.account, { endpoint: e, event: 'license.updated' });
      t.clock.advance(1000);
      validated = await w.event(a.account, { endpoint: e, event: 'license.validation.succeeded' });
      const env = await g.environment(a.account);
      await w.event(a.account, { environment: env.environment });
    });

    it('lists the events newest first', async () => {
      const res = await t.http.get(`${a.base}/webhook-events`).set(a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({
        data: [eventResource(validated), eventResource(updated), eventResource(created)],
      });
    });

    it('filters by exact event names; unknown names match nothing', async () => {
      const one = await t.http
        .get(`${a.base}/webhook-events?events[]=license.created`)
        .set(a.auth)
        .expect(200);
      expect(one.body.data.map((e: { id: string }) => e.id)).toEqual([created.id]);
      const two = await t.http
        .get(
          `${a.base}/webhook-events?events[]=license.created&events[]=license.validation.succeeded`,
        )
        .set(a.auth)
        .expect(200);
      expect(two.body.data.map((e: { id: string }) => e.id)).toEqual([validated.id, created.id]);
      const none = await t.http
        .get(`${a.base}/webhook-events?events[]=foo.bar`)
        .set(a.auth)
        .expect(200);
      expect(none.body).toEqual({ data: [] });
      const pattern = await t.http
        .get(`${a.base}/webhook-events?events[]=license.*`)
        .set(a.auth)
        .expect(200);
      expect(pattern.body.data).toEqual([]);
      const scalar = await t.http
        .get(`${a.base}/webhook-events?events=license.created`)
        .set(a.auth)
        .expect(200);
      expect(scalar.body.data).toHaveLength(3);
    });

    it('paginates without counting', async () => {
      const res = await t.http
        .get(`${a.base}/webhook-events?page[number]=1&page[size]=2`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data).toHaveLength(2);
      expect(Object.keys(res.body.links).sort()).toEqual(['next', 'prev', 'self']);
      expect(res.body.links.next).toContain('page%5Bnumber%5D=2');
      await t.http.get(`${a.base}/webhook-events?limit=101`).set(a.auth).expect(400);
      await t.http
        .get(`${a.base}/webhook-events?page[size]=0&page[number]=1`)
        .set(a.auth)
        .expect(400);
    });

    it.each(['developer', 'read-only'] as const)('lists to a %s', async (role) => {
      const u = await g.user(a.account, { role });
      const res = await t.http.get(`${a.base}/webhook-events`).set(u.auth).expect(200);
      expect(res.body.data).toHaveLength(3);
    });

    it("lists an environment's events to it, and a product its endpoints' events", async () => {
      const b = await g.account();
      const env = await g.environment(b.account);
      const envEvent = await w.event(b.account, { environment: env.environment });
      await w.event(b.account);
      const res = await t.http.get(`${b.base}/webhook-events`).set(env.auth).expect(200);
      expect(res.body.data.map((e: { id: string }) => e.id)).toEqual([envEvent.id]);

      const p = await g.product(b.account);
      const mine = await w.event(b.account, {
        endpoint: await w.endpoint(b.account, { product: p.product }),
      });
      await w.event(b.account, { endpoint: await w.endpoint(b.account) });
      const other = await g.product(b.account);
      await w.event(b.account, {
        endpoint: await w.endpoint(b.account, { product: other.product }),
      });
      const products = await t.http.get(`${b.base}/webhook-events`).set(p.auth).expect(200);
      expect(products.body.data.map((e: { id: string }) => e.id)).toEqual([mine.id]);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['user', denied(lacks('user'))],
    ] as const)('forbids a %s', async (role, error) => {
      const u = await g.user(a.account, { role });
      const res = await t.http.get(`${a.base}/webhook-events`).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a license and rejects anonymous or foreign callers', async () => {
      const l = await g.license(a.account);
      const res = await t.http.get(`${a.base}/webhook-events`).set(l.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('license'))]);
      await t.http.get(`${a.base}/webhook-events`).expect(401);
      const other = await g.account();
      await t.http.get(`${a.base}/webhook-events`).set(other.auth).expect(401);
    });
  });

  describe('show', () => {
    it('shows an event with its payload string and idempotency token', async () => {
      const a = await g.account();
      const ev = await w.event(a.account, { endpoint: await w.endpoint(a.account) });
      const res = await t.http.get(`${a.base}/webhook-events/${ev.id}`).set(a.auth).expect(200);
      expect(res.body).toEqual({ data: eventResource(ev) });
      expect(typeof res.body.data.attributes.payload).toBe('string');
      const ro = await g.user(a.account, { role: 'read-only' });
      await t.http.get(`${a.base}/webhook-events/${ev.id}`).set(ro.auth).expect(200);
    });

    it("shows a product its own endpoint's events only", async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const mine = await w.event(a.account, {
        endpoint: await w.endpoint(a.account, { product: p.product }),
      });
      const global = await w.event(a.account, { endpoint: await w.endpoint(a.account) });
      await t.http.get(`${a.base}/webhook-events/${mine.id}`).set(p.auth).expect(200);
      await t.http.get(`${a.base}/webhook-events/${global.id}`).set(p.auth).expect(404);
    });

    it('is a 404 for users, licenses, bad ids and other accounts', async () => {
      const a = await g.account();
      const ev = await w.event(a.account);
      for (const auth of [(await g.user(a.account)).auth, (await g.license(a.account)).auth]) {
        await t.http.get(`${a.base}/webhook-events/${ev.id}`).set(auth).expect(404);
      }
      const res = await t.http.get(`${a.base}/webhook-events/invalid`).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('webhook event', 'invalid')]);
      const other = await g.account();
      await t.http.get(`${other.base}/webhook-events/${ev.id}`).set(other.auth).expect(404);
    });

    it.each(['sales-agent', 'support-agent'] as const)('forbids a %s', async (role) => {
      const a = await g.account();
      const ev = await w.event(a.account);
      const u = await g.user(a.account, { role });
      await t.http.get(`${a.base}/webhook-events/${ev.id}`).set(u.auth).expect(403);
    });
  });

  describe('destroy', () => {
    it('deletes an event for an admin, a developer and an environment', async () => {
      const a = await g.account();
      const ev = await w.event(a.account);
      const res = await t.http.delete(`${a.base}/webhook-events/${ev.id}`).set(a.auth).expect(204);
      expectSigned(res);
      expect(await t.ds.getRepository(WebhookEvent).findOneBy({ id: ev.id })).toBeNull();
      const dev = await g.user(a.account, { role: 'developer' });
      await t.http
        .delete(`${a.base}/webhook-events/${(await w.event(a.account)).id}`)
        .set(dev.auth)
        .expect(204);
      const env = await g.environment(a.account);
      const envEvent = await w.event(a.account, { environment: env.environment });
      await t.http.delete(`${a.base}/webhook-events/${envEvent.id}`).set(env.auth).expect(204);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const a = await g.account();
      const ev = await w.event(a.account);
      const u = await g.user(a.account, { role });
      const res = await t.http.delete(`${a.base}/webhook-events/${ev.id}`).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a product its own events (403) and hides the others (404)', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const mine = await w.event(a.account, {
        endpoint: await w.endpoint(a.account, { product: p.product }),
      });
      const res = await t.http
        .delete(`${a.base}/webhook-events/${mine.id}`)
        .set(p.auth)
        .expect(403);
      expect(res.body.errors).toEqual([denied(lacks('product'))]);
      const global = await w.event(a.account);
      await t.http.delete(`${a.base}/webhook-events/${global.id}`).set(p.auth).expect(404);
      for (const auth of [(await g.user(a.account)).auth, (await g.license(a.account)).auth]) {
        await t.http.delete(`${a.base}/webhook-events/${global.id}`).set(auth).expect(404);
      }
    });
  });

  describe('retry', () => {
    const retry = (a: GivenAccount, id: string, auth = a.auth) =>
      t.http.post(`${a.base}/webhook-events/${id}/actions/retry`).set(auth);

    it('creates a new event with the same payload, version and idempotency token', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: 'https://hooks.invalid/keygen' });
      const ev = await w.event(a.account, { endpoint: e, status: 'FAILED', apiVersion: '1.6' });
      const before = await count(a.id);
      const res = await retry(a, ev.id).expect(201);
      expectSigned(res);
      const copy = await t.ds.getRepository(WebhookEvent).findOneByOrFail({ id: res.body.data.id });
      expect(copy.id).not.toBe(ev.id);
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/webhook-events/${copy.id}`,
      );
      expect(res.body).toEqual({
        data: eventResource({ ...copy, status: 'DELIVERING', updatedAt: copy.createdAt }),
      });
      expect(copy).toMatchObject({
        event: ev.event,
        endpoint: ev.endpoint,
        payload: ev.payload,
        apiVersion: '1.6',
        idempotencyToken: ev.idempotencyToken,
        webhookEndpointId: e.id,
      });
      expect(await count(a.id)).toBe(before + 1);
      expect(await t.ds.getRepository(WebhookEvent).findOneByOrFail({ id: ev.id })).toEqual(ev);
    });

    it('falls back to an endpoint with the same URL when the original is gone', async () => {
      const a = await g.account();
      const ev = await w.event(a.account, { url: 'https://hooks.invalid/same' });
      const e = await w.endpoint(a.account, { url: 'https://hooks.invalid/same' });
      const res = await retry(a, ev.id).expect(201);
      const copy = await t.ds.getRepository(WebhookEvent).findOneByOrFail({ id: res.body.data.id });
      expect(copy.webhookEndpointId).toBe(e.id);
    });

    it('is a 422 without any endpoint to deliver to', async () => {
      const a = await g.account();
      const ev = await w.event(a.account, { url: 'https://hooks.invalid/gone' });
      const env = await g.environment(a.account);
      await w.endpoint(a.account, {
        url: 'https://hooks.invalid/gone',
        environment: env.environment,
      });
      const before = await count(a.id);
      const res = await retry(a, ev.id).expect(422);
      expectSigned(res);
      expect(res.body.errors).toEqual([
        { title: 'Unprocessable entity', detail: 'webhook event failed to retry' },
      ]);
      expect(await count(a.id)).toBe(before);
    });

    it('lets an environment retry its events', async () => {
      const a = await g.account();
      const env = await g.environment(a.account);
      const e = await w.endpoint(a.account, {
        environment: env.environment,
        url: 'https://isolated.invalid/w',
      });
      const ev = await w.event(a.account, { endpoint: e });
      const res = await retry(a, ev.id, env.auth).expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });

    it('forbids staff without the permission, and products their own events', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const mine = await w.event(a.account, {
        endpoint: await w.endpoint(a.account, { product: p.product }),
      });
      const own = await retry(a, mine.id, p.auth).expect(403);
      expect(own.body.errors).toEqual([denied(lacks('product'))]);
      const global = await w.event(a.account, { endpoint: await w.endpoint(a.account) });
      await retry(a, global.id, p.auth).expect(404);
      for (const [role, error] of [
        ['sales-agent', denied()],
        ['support-agent', denied()],
        ['read-only', denied(lacks('read only'))],
      ] as const) {
        const u = await g.user(a.account, { role });
        const res = await retry(a, global.id, u.auth).expect(403);
        expect(res.body.errors).toEqual([error]);
      }
      for (const auth of [(await g.user(a.account)).auth, (await g.license(a.account)).auth]) {
        await retry(a, global.id, auth).expect(404);
      }
      await retry(a, 'invalid').expect(404);
      const other = await g.account();
      const res = await retry(other, global.id).expect(404);
      expect(res.body.errors).toEqual([notFound('webhook event', global.id)]);
    });
  });
});
