import { Injectable } from '@nestjs/common';
import { CacheBus, TtlCache } from '@app/common/cache/cache-bus';
import { DomainEvents } from '@app/common/events/domain-events';
import type { Policy } from '@app/modules/policies/policy.entity';
import { ValidationReadRepository } from './validation-read.repository';

const TOPIC = 'policies';
const INVALIDATING_EVENTS: ReadonlySet<string> = new Set(['policy.updated', 'policy.deleted']);

/**
 * Policies by id, in-process, for the validation hot path. `policy.updated` and
 * `policy.deleted` invalidate through the CacheBus, so every replica drops its copy
 * (through Redis when configured). The TTL bounds staleness for writes that bypass
 * the events. Cached policies are shared: treat them as read-only.
 */
@Injectable()
export class ValidationPolicyCache {
  private readonly cache = new TtlCache<Policy>(60_000);
  private readonly loading = new Map<string, Promise<Policy | null>>();
  /** Bumped on every invalidation, so a load that raced one is not cached. */
  private generation = 0;

  constructor(
    private readonly repo: ValidationReadRepository,
    private readonly bus: CacheBus,
    events: DomainEvents,
  ) {
    bus.on(TOPIC, (id) => {
      this.generation++;
      this.cache.delete(id);
      this.loading.delete(id);
    });
    events.subscribe((e) => {
      if (INVALIDATING_EVENTS.has(e.name) && e.resource.type === 'policies') {
        this.invalidate(e.resource.id);
      }
    });
  }

  async get(accountId: string, id: string): Promise<Policy | null> {
    const hit = this.cache.get(id);
    if (hit) {
      return hit.accountId === accountId ? hit : null;
    }
    let pending = this.loading.get(id);
    if (!pending) {
      const p = this.load(accountId, id).finally(() => {
        if (this.loading.get(id) === p) {
          this.loading.delete(id);
        }
      });
      pending = p;
      this.loading.set(id, p);
    }
    const policy = await pending;
    return policy && policy.accountId === accountId ? policy : null;
  }

  invalidate(id: string): void {
    this.bus.invalidate(TOPIC, id);
  }

  private async load(accountId: string, id: string): Promise<Policy | null> {
    const generation = this.generation;
    const policy = await this.repo.findPolicy(accountId, id);
    if (policy && generation === this.generation) {
      this.cache.set(id, policy);
    }
    return policy;
  }
}
