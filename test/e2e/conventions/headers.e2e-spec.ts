import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { raw } from './raw-http';

const EXPOSED =
  'keygen-accept-signature, keygen-signature, keygen-date, keygen-digest, keygen-account-id, ' +
  'keygen-bearer-id, keygen-token-id, keygen-account, keygen-bearer, keygen-token, keygen-environment, ' +
  'keygen-license, keygen-edition, keygen-mode, keygen-revision, keygen-version, x-ratelimit-window, ' +
  'x-ratelimit-count, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, x-request-id, ' +
  'x-signature, date, digest';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Spec 00 §9 and §1.3: default headers, CORS, ping and health. */
describe('response headers', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp({ COMMIT_HASH: 'abc123' });
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('app responses', () => {
    it('sends the whoami, edition, mode, version and security headers', async () => {
      const res = await t.http.get(a.base).set(a.auth).expect(200);
      expect(res.headers).toMatchObject({
        'keygen-account': a.id,
        'keygen-bearer': a.admin.id,
        'keygen-edition': 'EE',
        'keygen-mode': 'multiplayer',
        'keygen-version': '1.8',
        'keygen-revision': 'abc123',
        'cache-control': 'no-transform, no-store, max-age=0',
        'content-security-policy':
          "default-src 'none'; report-uri /-/csp-reports; report-to csp-reports;",
        'access-control-allow-origin': '*',
        'access-control-expose-headers': EXPOSED,
      });
      expect(JSON.parse(res.headers['report-to'])).toEqual({
        group: 'csp-reports',
        max_age: 10886400,
        endpoints: [{ url: 'https://api.keyward.test/-/csp-reports' }],
      });
      expect(res.headers['x-request-id']).toMatch(UUID_V7);
      expect(res.headers['keygen-environment']).toBeUndefined();
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['x-ratelimit-window']).toBeUndefined();
    });

    it('sends Keygen-Token with the token id when authenticated by token', async () => {
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: a.admin.id,
        role: 'admin',
        environmentId: null,
      });
      const res = await t.http.get(a.base).set('Authorization', `Bearer ${tok.raw}`).expect(200);
      expect(res.headers['keygen-token']).toBe(tok.token.id);
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
    });

    it('omits Keygen-Bearer and Keygen-Token for anonymous requests', async () => {
      const res = await t.http.get(a.base).expect(401);
      expect(res.headers['keygen-account']).toBe(a.id);
      expect(res.headers['keygen-bearer']).toBeUndefined();
      expect(res.headers['keygen-token']).toBeUndefined();
      expect(res.headers['keygen-version']).toBe('1.8');
      expect(res.headers['cache-control']).toBe('no-transform, no-store, max-age=0');
      expect(res.headers['access-control-expose-headers']).toBe(EXPOSED);
    });

    it('sends Keygen-Environment with the environment code', async () => {
      const env = await given(t).environment(a.account, { code: `hdr-${Date.now()}` });
      const res = await t.http.get(a.base).set(env.auth).expect(200);
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
      expect(res.headers['keygen-bearer']).toBe(env.environment.id);
    });

    it('selects the environment from ?environment= when no header is sent', async () => {
      const env = await given(t).environment(a.account, { code: `q-${Date.now()}` });
      const res = await t.http
        .get(`${a.base}?environment=${env.environment.code}`)
        .set('Authorization', `Bearer ${env.token}`)
        .expect(200);
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
    });

    it('rejects an unknown environment with ENVIRONMENT_INVALID (source header)', async () => {
      for (const req of [
        t.http.get(a.base).set(a.auth).set('Keygen-Environment', 'nope'),
        t.http.get(`${a.base}?environment=nope`).set(a.auth),
      ]) {
        const res = await req.expect(400);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: [
            {
              title: 'Bad request',
              detail: 'environment is invalid',
              code: 'ENVIRONMENT_INVALID',
              source: { header: 'Keygen-Environment' },
            },
          ],
        });
      }
    });

    it('sends the same CORS headers on middleware errors, without Keygen-* headers', async () => {
      const res = await raw(t, 'PATCH', a.base, {
        headers: { ...a.auth, 'Content-Type': 'application/json' },
        body: '{',
      });
      expect(res.status).toBe(400);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-expose-headers']).toBe(EXPOSED);
      expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
      for (const h of [
        'keygen-account',
        'keygen-version',
        'keygen-edition',
        'keygen-mode',
        'cache-control',
        'keygen-signature',
      ]) {
        expect(res.headers[h]).toBeUndefined();
      }
    });

    it('does not advertise the framework', async () => {
      const res = await t.http.get(a.base).set(a.auth).expect(200);
      expect(res.headers['x-powered-by'] ?? '').not.toMatch(/express/i);
    });
  });

  describe('CORS preflight', () => {
    it('answers OPTIONS with the four CORS headers, echoing the requested headers', async () => {
      const res = await raw(t, 'OPTIONS', `${a.base}/licenses`, {
        headers: {
          Origin: 'https://example.com',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, keygen-version',
        },
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toBe(
        'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
      );
      expect(res.headers['access-control-allow-headers']).toBe(
        'authorization, content-type, keygen-version',
      );
      expect(res.headers['access-control-max-age']).toBe('86400');
      expect(res.headers['keygen-signature']).toBeUndefined();
    });

    it('answers preflight for any path, even unknown ones, before the Accept gate', async () => {
      const res = await raw(t, 'OPTIONS', '/v1/whatever/else', {
        headers: { 'Access-Control-Request-Method': 'GET', Accept: 'text/html' },
      });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });
  });

  describe('ping and health', () => {
    it.each(['/v1/ping', '/v1/ping/', `/v1/accounts/anything-at-all/ping`])(
      'answers GET %s with 200, empty and unsigned',
      async (path) => {
        const res = await raw(t, 'GET', path, { headers: { Accept: 'text/html' } });
        expect(res.status).toBe(200);
        expect(res.text).toBe('');
        expect(res.headers['keygen-signature']).toBeUndefined();
        expect(res.headers.digest).toBeUndefined();
      },
    );

    it('does not validate the account segment of the account ping', async () => {
      const res = await raw(t, 'GET', `${a.base}/ping`, {
        headers: { Authorization: 'Bearer garbage' },
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    });

    it('answers GET /v1/health with 204 and no body', async () => {
      const res = await raw(t, 'GET', '/v1/health', { headers: { Accept: 'application/xml' } });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(res.headers['keygen-signature']).toBeUndefined();
    });

    it('honours HTTP_HEALTH_CHECK_STATUS_CODE', async () => {
      const other = await bootApp({ HTTP_HEALTH_CHECK_STATUS_CODE: '200' });
      try {
        const res = await raw(other, 'GET', '/v1/health');
        expect(res.status).toBe(200);
        expect((await raw(other, 'GET', '/v1/health/webhooks')).status).toBe(200);
      } finally {
        await other.close();
      }
    });

    it('answers GET /v1/health/webhooks with the health status while webhook jobs are taken', async () => {
      const res = await raw(t, 'GET', '/v1/health/webhooks');
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(res.headers['keygen-signature']).toBeUndefined();
    });

    it('answers 500 on GET /v1/health/webhooks once the queue latency reaches SIDEKIQ_MAX_QUEUE_LATENCY', async () => {
      const other = await bootApp({ SIDEKIQ_MAX_QUEUE_LATENCY: '0' });
      try {
        const res = await raw(other, 'GET', '/v1/health/webhooks');
        expect(res.status).toBe(500);
        expect(res.text).toBe('');
      } finally {
        await other.close();
      }
    });
  });
});
