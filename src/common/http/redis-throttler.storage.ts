import type { OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';

interface StorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * @nestjs/throttler storage on Redis, so every API replica counts against the same
 * windows. Keys already carry their fixed window, so one INCR + PEXPIRE suffices.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async increment(key: string, ttl: number): Promise<StorageRecord> {
    const k = `keyward:throttle:${key}`;
    const result = await this.redis.multi().incr(k).pexpire(k, ttl, 'NX').pttl(k).exec();
    const hits = Number(result?.[0]?.[1] ?? 1);
    const pttl = Number(result?.[2]?.[1] ?? ttl);
    return { totalHits: hits, timeToExpire: Math.ceil(Math.max(pttl, 0) / 1000), isBlocked: false, timeToBlockExpire: 0 };
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit();
  }
}
