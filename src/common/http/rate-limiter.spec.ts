import { loadConfig } from '@app/config/app.config';
import type { RateLimitRequest } from './rate-limit.rules';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { MemoryFlagStore, ThrottlerRateLimitStore, type RateLimitStore } from './rate-limit.store';

const memoryStore = (): RateLimitStore => new ThrottlerRateLimitStore(new ThrottlerStorageService(), new MemoryFlagStore());
import { RateLimiter } from './rate-limiter';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0); // aligned to every window

function limiter(
  env: Record<string, string> = {},
  store: RateLimitStore = memoryStore(),
): RateLimiter {
  return new RateLimiter(loadConfig({ KEYGEN_MODE: 'multiplayer', ...env }), store);
}

function req(over: Partial<RateLimitRequest> = {}): RateLimitRequest {
  return {
    method: 'GET',
    path: '/v1/accounts/acme/users',
    query: '',
    queryParams: {},
    ip: '::ffff:10.0.0.1',
    ...over,
  };
}

describe('RateLimiter', () => {
  beforeAll(() => {
    jest.spyOn(Date, 'now').mockReturnValue(T0);
  });
  afterAll(() => jest.restoreAllMocks());

  it('passes without headers when no general limiter is configured', async () => {
    expect(await limiter().check(req(), T0)).toEqual({ kind: 'pass' });
  });

  it('reports the general window closest to exhaustion', async () => {
    const l = limiter({ RACK_ATTACK_MAX_RPS: '10', RACK_ATTACK_MAX_RPM: '4' });
    expect(await l.check(req(), T0)).toEqual({
      kind: 'pass',
      headers: {
        'X-RateLimit-Window': '1m',
        'X-RateLimit-Count': '1',
        'X-RateLimit-Limit': '4',
        'X-RateLimit-Remaining': '3',
        'X-RateLimit-Reset': String(T0 / 1000 + 60),
      },
    });
  });

  it('prefers the first window on a tie', async () => {
    const l = limiter({ RACK_ATTACK_MAX_RPS: '5', RACK_ATTACK_MAX_RPM: '5' });
    const out = await l.check(req(), T0);
    expect(out.kind === 'pass' && out.headers?.['X-RateLimit-Window']).toBe('1s');
  });

  it('rejects over the limit with Keygen headers and keeps counting', async () => {
    const l = limiter({ RACK_ATTACK_MAX_RPS: '2' });
    await l.check(req(), T0 + 400);
    await l.check(req(), T0 + 500);
    const third = await l.check(req(), T0 + 600);
    expect(third).toEqual({
      kind: 'reject',
      rejection: {
        status: 429,
        body: {
          errors: [
            {
              title: 'Too many requests',
              detail:
                'Throttle limit has been reached for your IP address. Please slow down. See https://keygen.sh/docs/api/rate-limiting/ for more info.',
              code: 'TOO_MANY_REQUESTS',
            },
          ],
        },
        headers: {
          'X-RateLimit-Window': '1s',
          'X-RateLimit-Count': '3',
          'X-RateLimit-Limit': '2',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(T0 / 1000 + 1),
          'Retry-After': '1',
        },
      },
    });
    const fourth = await l.check(req(), T0 + 700);
    expect(fourth.kind === 'reject' && fourth.rejection.headers['X-RateLimit-Count']).toBe('4');
    expect((await l.check(req(), T0 + 1000)).kind).toBe('pass');
  });

  it('computes Retry-After to the end of the window', async () => {
    const l = limiter({ RACK_ATTACK_MAX_RPM: '1' });
    await l.check(req(), T0 + 17_000);
    const out = await l.check(req(), T0 + 17_900);
    expect(out.kind === 'reject' && out.rejection.headers['Retry-After']).toBe('43');
  });

  it('does not count later limiters once one rejects', async () => {
    const store = memoryStore();
    const spy = jest.spyOn(store, 'increment');
    const l = limiter({ RACK_ATTACK_MAX_RPS: '1', RACK_ATTACK_MAX_RPM: '100' }, store);
    await l.check(req(), T0);
    await l.check(req(), T0);
    // 1s + 1m for the first request, only 1s for the rejected one.
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('answers a denied IP (CIDR, IPv4-mapped) with the blacklist 403', async () => {
    const out = await limiter({ RACK_ATTACK_IP_BLACKLIST: '10.0.0.0/8' }).check(req(), T0);
    expect(out).toEqual({
      kind: 'reject',
      rejection: {
        status: 403,
        body: {
          errors: [
            {
              title: 'Forbidden',
              detail:
                'Your IP address has been temporarily blacklisted due to abusive behavior. Please see https://keygen.sh/docs/api/rate-limiting/ for more info.',
            },
          ],
        },
        headers: {
          'X-RateLimit-Window': 'blacklist',
          'X-RateLimit-Count': '0',
          'X-RateLimit-Limit': '0',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': '0',
        },
      },
    });
  });

  it('lets the allow list win over the deny list and every limit', async () => {
    const l = limiter({
      RACK_ATTACK_IP_WHITELIST: '10.0.0.1',
      RACK_ATTACK_IP_BLACKLIST: '10.0.0.1',
      RACK_ATTACK_MAX_RPS: '1',
    });
    for (let i = 0; i < 3; i++) {
      expect(await l.check(req(), T0)).toEqual({ kind: 'pass' });
    }
  });

  it('bans an IP after three bot probes in the find window, for the ban time', async () => {
    const l = limiter();
    const probe = req({ path: '/wp-login.php' });
    for (let i = 0; i < 2; i++) {
      expect((await l.check(probe, T0 + i * 1000)).kind).toBe('reject');
    }
    expect((await l.check(req(), T0 + 2000)).kind).toBe('pass');
    expect((await l.check(probe, T0 + 3000)).kind).toBe('reject');
    expect((await l.check(req(), T0 + 4000)).kind).toBe('reject');
    expect((await l.check(req({ ip: '10.0.0.2' }), T0 + 4000)).kind).toBe('pass');
  });

  it('fails open when the store errors', async () => {
    const broken: RateLimitStore = {
      increment: () => Promise.reject(new Error('down')),
      mark: () => Promise.reject(new Error('down')),
      marked: () => Promise.reject(new Error('down')),
    };
    const l = limiter({ RACK_ATTACK_MAX_RPS: '1' }, broken);
    (l as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
    expect(await l.check(req(), T0)).toEqual({ kind: 'pass' });
  });

  it('does nothing under NO_RACK_ATTACK', async () => {
    const l = limiter({
      NO_RACK_ATTACK: '1',
      RACK_ATTACK_MAX_RPS: '1',
      RACK_ATTACK_IP_BLACKLIST: '10.0.0.1',
    });
    expect(await l.check(req(), T0)).toEqual({ kind: 'pass' });
    expect(await l.check(req({ path: '/wp-admin' }), T0)).toEqual({ kind: 'pass' });
  });
});
