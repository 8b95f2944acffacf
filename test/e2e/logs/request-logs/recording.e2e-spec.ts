import { ResponseFinalizer } from '@app/common/http/response-finalizer';
import { uuidv4 } from '@app/common/ids';
import { RequestLog } from '@app/modules/logs/request-log.entity';
import { RequestLogRecorder } from '@app/modules/logs/request-log-recorder';
import { bootApp, type TestApp } from '../../../support/app';
import { basic, given, type GivenAccount } from '../../../support/factories';
import { requestLogOf, requestLogResource, settleLogs } from '../support';

const JSONAPI = 'application/vnd.api+json';

/**
 * Which requests get a request log and what it holds (spec 06 §1.5–1.6), written both
 * ways the in-process setup can: as queued jobs, and from the writer thread (here the
 * TypeScript worker through ts-node; `npm start` runs the compiled one).
 */
describe.each([
  ['as queued jobs', { REQUEST_LOGS_THREAD: 'false' }],
  ['from the writer thread', { REQUEST_LOGS_THREAD: 'true' }],
])('request log recording, written %s', (_how, env) => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp(env);
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  it('is wired into the response finalizer as its request-log sink', () => {
    const finalizer = t.app.get(ResponseFinalizer) as unknown as { logSink?: unknown };
    expect(finalizer.logSink).toBe(t.app.get(RequestLogRecorder));
  });

  it('writes off the request path: nothing is in the table until the batch job ran', async () => {
    const res = await t.http.get(`${a.base}/me`).set(a.auth).expect(200);
    const repo = t.ds.getRepository(RequestLog);
    expect(await repo.findOneBy({ id: res.headers['x-request-id'] })).toBeNull();
    expect(await requestLogOf(t, res)).not.toBeNull();
  });

  it('records a request as received and the signed response as sent', async () => {
    const res = await t.http
      .get(`${a.base}/me`)
      .set(a.auth)
      .set('Accept', JSONAPI)
      .set('User-Agent', 'keyward-tests/1.0 (caf\u00e9)')
      .set('Origin', 'https://portal.example.com')
      .expect(200);
    const log = (await requestLogOf(t, res))!;
    expect(log).toMatchObject({
      id: res.headers['x-request-id'],
      accountId: a.id,
      environmentId: null,
      requestorType: 'users',
      requestorId: a.admin.id,
      resourceType: null,
      resourceId: null,
      method: 'GET',
      url: `/v1/accounts/${a.id}/me`,
      status: '200',
      userAgent: 'keyward-tests/1.0 (caf?)',
      requestBody: null,
      responseSignature: res.headers['keygen-signature'],
    });
    expect(log.ip).toMatch(/127\.0\.0\.1/);
    expect(log.requestHeaders).toEqual({
      Accept: JSONAPI,
      Origin: 'https://portal.example.com',
      Host: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown as string,
    });
    expect(log.responseHeaders).toEqual({
      'Content-Length': res.headers['content-length'],
      'Content-Type': res.headers['content-type'],
      Date: res.headers.date,
      Digest: res.headers.digest,
      'Keygen-Account': a.id,
      'Keygen-Bearer': a.admin.id,
      'Keygen-Date': res.headers['keygen-date'],
      'Keygen-Digest': res.headers['keygen-digest'],
      'Keygen-Edition': 'EE',
      'Keygen-Mode': 'multiplayer',
      'Keygen-Signature': res.headers['keygen-signature'],
      'Keygen-Token': res.headers['keygen-token'],
      'Keygen-Version': '1.8',
    });
    // The body as sent, with the tokens link masked like Keygen's filter does.
    const body = JSON.parse(log.responseBody!) as {
      data: { attributes: unknown; relationships: { tokens: unknown } };
    };
    expect(body.data.attributes).toEqual(res.body.data.attributes);
    expect(body.data.relationships.tokens).toEqual({ links: { related: '/v1/...kens' } });
    expect(log.createdAt.getTime()).toBeLessThanOrEqual(log.updatedAt.getTime());
  });

  it('shows a recorded log in full, and lists it with the bodies null', async () => {
    const res = await t.http.get(`${a.base}/users`).set(a.auth).expect(200);
    const log = (await requestLogOf(t, res))!;
    const show = await t.http.get(`${a.base}/request-logs/${log.id}`).set(a.auth).expect(200);
    expect(show.body).toEqual({ data: requestLogResource(log, true) });
    expect(show.body.data.attributes.responseBody).toBe(res.text);
    const list = await t.http.get(`${a.base}/request-logs?limit=100`).set(a.auth).expect(200);
    const listed = (list.body.data as Array<{ id: string }>).find((d) => d.id === log.id);
    expect(listed).toEqual(requestLogResource(log, false));
  });

  describe('redaction', () => {
    it('never stores the credentials of a token created with Basic auth', async () => {
      const res = await t.http
        .post(`${a.base}/tokens`)
        .set('Authorization', basic(a.admin.email, a.adminPassword))
        .set('Accept', JSONAPI)
        .expect(201);
      const raw = res.body.data.attributes.token as string;
      const log = (await requestLogOf(t, res))!;
      const stored = JSON.stringify(log);
      expect(stored).not.toContain(raw);
      expect(stored).not.toContain(a.adminPassword);
      expect(stored).not.toContain(
        Buffer.from(`${a.admin.email}:${a.adminPassword}`).toString('base64'),
      );
      expect(log.requestHeaders).not.toHaveProperty('Authorization');
      const body = JSON.parse(log.responseBody!) as { data: { attributes: { token: string } } };
      expect(body.data.attributes.token).toBe(`${raw.slice(0, 4)}...${raw.slice(-4)}`);
      expect(log).toMatchObject({
        requestorType: 'users',
        requestorId: a.admin.id,
        resourceId: null,
        status: '201',
      });
    });

    it('filters token and auth query parameters from the URL', async () => {
      const u = await g.user(a.account, { role: 'admin' });
      const res = await t.http.get(`${a.base}/me?token=${u.token}&limit=1`).expect(200);
      const log = (await requestLogOf(t, res))!;
      expect(log.url).toBe(`/v1/accounts/${a.id}/me?token=[FILTERED]&limit=1`);
      const bad = await t.http.get(`${a.base}/me?auth=token:${u.token}`).expect(200);
      expect((await requestLogOf(t, bad))!.url).toBe(`/v1/accounts/${a.id}/me?auth=[FILTERED]`);
    });

    it('keeps data and meta of a rejected body, camelCased, with secrets masked', async () => {
      const res = await t.http
        .post(`${a.base}/users`)
        .set(a.auth)
        .send({
          data: {
            type: 'users',
            attributes: {
              email: 'x@example.com',
              first_name: 'X',
              password: 'supersecretpassword',
              nope: 1,
            },
          },
          meta: { otp: '123456' },
        })
        .expect(400);
      const log = (await requestLogOf(t, res))!;
      expect(log.status).toBe('400');
      expect(JSON.parse(log.requestBody!)).toEqual({
        data: {
          type: 'users',
          attributes: { email: 'x@example.com', firstName: 'X', password: 's...d', nope: 1 },
        },
        meta: { otp: '1...6' },
      });
    });

    it('masks the key of a failed validate-key in the request and the response', async () => {
      const l = await g.license(a.account, { suspended: true });
      const res = await t.http
        .post(`${a.base}/licenses/actions/validate-key`)
        .set('Accept', JSONAPI)
        .send({ meta: { key: l.key } })
        .expect(200);
      expect(res.body.meta.valid).toBe(false);
      const log = (await requestLogOf(t, res))!;
      expect(JSON.stringify(log)).not.toContain(l.key);
      const masked = `${l.key.slice(0, 4)}...${l.key.slice(-4)}`;
      expect(JSON.parse(log.requestBody!)).toEqual({ meta: { key: masked } });
      const body = JSON.parse(log.responseBody!) as {
        data: { attributes: { key: string } };
        meta: unknown;
      };
      expect(body.data.attributes.key).toBe(masked);
      expect(body.meta).toEqual(res.body.meta);
      expect(log).toMatchObject({
        requestorId: null,
        resourceType: 'licenses',
        resourceId: l.license.id,
      });
      const show = await t.http.get(`${a.base}/request-logs/${log.id}`).set(a.auth).expect(200);
      expect(show.body.data.attributes.requestBody).toBe(`{"meta":{"key":"${masked}"}}`);
      expect(show.body.data.relationships.resource.data).toEqual({
        type: 'licenses',
        id: l.license.id,
      });
    });
  });

  describe('statuses, requestor and resource', () => {
    it('records anonymous requests and auth failures with a null requestor', async () => {
      const anon = await t.http.get(`${a.base}/users`).expect(401);
      expect(await requestLogOf(t, anon)).toMatchObject({
        status: '401',
        requestorId: null,
        requestorType: null,
      });
      const bad = await t.http
        .get(`${a.base}/users`)
        .set('Authorization', 'Bearer admin-nope')
        .expect(401);
      expect(await requestLogOf(t, bad)).toMatchObject({ status: '401', requestorId: null });
    });

    it('points at the record a route addressed, by id or alias, unless it was not found', async () => {
      const u = await g.user(a.account, { role: 'user' });
      const byId = await t.http.get(`${a.base}/users/${u.user.id}/tokens`).set(a.auth).expect(200);
      expect(await requestLogOf(t, byId)).toMatchObject({
        resourceType: 'users',
        resourceId: u.user.id,
      });
      const byEmail = await t.http
        .get(`${a.base}/users/${encodeURIComponent(u.user.email)}`)
        .set(a.auth)
        .expect(200);
      expect(await requestLogOf(t, byEmail)).toMatchObject({
        resourceType: 'users',
        resourceId: u.user.id,
      });
      const updated = await t.http
        .patch(`${a.base}/users/${encodeURIComponent(u.user.email)}`)
        .set(a.auth)
        .send({ data: { type: 'users', attributes: { firstName: 'Ada' } } })
        .expect(200);
      expect(await requestLogOf(t, updated)).toMatchObject({
        resourceType: 'users',
        resourceId: u.user.id,
      });
      const e = await g.entitlement(a.account);
      const sales = await g.user(a.account, { role: 'sales-agent' });
      const forbidden = await t.http
        .delete(`${a.base}/entitlements/${e.id}`)
        .set(sales.auth)
        .expect(403);
      expect(await requestLogOf(t, forbidden)).toMatchObject({
        status: '403',
        requestorId: sales.user.id,
        resourceType: 'entitlements',
        resourceId: e.id,
      });
      const missing = await t.http.get(`${a.base}/users/${uuidv4()}`).set(a.auth).expect(404);
      expect(await requestLogOf(t, missing)).toMatchObject({ status: '404', resourceId: null });
      const created = await t.http
        .post(`${a.base}/users`)
        .set(a.auth)
        .send({ data: { type: 'users', attributes: { email: `new-${uuidv4()}@example.com` } } })
        .expect(201);
      expect(await requestLogOf(t, created)).toMatchObject({ status: '201', resourceId: null });
    });

    it('records the environment and an environment requestor', async () => {
      const env = await g.environment(a.account);
      const res = await t.http.get(`${a.base}/users`).set(env.auth).expect(200);
      expect(await requestLogOf(t, res)).toMatchObject({
        environmentId: env.environment.id,
        requestorType: 'environments',
        requestorId: env.environment.id,
      });
    });
  });

  describe('not recorded', () => {
    it.each([
      ['the account itself', (b: string) => b],
      ['account settings', (b: string) => `${b}/settings`],
      ['request logs', (b: string) => `${b}/request-logs`],
      ['event logs', (b: string) => `${b}/event-logs`],
      ['webhook endpoints', (b: string) => `${b}/webhook-endpoints`],
      ['an unknown route', (b: string) => `${b}/gremlins`],
    ])('%s', async (_name, path) => {
      const res = await t.http.get(path(a.base)).set(a.auth);
      expect(await requestLogOf(t, res)).toBeNull();
    });

    it('middleware rejections and requests without an account', async () => {
      const repo = t.ds.getRepository(RequestLog);
      const where = {
        accountId: a.id,
        method: 'POST',
        url: `/v1/accounts/${a.id}/users`,
        status: '400',
      };
      await settleLogs(t);
      const before = await repo.countBy(where);
      const json = await t.http
        .post(`${a.base}/users`)
        .set(a.auth)
        .set('Content-Type', JSONAPI)
        .send('{"data":')
        .expect(400);
      expect(json.body.errors[0].code).toBe('JSON_INVALID');
      await settleLogs(t);
      expect(await repo.countBy(where)).toBe(before);
      const noAccount = await t.http.get(`/v1/accounts/${uuidv4()}/users`).set(a.auth).expect(404);
      expect(await requestLogOf(t, noAccount)).toBeNull();
    });
  });
});

