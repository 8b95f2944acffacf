import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { THROTTLED, WallClock, freshIp } from './wall-clock';

/** Spec 00 §10: RACK_ATTACK_MAX_RPS / RACK_ATTACK_MAX_RPM. */
describe('general rate limits', () => {
  let t: TestApp;
  let a: GivenAccount;
  const clock = new WallClock();

  beforeAll(async () => {
    t = await bootApp({ RACK_ATTACK_MAX_RPS: '3', RACK_ATTACK_MAX_RPM: '5' });
    a = await given(t).account();
  });
  afterEach(() => clock.restore());
  afterAll(() => t.close());

  const get = (ip: string, path = a.base) =>
    t.http.get(path).set(a.auth).set('X-Forwarded-For', ip);

  it('reports the window closest to exhaustion on app responses', async () => {
    const start = clock.pin(0);
    const ip = freshIp();
    const first = await get(ip).expect(200);
    expect(first.headers).toMatchObject({
      'x-ratelimit-window': '1s',
      'x-ratelimit-count': '1',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '2',
      'x-ratelimit-reset': String(start / 1000 + 1),
    });
    expect(first.headers['retry-after']).toBeUndefined();

    clock.advance(1000);
    await get(ip).expect(200);
    clock.advance(1000);
    // 1m: 3/5 > 1s: 1/3
    const third = await get(ip).expect(200);
    expect(third.headers).toMatchObject({
      'x-ratelimit-window': '1m',
      'x-ratelimit-count': '3',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '2',
      'x-ratelimit-reset': String(start / 1000 + 60),
    });
  });

  it('answers the request over the per-second limit with 429 (middleware body, Retry-After)', async () => {
    const start = clock.pin(250);
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      await get(ip).expect(200);
    }
    const res = await get(ip).expect(429);
    expect(res.body).toEqual(THROTTLED);
    expect(res.headers).toMatchObject({
      'content-type': 'application/vnd.api+json; charset=utf-8',
      'x-ratelimit-window': '1s',
      'x-ratelimit-count': '4',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.floor(start / 1000) + 1),
      'retry-after': '1',
      'access-control-allow-origin': '*',
    });
    for (const h of ['keygen-account', 'keygen-version', 'keygen-signature', 'x-request-id']) {
      expect(res.headers[h]).toBeUndefined();
    }
    // Counts keep growing past the limit.
    const again = await get(ip).expect(429);
    expect(again.headers['x-ratelimit-count']).toBe('5');

    clock.advance(1000);
    const next = await get(ip).expect(200);
    expect(next.headers['x-ratelimit-window']).toBe('1m');
  });

  it('answers the request over the per-minute limit with 429 window 1m', async () => {
    const start = clock.pin(10_000);
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      await get(ip).expect(200);
      clock.advance(1000);
    }
    const res = await get(ip).expect(429);
    expect(res.body).toEqual(THROTTLED);
    expect(res.headers).toMatchObject({
      'x-ratelimit-window': '1m',
      'x-ratelimit-count': '6',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(start / 1000 - 10 + 60),
      'retry-after': String(60 - 15),
    });
    clock.advance(45_000);
    await get(ip).expect(200);
  });

  it('counts unrouted paths, ping and middleware errors too (Rack::Attack runs before routing)', async () => {
    clock.pin(0);
    const ip = freshIp();
    await t.http.get('/v1/ping').set('X-Forwarded-For', ip).expect(200);
    await t.http.get('/v1/does-not-exist').set('X-Forwarded-For', ip).expect(404);
    await t.http.get('/v1/health').set('X-Forwarded-For', ip).expect(204);
    const res = await t.http.get('/v1/does-not-exist').set('X-Forwarded-For', ip).expect(429);
    expect(res.headers['x-ratelimit-window']).toBe('1s');
  });

  it('keys on the credential: another token from the same IP has its own counter', async () => {
    clock.pin(0);
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      await get(ip).expect(200);
    }
    await get(ip).expect(429);
    const u = await given(t).user(a.account, { role: 'read-only' });
    await t.http.get(a.base).set(u.auth).set('X-Forwarded-For', ip).expect(200);
    await t.http.get(a.base).set('X-Forwarded-For', ip).expect(401);
  });

  it('keys on the client IP', async () => {
    clock.pin(0);
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      await get(ip).expect(200);
    }
    await get(ip).expect(429);
    await get(freshIp()).expect(200);
  });

  it('does not add X-RateLimit-* to middleware errors', async () => {
    clock.pin(0);
    const res = await t.http
      .patch(a.base)
      .set(a.auth)
      .set('X-Forwarded-For', freshIp())
      .set('Content-Type', 'application/json')
      .send('{')
      .expect(400);
    expect(res.body.errors[0].code).toBe('JSON_INVALID');
    expect(res.headers['x-ratelimit-window']).toBeUndefined();
  });

  it('adds X-RateLimit-* to app errors', async () => {
    clock.pin(0);
    const res = await t.http.get(a.base).set('X-Forwarded-For', freshIp()).expect(401);
    expect(res.headers['x-ratelimit-window']).toBe('1s');
    expect(res.headers['x-ratelimit-count']).toBe('1');
  });
});

describe('without general limits', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  it('sends no X-RateLimit-* headers', async () => {
    const res = await t.http.get(a.base).set(a.auth).expect(200);
    expect(res.headers['x-ratelimit-window']).toBeUndefined();
  });
});
