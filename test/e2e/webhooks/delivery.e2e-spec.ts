import { ScheduleRunner } from '@app/common/jobs/schedule-runner';
import { WebhookDeliveryService } from '@app/modules/webhooks/webhook-delivery.service';
import { WebhookEndpoint } from '@app/modules/webhooks/webhook-endpoint.entity';
import { WebhookEvent } from '@app/modules/webhooks/webhook-event.entity';
import { bootApp, type TestApp } from '../../support/app';
import { basic, given, givenWebhooks, type GivenAccount } from '../../support/factories';
import { LOCAL_DELIVERY_ENV, Receiver, verifyDelivery, type ReceivedRequest } from './support';

const HTTP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

interface DeliveredDoc {
  data: {
    id: string;
    type: string;
    attributes: Record<string, unknown> & { payload: string };
    relationships: Record<string, unknown>;
    links: { self: string };
    meta: { idempotencyToken: string };
  };
}

const doc = (r: ReceivedRequest): DeliveredDoc =>
  JSON.parse(r.body.toString('utf8')) as DeliveredDoc;

/**
 * Spec 05 §3–4 end to end: real API requests emit domain events, the in-process
 * queue fans them out, and a real HTTP receiver on 127.0.0.1 gets signed deliveries.
 */
describe('webhook delivery', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let w: ReturnType<typeof givenWebhooks>;
  let rx: Receiver;

  const events = (endpointId: string) =>
    t.ds
      .getRepository(WebhookEvent)
      .find({ where: { webhookEndpointId: endpointId }, order: { createdAt: 'ASC' } });
  const createEntitlement = (
    a: GivenAccount,
    code: string,
    auth: Record<string, string> = a.auth,
  ) =>
    t.http
      .post(`${a.base}/entitlements`)
      .set(auth)
      .send({ data: { type: 'entitlements', attributes: { name: code, code } } })
      .expect(201);
  const accountKeys = async (a: GivenAccount) => {
    const res = await t.http.get(a.base).set(a.auth).expect(200);
    const keys = res.body.data.meta.keys as Record<string, string>;
    const unb64 = (v: string) => Buffer.from(v, 'base64').toString('utf8');
    return { ed25519: unb64(keys.ed25519), rsa: unb64(keys.rsa2048), ecdsa: unb64(keys.ecdsa) };
  };

  beforeAll(async () => {
    t = await bootApp({
      ...LOCAL_DELIVERY_ENV,
      WEBHOOKS_MAX_RETRIES: '3',
      WEBHOOKS_TIMEOUT_MS: '300',
    });
    g = given(t);
    w = givenWebhooks(t);
  });
  beforeEach(async () => {
    rx = await new Receiver().start();
  });
  afterEach(() => rx.stop());
  afterAll(async () => {
    await t.jobs.drain();
    await t.close();
  });

  describe('the request', () => {
    it('is a signed POST that verifies against the account public key, with the spec payload', async () => {
      const a = await g.account();
      const created = await t.http
        .post(`${a.base}/webhook-endpoints`)
        .set(a.auth)
        .send({
          data: {
            type: 'webhook-endpoints',
            attributes: {
              url: rx.url('/hooks/keygen?source=keyward'),
              subscriptions: ['entitlement.created'],
            },
          },
        })
        .expect(201);
      const ent = await createEntitlement(a, 'premium');
      await t.jobs.drain();

      expect(rx.requests).toHaveLength(1);
      const [req] = rx.requests;
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/hooks/keygen?source=keyward');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['user-agent']).toBe('Keygen/1.8 (+https://keygen.sh/docs/api/webhooks/)');
      expect(req.headers['keygen-version']).toBe('1.8');
      expect(req.headers.date).toMatch(HTTP_DATE);
      expect(req.headers['keygen-date']).toBe(req.headers.date);
      expect(req.headers['keygen-digest']).toBe(req.headers.digest);
      expect(req.headers['keygen-event']).toBeUndefined();
      expect(req.headers['x-signature']).toBeUndefined();
      expect(req.headers['keygen-signature']).toMatch(
        new RegExp(
          `^keyid="${a.id}", algorithm="ed25519", signature="[A-Za-z0-9+/]+=*", headers="\\(request-target\\) host date digest"$`,
        ),
      );
      expect(verifyDelivery(req, { host: '127.0.0.1', keys: await accountKeys(a) })).toBe(true);
      // The signature covers the path and query, and the endpoint's host without port.
      expect(
        verifyDelivery(
          { ...req, url: '/hooks/keygen' },
          { host: '127.0.0.1', keys: await accountKeys(a) },
        ),
      ).toBe(false);

      const [row] = await events(created.body.data.id);
      const body = req.body.toString('utf8');
      expect(JSON.stringify(JSON.parse(body))).toBe(body);
      expect(doc(req)).toEqual({
        data: {
          id: row.id,
          type: 'webhook-events',
          attributes: {
            endpoint: rx.url('/hooks/keygen?source=keyward'),
            apiVersion: '1.8',
            payload: row.payload,
            event: 'entitlement.created',
            status: 'DELIVERING',
            lastResponseCode: null,
            lastResponseBody: null,
            created: row.createdAt.toISOString(),
            updated: row.createdAt.toISOString(),
          },
          relationships: {
            account: {
              links: { related: `/v1/accounts/${a.id}` },
              data: { type: 'accounts', id: a.id },
            },
            environment: { links: { related: null }, data: null },
          },
          links: { self: `/v1/accounts/${a.id}/webhook-events/${row.id}` },
          meta: { idempotencyToken: row.idempotencyToken },
        },
      });
      expect(row.idempotencyToken).toMatch(/^[0-9a-f]{62}v3$/);
      // The payload is the resource document as a string, exactly what GET returns.
      const shown = await t.http
        .get(`${a.base}/entitlements/${ent.body.data.id}`)
        .set(a.auth)
        .expect(200);
      expect(JSON.parse(doc(req).data.attributes.payload)).toEqual({ data: shown.body.data });

      expect(row).toMatchObject({
        status: 'DELIVERED',
        lastResponseCode: 200,
        lastResponseBody: 'ok',
      });
      const api = await t.http.get(`${a.base}/webhook-events/${row.id}`).set(a.auth).expect(200);
      expect(api.body.data.attributes).toMatchObject({
        status: 'DELIVERED',
        lastResponseCode: 200,
      });
    });

    it.each(['rsa-pss-sha256', 'rsa-sha256', 'ecdsa-p256'] as const)(
      'signs with the endpoint algorithm %s',
      async (signatureAlgorithm) => {
        const a = await g.account();
        await w.endpoint(a.account, { url: rx.url(), signatureAlgorithm });
        await createEntitlement(a, 'algo');
        await t.jobs.drain();
        expect(rx.requests).toHaveLength(1);
        expect(rx.requests[0].headers['keygen-signature']).toContain(
          `algorithm="${signatureAlgorithm}"`,
        );
        expect(
          verifyDelivery(rx.requests[0], { host: '127.0.0.1', keys: await accountKeys(a) }),
        ).toBe(true);
      },
    );

    it("migrates the payload to the endpoint's API version", async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, {
        url: rx.url(),
        apiVersion: '1.5',
        subscriptions: ['policy.created'],
      });
      const p = await g.product(a.account);
      await t.http
        .post(`${a.base}/policies`)
        .set(a.auth)
        .send({
          data: {
            type: 'policies',
            attributes: { name: 'Old clients' },
            relationships: { product: { data: { type: 'products', id: p.product.id } } },
          },
        })
        .expect(201);
      await t.jobs.drain();
      expect(rx.requests).toHaveLength(1);
      expect(rx.requests[0].headers['keygen-version']).toBe('1.5');
      expect(rx.requests[0].headers['user-agent']).toBe(
        'Keygen/1.5 (+https://keygen.sh/docs/api/webhooks/)',
      );
      const payload = JSON.parse(doc(rx.requests[0]).data.attributes.payload) as {
        data: { attributes: Record<string, unknown> };
      };
      expect(payload.data.attributes.leasingStrategy).toBe('PER_MACHINE');
      expect(payload.data.attributes).not.toHaveProperty('processLeasingStrategy');
      const [row] = await events(e.id);
      expect(row.apiVersion).toBe('1.5');
    });

    it('sends machines to API ≤1.5 endpoints with `user` (the license owner) instead of `owner`', async () => {
      const a = await g.account();
      const legacy = await w.endpoint(a.account, {
        url: rx.url(),
        apiVersion: '1.5',
        subscriptions: ['machine.created'],
      });
      const current = await w.endpoint(a.account, {
        url: rx.url(),
        apiVersion: '1.6',
        subscriptions: ['machine.created'],
      });
      const licenseOwner = await g.user(a.account);
      const { license } = await g.license(a.account, { owner: licenseOwner.user });
      const created = await t.http
        .post(`${a.base}/machines`)
        .set(a.auth)
        .send({
          data: {
            type: 'machines',
            attributes: { fingerprint: 'legacy-webhook-fp' },
            relationships: { license: { data: { type: 'licenses', id: license.id } } },
          },
        })
        .expect(201);
      const machineId = created.body.data.id as string;
      await t.jobs.drain();
      type Relationships = Record<string, { data?: unknown; links?: { related?: string } }>;
      const relationshipsSentTo = async (endpointId: string): Promise<Relationships> => {
        const [row] = await events(endpointId);
        return (JSON.parse(row.payload) as { data: { relationships: Relationships } }).data
          .relationships;
      };
      const old = await relationshipsSentTo(legacy.id);
      expect(old.owner).toBeUndefined();
      expect(old.user).toEqual({
        links: { related: `/v1/accounts/${a.id}/machines/${machineId}/user` },
        data: { type: 'users', id: licenseOwner.user.id },
      });
      const now = await relationshipsSentTo(current.id);
      expect(now.user).toBeUndefined();
      expect(now.owner).toEqual({
        links: { related: `/v1/accounts/${a.id}/machines/${machineId}/owner` },
        data: null,
      });
      expect(rx.requests).toHaveLength(2);
    });

    it("re-migrates a stored payload to the endpoint's current version at send time", async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url(), apiVersion: '1.4' });
      const ev = await w.event(a.account, {
        endpoint: e,
        apiVersion: '1.8',
        event: 'policy.updated',
        payload: JSON.stringify({
          data: {
            id: 'p',
            type: 'policies',
            attributes: { processLeasingStrategy: 'PER_LICENSE', metadata: { a: { bC: 1 } } },
          },
        }),
      });
      await t.app.get(WebhookDeliveryService).enqueue(ev, 0);
      await t.jobs.drain();
      const sent = doc(rx.requests[0]);
      expect(sent.data.attributes.apiVersion).toBe('1.8');
      expect(rx.requests[0].headers['keygen-version']).toBe('1.4');
      expect(JSON.parse(sent.data.attributes.payload)).toEqual({
        data: {
          id: 'p',
          type: 'policies',
          attributes: { metadata: { a: { b_c: 1 } }, leasingStrategy: 'PER_LICENSE' },
        },
      });
    });
  });

  describe('attempts', () => {
    it('retries a receiver that fails twice: exactly three attempts, then DELIVERED', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url() });
      rx.replies = [
        { status: 500, body: 'boom' },
        { status: 503, body: 'busy' },
      ];
      await createEntitlement(a, 'flaky');
      await t.jobs.drain();
      expect(rx.requests).toHaveLength(3);
      const ids = rx.requests.map((r) => doc(r).data.id);
      const tokens = rx.requests.map((r) => doc(r).data.meta.idempotencyToken);
      expect(new Set(ids).size).toBe(1);
      expect(new Set(tokens).size).toBe(1);
      expect(rx.requests.map((r) => doc(r).data.attributes.status)).toEqual([
        'DELIVERING',
        'DELIVERING',
        'DELIVERING',
      ]);
      const [row] = await events(e.id);
      expect(row).toMatchObject({
        status: 'DELIVERED',
        lastResponseCode: 200,
        lastResponseBody: 'ok',
        attempts: 3,
      });
    });

    it('gives up after the configured retries with FAILED and the last response', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url() });
      rx.fallback = { status: 500, body: 'still down' };
      await createEntitlement(a, 'down');
      await t.jobs.drain();
      expect(rx.requests).toHaveLength(4);
      const [row] = await events(e.id);
      expect(row).toMatchObject({
        status: 'FAILED',
        lastResponseCode: 500,
        lastResponseBody: 'still down',
      });
    });

    it('treats a redirect as a failure and never follows it', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url('/old') });
      rx.replies = [{ status: 302, body: '' }];
      await createEntitlement(a, 'moved');
      await t.jobs.drain();
      expect(rx.requests.map((r) => r.url)).toEqual(['/old', '/old']);
      const [row] = await events(e.id);
      expect(row).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    });

    it.each([410, 530])('disables the endpoint on %i and stops', async (status) => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url() });
      rx.replies = [{ status, body: 'gone' }];
      await createEntitlement(a, 'gone');
      await t.jobs.drain();
      expect(rx.requests).toHaveLength(1);
      const [row] = await events(e.id);
      expect(row).toMatchObject({
        status: 'FAILED',
        lastResponseCode: status,
        lastResponseBody: 'gone',
      });
      const disabled = await t.ds.getRepository(WebhookEndpoint).findOneByOrFail({ id: e.id });
      expect(disabled.subscriptions).toEqual([]);
      expect(disabled.updatedAt).toEqual(e.updatedAt);
      await createEntitlement(a, 'after');
      await t.jobs.drain();
      expect(rx.requests).toHaveLength(1);
      expect(await events(e.id)).toHaveLength(1);
    });

    it('records RES_BODY_TOO_LARGE for long response bodies', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url() });
      rx.fallback = { status: 200, body: 'x'.repeat(2049) };
      await createEntitlement(a, 'chatty');
      await t.jobs.drain();
      const [row] = await events(e.id);
      expect(row).toMatchObject({ status: 'DELIVERED', lastResponseBody: 'RES_BODY_TOO_LARGE' });
    });

    it('retries timeouts (REQ_TIMEOUT, no code) until the retries run out', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url() });
      rx.fallback = 'hang';
      await createEntitlement(a, 'slow');
      await t.jobs.drain();
      expect(rx.requests).toHaveLength(4);
      const [row] = await events(e.id);
      expect(row).toMatchObject({
        status: 'FAILED',
        lastResponseCode: null,
        lastResponseBody: 'REQ_TIMEOUT',
        attempts: 4,
      });
    });

    it('delivers on the retry after a timeout', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url() });
      rx.replies = ['hang'];
      await createEntitlement(a, 'slow-once');
      await t.jobs.drain();
      expect(rx.requests).toHaveLength(2);
      const [row] = await events(e.id);
      expect(row).toMatchObject({ status: 'DELIVERED', lastResponseCode: 200, attempts: 2 });
    });

    it('stops at once on a refused connection (CONN_REFUSED) or a dropped one (EOF_ERROR)', async () => {
      const a = await g.account();
      const closed = await new Receiver().start();
      const url = closed.url();
      await closed.stop();
      const refused = await w.endpoint(a.account, { url });
      rx.replies = ['destroy'];
      const dropped = await w.endpoint(a.account, { url: rx.url() });
      await createEntitlement(a, 'refused');
      await t.jobs.drain();
      expect((await events(refused.id))[0]).toMatchObject({
        status: 'FAILED',
        lastResponseCode: null,
        lastResponseBody: 'CONN_REFUSED',
        attempts: 1,
      });
      expect((await events(dropped.id))[0]).toMatchObject({
        status: 'FAILED',
        lastResponseCode: null,
        lastResponseBody: 'EOF_ERROR',
        attempts: 1,
      });
    });

    it('lets a manual retry reuse the idempotency token under a new event id', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url() });
      await createEntitlement(a, 'twice');
      await t.jobs.drain();
      const [original] = await events(e.id);
      const res = await t.http
        .post(`${a.base}/webhook-events/${original.id}/actions/retry`)
        .set(a.auth)
        .expect(201);
      await t.jobs.drain();
      expect(rx.requests).toHaveLength(2);
      const [first, second] = rx.requests.map(doc);
      expect(second.data.id).toBe(res.body.data.id);
      expect(second.data.id).not.toBe(first.data.id);
      expect(second.data.meta.idempotencyToken).toBe(first.data.meta.idempotencyToken);
      expect(second.data.attributes.payload).toBe(first.data.attributes.payload);
      expect(await events(e.id)).toHaveLength(2);
    });

    it('skips quietly when the endpoint stopped subscribing or is gone', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url(), subscriptions: ['license.updated'] });
      const ev = await w.event(a.account, { endpoint: e, event: 'license.created' });
      const delivery = t.app.get(WebhookDeliveryService);
      await delivery.deliver({ accountId: a.id, eventId: ev.id, attempt: 0 });
      const gone = await w.event(a.account, { url: rx.url() });
      await delivery.deliver({ accountId: a.id, eventId: gone.id, attempt: 0 });
      expect(rx.requests).toHaveLength(0);
      expect(await t.ds.getRepository(WebhookEvent).findOneByOrFail({ id: ev.id })).toEqual(ev);
    });

    it('ignores a duplicate job for an attempt already made', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url() });
      const ev = await w.event(a.account, { endpoint: e });
      const delivery = t.app.get(WebhookDeliveryService);
      await delivery.deliver({ accountId: a.id, eventId: ev.id, attempt: 0 });
      await delivery.deliver({ accountId: a.id, eventId: ev.id, attempt: 0 });
      expect(rx.requests).toHaveLength(1);
    });
  });

  describe('fan-out', () => {
    it('matches environments strictly and honours subscriptions', async () => {
      const a = await g.account();
      const env = await g.environment(a.account);
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const global = await w.endpoint(a.account, { url: rx.url('/global') });
      const isolated = await w.endpoint(a.account, {
        url: rx.url('/isolated'),
        environment: env.environment,
      });
      const sharedEp = await w.endpoint(a.account, {
        url: rx.url('/shared'),
        environment: shared.environment,
      });
      const other = await w.endpoint(a.account, {
        url: rx.url('/updates'),
        subscriptions: ['entitlement.updated'],
      });
      const off = await w.endpoint(a.account, { url: rx.url('/off'), subscriptions: [] });

      await createEntitlement(a, 'global-one');
      await createEntitlement(a, 'env-one', env.auth);
      await t.jobs.drain();
      expect(rx.requests.map((r) => r.url).sort()).toEqual(['/global', '/isolated']);
      expect((await events(global.id)).map((e) => e.environmentId)).toEqual([null]);
      expect((await events(isolated.id)).map((e) => e.environmentId)).toEqual([env.environment.id]);
      for (const ep of [sharedEp, other, off]) {
        expect(await events(ep.id)).toHaveLength(0);
      }
    });

    it('sends a product endpoint only what the product may read', async () => {
      const a = await g.account();
      const mine = await g.product(a.account);
      const theirs = await g.product(a.account);
      const e = await w.endpoint(a.account, { url: rx.url(), product: mine.product });
      const rename = (id: string, name: string) =>
        t.http
          .patch(`${a.base}/products/${id}`)
          .set(a.auth)
          .send({ data: { type: 'products', attributes: { name } } })
          .expect(200);
      await rename(mine.product.id, 'Mine');
      await rename(theirs.product.id, 'Theirs');
      await createEntitlement(a, 'shared-feature');
      await t.jobs.drain();
      const sent = (await events(e.id)).map((ev) => [
        ev.event,
        JSON.parse(ev.payload).data.id as string,
      ]);
      expect(sent.sort()).toEqual(
        [
          ['entitlement.created', expect.any(String)],
          ['product.updated', mine.product.id],
        ].sort(),
      );
    });

    it('never sends the raw token of token.generated', async () => {
      const a = await g.account();
      const e = await w.endpoint(a.account, { url: rx.url(), subscriptions: ['token.generated'] });
      const res = await t.http
        .post(`${a.base}/tokens`)
        .set('Authorization', basic(a.admin.email, a.adminPassword))
        .expect(201);
      expect(res.body.data.attributes.token).toEqual(expect.any(String));
      await t.jobs.drain();
      const [row] = await events(e.id);
      const payload = JSON.parse(row.payload) as {
        data: { id: string; attributes: Record<string, unknown> };
      };
      expect(payload.data.id).toBe(res.body.data.id);
      expect(payload.data.attributes).not.toHaveProperty('token');
      expect(rx.requests[0].body.toString('utf8')).not.toContain(
        res.body.data.attributes.token as string,
      );
    });

    it('persists and sends nothing without a selected endpoint', async () => {
      const a = await g.account();
      await createEntitlement(a, 'quiet');
      await t.jobs.drain();
      expect(await t.ds.getRepository(WebhookEvent).countBy({ accountId: a.id })).toBe(0);
      expect(rx.requests).toHaveLength(0);
    });
  });

  describe('retention', () => {
    it('prunes events older than 30 days at the daily tick', async () => {
      const a = await g.account();
      const old = await w.event(a.account);
      t.clock.advance(20 * 86_400_000);
      const recent = await w.event(a.account);
      t.clock.advance(12 * 86_400_000);
      try {
        await t.app.get(ScheduleRunner).trigger('prune-webhook-events', t.clock.now());
        await t.jobs.drain();
        const repo = t.ds.getRepository(WebhookEvent);
        expect(await repo.findOneBy({ id: old.id })).toBeNull();
        expect(await repo.findOneBy({ id: recent.id })).not.toBeNull();
      } finally {
        t.clock.reset();
      }
    });
  });
});