describe('request log writer thread', () => {
  it('is used with REQUEST_LOGS_THREAD=true, and a crashed thread is replaced for the next batch', async () => {
    const t = await bootApp({ REQUEST_LOGS_THREAD: 'true' });
    try {
      const recorder = t.app.get(RequestLogRecorder);
      expect(recorder.writer).toBe('written from a worker thread');
      const a = await given(t).account();
      const first = await t.http.get(`${a.base}/me`).set(a.auth).expect(200);
      expect(await requestLogOf(t, first)).not.toBeNull();

      // Kill the running thread: the next batch must start a new one and be written.
      const thread = (
        recorder as unknown as { thread: { worker: { terminate(): Promise<number> } | null } }
      ).thread;
      expect(thread.worker).not.toBeNull();
      await thread.worker!.terminate();
      const second = await t.http.get(`${a.base}/me`).set(a.auth).expect(200);
      expect(await requestLogOf(t, second)).not.toBeNull();
    } finally {
      await t.close();
    }
  });

  it('is not used with REQUEST_LOGS_THREAD=false', async () => {
    const t = await bootApp({ REQUEST_LOGS_THREAD: 'false' });
    try {
      expect(t.app.get(RequestLogRecorder).writer).toBe('written by queued jobs');
    } finally {
      await t.close();
    }
  });
});

