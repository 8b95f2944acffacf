import { Injectable } from '@nestjs/common';
import { CacheBus, TtlCache } from '@app/common/cache/cache-bus';

const TOPIC = 'webhook-endpoints';

/**
 * Remembers, per account, whether it has any endpoint that subscribes to something,
 * so accounts without webhooks pay nothing per event (no render, no job). Only a
 * known "none" skips the fan-out; endpoint writes invalidate on every replica, and
 * entries expire quickly in case an invalidation is missed.
 */
@Injectable()
export class WebhookActivityCache {
  private readonly active = new TtlCache<boolean>(30_000);
  /** Bumped by every invalidation, so a lookup that raced one is not remembered. */
  private generation = 0;
  /** Accounts with a lookup in flight (a burst of events costs one query). */
  private readonly pending = new Set<string>();

  constructor(private readonly bus: CacheBus) {
    bus.on(TOPIC, (accountId) => {
      this.generation += 1;
      this.active.delete(accountId);
    });
  }

  /** True only when the account is known to have no active endpoint. */
  knownIdle(accountId: string): boolean {
    return this.active.get(accountId) === false;
  }

  /** Whether the account's state is cached at all. */
  known(accountId: string): boolean {
    return this.active.get(accountId) !== undefined;
  }

  /** Runs `lookup` and remembers its answer unless an invalidation happened meanwhile. */
  async fill(accountId: string, lookup: () => Promise<boolean>): Promise<void> {
    if (this.pending.has(accountId)) {
      return;
    }
    this.pending.add(accountId);
    try {
      const before = this.generation;
      const active = await lookup();
      if (this.generation === before) {
        this.active.set(accountId, active);
      }
    } finally {
      this.pending.delete(accountId);
    }
  }

  /** After any endpoint write of the account (create, update, delete, disable). */
  invalidate(accountId: string): void {
    this.bus.invalidate(TOPIC, accountId);
  }
}
