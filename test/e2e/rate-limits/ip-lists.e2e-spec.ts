import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { BLACKLISTED, WallClock, freshIp } from './wall-clock';

const BLACKLIST_HEADERS = {
  'x-ratelimit-window': 'blacklist',
  'x-ratelimit-count': '0',
  'x-ratelimit-limit': '0',
  'x-ratelimit-remaining': '0',
  'x-ratelimit-reset': '0',
  'content-type': 'application/vnd.api+json; charset=utf-8',
};

/** Spec 00 §10 rules 4–6: allow/deny lists, bot bans, NO_RACK_ATTACK. */
describe('IP lists and bans', () => {
  let t: TestApp;
  let a: GivenAccount;
  const clock = new WallClock();

  beforeAll(async () => {
    t = await bootApp({
      RACK_ATTACK_IP_BLACKLIST: '10.250.0.7, 192.168.77.0/24, 2001:db8::/32',
      RACK_ATTACK_IP_WHITELIST: '10.251.0.1',
      RACK_ATTACK_MAX_RPS: '2',
    });
    a = await given(t).account();
  });
  afterEach(() => clock.restore());
  afterAll(() => t.close());

  describe('deny list', () => {
    it.each(['10.250.0.7', '192.168.77.200', '2001:db8::1'])(
      'answers %s with 403 blacklist before anything else',
      async (ip) => {
        const res = await t.http.get(a.base).set(a.auth).set('X-Forwarded-For', ip).expect(403);
        expect(res.body).toEqual(BLACKLISTED);
        expect(res.headers).toMatchObject(BLACKLIST_HEADERS);
        expect(res.headers['keygen-account']).toBeUndefined();
        expect(res.headers['keygen-signature']).toBeUndefined();
        expect(res.headers['x-request-id']).toBeUndefined();
      },
    );

    it('blocks unrouted paths and ping too', async () => {
      await t.http.get('/v1/nope').set('X-Forwarded-For', '10.250.0.7').expect(403);
      await t.http.get('/v1/ping').set('X-Forwarded-For', '10.250.0.7').expect(403);
    });

    it('lets other addresses through', async () => {
      await t.http.get(a.base).set(a.auth).set('X-Forwarded-For', '192.168.78.1').expect(200);
    });
  });

  describe('allow list', () => {
    it('bypasses every limit', async () => {
      clock.pin(0);
      for (let i = 0; i < 5; i++) {
        const res = await t.http
          .get(a.base)
          .set(a.auth)
          .set('X-Forwarded-For', '10.251.0.1')
          .expect(200);
        expect(res.headers['x-ratelimit-window']).toBeUndefined();
      }
    });
  });

  describe('bot bans', () => {
    it.each([
      '/wp-login.php',
      '/v1/wp-admin/setup',
      '/cgi-bin/test',
      '/index.php',
      '/v1/ping?file=%2Fetc%2Fpasswd',
    ])('answers the probe %s as blacklisted', async (path) => {
      clock.pin(0);
      const res = await t.http.get(path).set('X-Forwarded-For', freshIp()).expect(403);
      expect(res.body).toEqual(BLACKLISTED);
      expect(res.headers['x-ratelimit-window']).toBe('blacklist');
    });

    it('bans the IP for 30 minutes after 3 probes in 10 minutes', async () => {
      clock.pin(0);
      const ip = freshIp();
      await t.http.get(a.base).set(a.auth).set('X-Forwarded-For', ip).expect(200);
      for (const path of ['/wp-admin', '/xmlrpc.php', '/etc/passwd']) {
        clock.advance(60_000);
        await t.http.get(path).set('X-Forwarded-For', ip).expect(403);
      }
      clock.advance(1000);
      const banned = await t.http.get(a.base).set(a.auth).set('X-Forwarded-For', ip).expect(403);
      expect(banned.body).toEqual(BLACKLISTED);
      await t.http.get(a.base).set(a.auth).set('X-Forwarded-For', freshIp()).expect(200);
      clock.advance(30 * 60_000);
      await t.http.get(a.base).set(a.auth).set('X-Forwarded-For', ip).expect(200);
    });

    it('does not ban for 2 probes', async () => {
      clock.pin(0);
      const ip = freshIp();
      await t.http.get('/wp-admin').set('X-Forwarded-For', ip).expect(403);
      await t.http.get('/wp-admin').set('X-Forwarded-For', ip).expect(403);
      clock.advance(1000);
      await t.http.get(a.base).set(a.auth).set('X-Forwarded-For', ip).expect(200);
    });
  });
});

describe('deny list with the loopback client', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp({ RACK_ATTACK_IP_BLACKLIST: '127.0.0.0/8' });
  });
  afterAll(() => t.close());

  it('matches an IPv4 entry against the IPv4-mapped socket address', async () => {
    const res = await t.http.get('/v1/ping').expect(403);
    expect(res.body).toEqual(BLACKLISTED);
  });
});

describe('NO_RACK_ATTACK', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp({
      NO_RACK_ATTACK: '1',
      RACK_ATTACK_MAX_RPS: '1',
      RACK_ATTACK_IP_BLACKLIST: '127.0.0.1,10.250.0.7',
    });
    a = await given(t).account();
  });
  afterAll(() => t.close());

  it('disables limits, lists, bans and headers', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('X-Forwarded-For', '10.250.0.7')
        .expect(200);
      expect(res.headers['x-ratelimit-window']).toBeUndefined();
    }
    await t.http.get('/wp-login.php').expect(404);
    for (let i = 0; i < 6; i++) {
      const res = await t.http.post(`${a.base}/tokens`).auth('x@example.com', 'pw');
      expect(res.status).not.toBe(429);
    }
  });
});
