import { Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';

type Listener = (key: string) => void;

/**
 * Cross-replica cache invalidation. In-process caches subscribe to a topic;
 * `invalidate` clears locally at once and, with Redis, on every other replica.
 */
export class CacheBus implements OnModuleDestroy {
  private readonly logger = new Logger('CacheBus');
  private readonly listeners = new Map<string, Listener[]>();
  private pub: Redis | null = null;
  private sub: Redis | null = null;
  private static readonly CHANNEL = 'keyward:cache-invalidate';

  constructor(redisUrl: string | null) {
    if (redisUrl) {
      this.pub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
      this.sub = new Redis(redisUrl, { lazyConnect: false });
      void this.sub.subscribe(CacheBus.CHANNEL).catch((e: unknown) => this.logger.error(String(e)));
      this.sub.on('message', (_channel: string, message: string) => {
        const [topic, key] = JSON.parse(message) as [string, string];
        this.deliver(topic, key);
      });
    }
  }

  on(topic: string, listener: Listener): void {
    this.listeners.set(topic, [...(this.listeners.get(topic) ?? []), listener]);
  }

  invalidate(topic: string, key: string): void {
    this.deliver(topic, key);
    if (this.pub) {
      void this.pub
        .publish(CacheBus.CHANNEL, JSON.stringify([topic, key]))
        .catch((e: unknown) => this.logger.warn(`invalidation not published: ${String(e)}`));
    }
  }

  private deliver(topic: string, key: string): void {
    for (const l of this.listeners.get(topic) ?? []) {
      l(key);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.pub?.quit(), this.sub?.quit()]);
  }
}

/** A small TTL map with a size bound. */
export class TtlCache<V> {
  private readonly map = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) {
      return undefined;
    }
    if (hit.expires < Date.now()) {
      this.map.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V): void {
    if (this.map.size >= this.max) {
      this.map.delete(this.map.keys().next().value as string);
    }
    this.map.set(key, { value, expires: Date.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  deleteWhere(pred: (v: V) => boolean): void {
    for (const [k, v] of this.map) {
      if (pred(v.value)) {
        this.map.delete(k);
      }
    }
  }
}