describe('webhook delivery without WEBHOOKS_ALLOW_PRIVATE_TARGETS', () => {
  let t: TestApp;
  let rx: Receiver;

  beforeAll(async () => {
    t = await bootApp({ WEBHOOKS_RETRY_UNIT_MS: '1', WEBHOOKS_RETRY_JITTER_UNITS: '0' });
    rx = await new Receiver().start();
  });
  afterAll(async () => {
    await t.jobs.drain();
    await rx.stop();
    await t.close();
  });

  it('refuses private and loopback targets (DNS_ERROR, never retried, nothing sent)', async () => {
    const g = given(t);
    const w = givenWebhooks(t);
    const a = await g.account();
    const targets = [
      `https://127.0.0.1:${rx.port}/hooks`,
      `https://localhost:${rx.port}/hooks`,
      `https://[::ffff:127.0.0.1]:${rx.port}/hooks`,
      `http://127.0.0.1:${rx.port}/hooks`,
      `https://169.254.169.254/latest/meta-data`,
    ];
    const endpoints = [];
    for (const url of targets) {
      endpoints.push(await w.endpoint(a.account, { url }));
    }
    await t.http
      .post(`${a.base}/entitlements`)
      .set(a.auth)
      .send({ data: { type: 'entitlements', attributes: { name: 'x', code: 'x' } } })
      .expect(201);
    await t.jobs.drain();
    expect(rx.requests).toHaveLength(0);
    for (const e of endpoints) {
      const rows = await t.ds.getRepository(WebhookEvent).findBy({ webhookEndpointId: e.id });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: 'FAILED',
        lastResponseCode: null,
        lastResponseBody: 'DNS_ERROR',
        attempts: 1,
      });
    }
  });
});
