import { bootApp, type TestApp } from '../../support/app';
import { basic, given, type GivenAccount } from '../../support/factories';
import { THROTTLED, WallClock, freshIp } from './wall-clock';

/**
 * Spec 00 §10: the login, password-reset, password-change and 2FA limiters. They
 * run in the HTTP middleware, so they apply whether or not the route exists yet.
 */
describe('credential rate limits', () => {
  let t: TestApp;
  let a: GivenAccount;
  const clock = new WallClock();

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterEach(() => clock.restore());
  afterAll(() => t.close());

  const login = (ip: string, email: string, password: string, path = `${a.base}/tokens`) =>
    t.http.post(path).set('Authorization', basic(email, password)).set('X-Forwarded-For', ip);

  describe('login (POST …/tokens with Basic email:password)', () => {
    it('answers the 6th attempt in a minute with 429 window auth', async () => {
      const start = clock.pin(20_000);
      const ip = freshIp();
      for (let i = 0; i < 5; i++) {
        const res = await login(ip, 'Someone@Example.com', 'wrong');
        expect(res.status).not.toBe(429);
      }
      // Same email in another case: the key is the lower-cased email.
      const res = await login(ip, 'someone@example.com', 'other').expect(429);
      expect(res.body).toEqual(THROTTLED);
      expect(res.headers).toMatchObject({
        'x-ratelimit-window': 'auth',
        'x-ratelimit-count': '6',
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(start / 1000 - 20 + 60),
        'retry-after': '40',
      });
      // Another email, another IP, or the next minute are not limited.
      expect((await login(ip, 'other@example.com', 'x')).status).not.toBe(429);
      expect((await login(freshIp(), 'someone@example.com', 'x')).status).not.toBe(429);
      clock.advance(40_000);
      expect((await login(ip, 'someone@example.com', 'x')).status).not.toBe(429);
    });

    it('throttles before authentication: even a correct password gets 429', async () => {
      clock.pin(0);
      const ip = freshIp();
      for (let i = 0; i < 5; i++) {
        await login(ip, a.admin.email, 'wrong');
      }
      await login(ip, a.admin.email, a.adminPassword).expect(429);
    });

    it.each<[string, (ip: string) => ReturnType<typeof login>]>([
      ['an empty password', (ip) => login(ip, 'x@example.com', '')],
      ['a username without @', (ip) => login(ip, 'someone', 'pw')],
      [
        'a token credential',
        (ip) =>
          t.http
            .post(`${a.base}/tokens`)
            .set('Authorization', basic('token', 'abc'))
            .set('X-Forwarded-For', ip),
      ],
      [
        'a lower-case basic scheme',
        (ip) =>
          t.http
            .post(`${a.base}/tokens`)
            .set('Authorization', basic('x@example.com', 'pw').replace('Basic', 'basic'))
            .set('X-Forwarded-For', ip),
      ],
      [
        'GET',
        (ip) =>
          t.http
            .get(`${a.base}/tokens`)
            .set('Authorization', basic('x@example.com', 'pw'))
            .set('X-Forwarded-For', ip),
      ],
      ['an unscoped path', (ip) => login(ip, 'x@example.com', 'pw', '/v1/tokens')],
      ['a trailing slash', (ip) => login(ip, 'x@example.com', 'pw', `${a.base}/tokens/`)],
    ])('does not count %s', async (_label, send) => {
      clock.pin(0);
      const ip = freshIp();
      for (let i = 0; i < 7; i++) {
        const res = await send(ip);
        expect(res.status).not.toBe(429);
      }
    });
  });

  describe('password reset (POST …/passwords with meta.email)', () => {
    it('answers the 6th request in an hour with 429 window rstpwd', async () => {
      const start = clock.pin(600_000);
      const ip = freshIp();
      const send = () =>
        t.http
          .post(`${a.base}/passwords`)
          .set('X-Forwarded-For', ip)
          .send({ meta: { email: 'Reset@Example.com' } });
      for (let i = 0; i < 5; i++) {
        expect((await send()).status).not.toBe(429);
      }
      const res = await send().expect(429);
      expect(res.headers).toMatchObject({
        'x-ratelimit-window': 'rstpwd',
        'x-ratelimit-limit': '5',
        'x-ratelimit-reset': String(start / 1000 - 600 + 3600),
        'retry-after': String(3600 - 600),
      });
    });
  });

  describe('password change (POST …/users/{id}/actions/update-password)', () => {
    it('answers the 6th request in 10 minutes with 429 window mutpwd', async () => {
      clock.pin(0);
      const ip = freshIp();
      const path = `${a.base}/users/${a.admin.id}/actions/update-password`;
      for (let i = 0; i < 5; i++) {
        expect((await t.http.post(path).set('X-Forwarded-For', ip).send({})).status).not.toBe(429);
      }
      // The reset-password action of the same user shares the counter.
      const res = await t.http
        .post(`${a.base}/users/${a.admin.id}/actions/reset-password`)
        .set('X-Forwarded-For', ip)
        .send({})
        .expect(429);
      expect(res.headers['x-ratelimit-window']).toBe('mutpwd');
      expect(res.headers['retry-after']).toBe('600');
    });
  });

  describe('second factors (POST/PATCH/DELETE …/users/{id}/second-factors)', () => {
    it('answers the 6th mutation in 10 minutes with 429 window mutmfa', async () => {
      clock.pin(0);
      const ip = freshIp();
      const base = `${a.base}/users/${a.admin.id}/second-factors`;
      await t.http.post(base).set('X-Forwarded-For', ip).send({});
      await t.http
        .patch(`${base}/00000000-0000-4000-8000-000000000000`)
        .set('X-Forwarded-For', ip)
        .send({});
      await t.http
        .delete(`${base}/00000000-0000-4000-8000-000000000000`)
        .set('X-Forwarded-For', ip);
      await t.http
        .put(`${base}/00000000-0000-4000-8000-000000000000`)
        .set('X-Forwarded-For', ip)
        .send({});
      await t.http.post(base).set('X-Forwarded-For', ip).send({});
      // Reads do not count.
      expect((await t.http.get(base).set('X-Forwarded-For', ip)).status).not.toBe(429);
      const res = await t.http.post(base).set('X-Forwarded-For', ip).send({}).expect(429);
      expect(res.headers['x-ratelimit-window']).toBe('mutmfa');
    });
  });
});
