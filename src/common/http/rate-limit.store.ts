import type { OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';

/**
 * Counter storage for the rate limiter: fixed-window counters (keys already carry
 * their window) and the bot-ban flag. In memory for a single process, Redis when
 * REDIS_URL is set so every replica counts against the same windows.
 */
export abstract class RateLimitStore {
  /** Increments `key` (created with `ttlMs`) and returns the new count; counts keep growing past any limit. */
  abstract increment(key: string, ttlMs: number): Promise<number>;
  /** Sets a flag that expires after `ttlMs`. */
  abstract mark(key: string, ttlMs: number): Promise<void>;
  /** Whether a flag set by `mark` is still live. */
  abstract marked(key: string): Promise<boolean>;
}

export class MemoryRateLimitStore extends RateLimitStore {
  private readonly entries = new Map<string, { count: number; expiresAt: number }>();
  private ops = 0;

  increment(key: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    this.sweep(now);
    const e = this.entries.get(key);
    if (!e || e.expiresAt <= now) {
      this.entries.set(key, { count: 1, expiresAt: now + ttlMs });
      return Promise.resolve(1);
    }
    e.count += 1;
    return Promise.resolve(e.count);
  }

  mark(key: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { count: 1, expiresAt: Date.now() + ttlMs });
    return Promise.resolve();
  }

  marked(key: string): Promise<boolean> {
    const e = this.entries.get(key);
    return Promise.resolve(!!e && e.expiresAt > Date.now());
  }

  /** Drops expired windows now and then so the map cannot grow without bound. */
  private sweep(now: number): void {
    if (++this.ops % 1000 !== 0) {
      return;
    }
    for (const [k, e] of this.entries) {
      if (e.expiresAt <= now) {
        this.entries.delete(k);
      }
    }
  }
}

export class RedisRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(url: string) {
    super();
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const k = `keyward:rl:${key}`;
    const result = await this.redis.multi().incr(k).pexpire(k, ttlMs, 'NX').exec();
    return Number(result?.[0]?.[1] ?? 1);
  }

  async mark(key: string, ttlMs: number): Promise<void> {
    await this.redis.set(`keyward:rl:${key}`, '1', 'PX', ttlMs);
  }

  async marked(key: string): Promise<boolean> {
    return (await this.redis.exists(`keyward:rl:${key}`)) === 1;
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit();
  }
}
