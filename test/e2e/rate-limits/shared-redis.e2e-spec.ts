import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { THROTTLED, WallClock, freshIp } from './wall-clock';

/**
 * With REDIS_URL set, rate-limit counters live in Redis (@nestjs/throttler storage),
 * so API replicas count against the same windows. Two app instances stand for two
 * replicas. CI always sets REDIS_URL; without it only the in-memory path exists.
 */
const redisUrl = process.env.REDIS_URL;

if (!redisUrl) {
  process.stdout.write('REDIS_URL is unset: the shared rate-limit test runs only where Redis is available\n');
}

describe('rate limits across replicas', () => {
  const clock = new WallClock();
  const replicas: TestApp[] = [];
  let a: GivenAccount;

  beforeAll(async () => {
    const env = { RACK_ATTACK_MAX_RPM: '4', ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
    replicas.push(await bootApp(env), await bootApp(env));
    a = await given(replicas[0]).account();
  });
  afterEach(() => clock.restore());
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
  });

  const get = (r: TestApp, ip: string) => r.http.get(a.base).set(a.auth).set('X-Forwarded-For', ip);

  async function sharedWindow(): Promise<void> {
    clock.pin(1000);
    const ip = freshIp();
    await get(replicas[0], ip).expect(200);
    await get(replicas[1], ip).expect(200);
    await get(replicas[0], ip).expect(200);
    const fourth = await get(replicas[1], ip).expect(200);
    expect(fourth.headers['x-ratelimit-count']).toBe('4');
    const fifth = await get(replicas[0], ip).expect(429);
    expect(fifth.body).toEqual(THROTTLED);
    expect(fifth.headers['x-ratelimit-count']).toBe('5');
  }

  async function separateWindows(): Promise<void> {
    clock.pin(1000);
    const ip = freshIp();
    for (let i = 0; i < 4; i++) {
      await get(replicas[0], ip).expect(200);
    }
    const other = await get(replicas[1], ip).expect(200);
    expect(other.headers['x-ratelimit-count']).toBe('1');
  }

  if (redisUrl) {
    it('counts requests to either replica against one window (Redis storage)', sharedWindow);
  } else {
    it('counts per process with the in-memory storage', separateWindows);
  }
});