describe('request log settings', () => {
  it('records nothing with REQUEST_LOGS_ENABLED=false', async () => {
    const t = await bootApp({ REQUEST_LOGS_ENABLED: 'false' });
    try {
      const a = await given(t).account();
      const res = await t.http.get(`${a.base}/me`).set(a.auth).expect(200);
      expect(await requestLogOf(t, res)).toBeNull();
    } finally {
      await t.close();
    }
  });

  it('stores bodies over REQUEST_LOG_MAX_BODY_BYTES as null and keeps the small ones', async () => {
    const t = await bootApp({ REQUEST_LOG_MAX_BODY_BYTES: '600' });
    try {
      const a = await given(t).account();
      const big = await t.http.get(`${a.base}/me`).set(a.auth).expect(200);
      expect(big.text.length).toBeGreaterThan(600);
      expect((await requestLogOf(t, big))!.responseBody).toBeNull();
      const small = await t.http.get(`${a.base}/users/${uuidv4()}`).set(a.auth).expect(404);
      expect((await requestLogOf(t, small))!.responseBody).toBe(small.text);
    } finally {
      await t.close();
    }
  });

  it('skips requests from a configured origin', async () => {
    const t = await bootApp({
      REQUEST_LOG_IGNORED_ORIGINS: 'https://app.keygen.sh, https://dist.keygen.sh',
    });
    try {
      const a = await given(t).account();
      const skipped = await t.http
        .get(`${a.base}/me`)
        .set(a.auth)
        .set('Origin', 'https://app.keygen.sh')
        .expect(200);
      expect(await requestLogOf(t, skipped)).toBeNull();
      const kept = await t.http
        .get(`${a.base}/me`)
        .set(a.auth)
        .set('Origin', 'https://example.com')
        .expect(200);
      expect(await requestLogOf(t, kept)).not.toBeNull();
    } finally {
      await t.close();
    }
  });
});
