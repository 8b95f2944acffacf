import type { OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
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

/**
 * Counters go through @nestjs/throttler's storage: its in-memory
 * ThrottlerStorageService for one process, or RedisThrottlerStorage when
 * REDIS_URL is set so every replica counts against the same windows. The limit
 * passed down is unbounded: Keygen's limits are applied by RateLimiter itself,
 * and counts keep growing past them (X-RateLimit-Count). Ban flags (Fail2Ban)
 * live beside the counters, in memory or in Redis.
 */
export class ThrottlerRateLimitStore extends RateLimitStore {
  constructor(
    private readonly storage: ThrottlerStorage,
    private readonly flags: FlagStore,
  ) {
    super();
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const record = await this.storage.increment(key, ttlMs, Number.MAX_SAFE_INTEGER, 0, 'keygen');
    return record.totalHits;
  }

  mark(key: string, ttlMs: number): Promise<void> {
    return this.flags.mark(key, ttlMs);
  }

  marked(key: string): Promise<boolean> {
    return this.flags.marked(key);
  }
}

export interface FlagStore {
  mark(key: string, ttlMs: number): Promise<void>;
  marked(key: string): Promise<boolean>;
}

export class MemoryFlagStore implements FlagStore {
  private readonly flags = new Map<string, number>();

  mark(key: string, ttlMs: number): Promise<void> {
    if (this.flags.size > 100_000) {
      const now = Date.now();
      for (const [k, until] of this.flags) {
        if (until <= now) {
          this.flags.delete(k);
        }
      }
    }
    this.flags.set(key, Date.now() + ttlMs);
    return Promise.resolve();
  }

  marked(key: string): Promise<boolean> {
    const until = this.flags.get(key);
    return Promise.resolve(until !== undefined && until > Date.now());
  }
}

interface StorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/** @nestjs/throttler storage on Redis (keys already carry their fixed window). */
export class RedisThrottlerStorage implements ThrottlerStorage, FlagStore, OnModuleDestroy {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async increment(key: string, ttl: number): Promise<StorageRecord> {
    const k = `keyward:rl:${key}`;
    const result = await this.redis.multi().incr(k).pexpire(k, ttl, 'NX').pttl(k).exec();
    const hits = Number(result?.[0]?.[1] ?? 1);
    const pttl = Number(result?.[2]?.[1] ?? ttl);
    return { totalHits: hits, timeToExpire: Math.ceil(Math.max(pttl, 0) / 1000), isBlocked: false, timeToBlockExpire: 0 };
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
