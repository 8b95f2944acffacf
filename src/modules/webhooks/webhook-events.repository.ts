import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { WebhookEvent, type WebhookEventStatus } from './webhook-event.entity';
import type { EventAccess } from './webhook-event.policy';

/** What one delivery attempt records on its event. */
export interface AttemptOutcome {
  status: WebhookEventStatus;
  lastResponseCode: number | null;
  lastResponseBody: string | null;
}

/** All SQL for webhook events. */
@Injectable()
export class WebhookEventsRepository {
  constructor(@InjectRepository(WebhookEvent) private readonly repo: Repository<WebhookEvent>) {}

  private scoped(scope: AccountScope, access: EventAccess): SelectQueryBuilder<WebhookEvent> {
    const qb = whereInScope(this.repo.createQueryBuilder('wv'), 'wv', scope);
    switch (access.kind) {
      case 'none':
        qb.andWhere('1 = 0');
        break;
      case 'product':
        qb.andWhere(
          'wv.webhook_endpoint_id IN (SELECT pe.id FROM webhook_endpoints pe WHERE pe.product_id = :accessProductId)',
          { accessProductId: access.productId },
        );
        break;
      case 'all':
        break;
    }
    return qb;
  }

  findVisible(scope: AccountScope, access: EventAccess, id: string): Promise<WebhookEvent | null> {
    return this.scoped(scope, access).andWhere('wv.id = :id', { id }).getOne();
  }

  /** Newest first; `events` (exact names) filters when given. Uncounted (spec 00 §5.2). */
  list(
    scope: AccountScope,
    access: EventAccess,
    events: readonly string[] | null,
    pagination: Pagination,
  ): Promise<ListResult<WebhookEvent>> {
    const qb = this.scoped(scope, access);
    if (events) {
      if (events.length === 0) {
        qb.andWhere('1 = 0');
      } else {
        qb.andWhere('wv.event IN (:...events)', { events: [...events] });
      }
    }
    return paginate(qb, 'wv', pagination, false);
  }

  /** The product of the event's endpoint, or null. */
  async productIdOf(event: WebhookEvent): Promise<string | null> {
    if (!event.webhookEndpointId) {
      return null;
    }
    const row = await this.repo.manager
      .createQueryBuilder()
      .select('pe.product_id', 'productId')
      .from('webhook_endpoints', 'pe')
      .where('pe.id = :id', { id: event.webhookEndpointId })
      .getRawOne<{ productId: string | null }>();
    return row?.productId ?? null;
  }

  /** Inserts the rows; ids already present are skipped (a re-run fan-out job). */
  async insertMany(rows: readonly WebhookEvent[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(WebhookEvent)
      .values(rows.map((r) => ({ ...r })))
      .orIgnore()
      .execute();
  }

  async insert(scope: AccountScope, e: WebhookEvent): Promise<void> {
    await this.repo.insert({ ...e, accountId: scope.accountId });
  }

  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.repo.delete({ accountId: scope.accountId, id });
  }

  /** An event by id in the account, any environment (jobs). */
  findInAccount(accountId: string, id: string): Promise<WebhookEvent | null> {
    return this.repo.findOneBy({ accountId, id });
  }

  async setJobId(id: string, jobId: string): Promise<void> {
    await this.repo.update({ id }, { jobId });
  }

  /**
   * Claims attempt number `attempt` (0-based) for an unsettled event. The same attempt
   * may be claimed again (a worker died mid-delivery and the job was recovered), an
   * older or newer one may not (a duplicate or stale job). False = skip the job.
   */
  async claimAttempt(id: string, attempt: number): Promise<boolean> {
    const res = await this.repo
      .createQueryBuilder()
      .update(WebhookEvent)
      .set({ attempts: attempt + 1 })
      .where('id = :id', { id })
      .andWhere('attempts IN (:claimed, :reclaimed)', { claimed: attempt, reclaimed: attempt + 1 })
      .andWhere("status IN ('DELIVERING', 'FAILING')")
      .execute();
    return (res.affected ?? 0) > 0;
  }

  /** Records an attempt's outcome; a DELIVERED event is never downgraded by a late attempt. */
  async recordOutcome(id: string, outcome: AttemptOutcome, at: Date): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update(WebhookEvent)
      .set({ ...outcome, updatedAt: at })
      .where('id = :id', { id })
      .andWhere("status <> 'DELIVERED'")
      .execute();
  }

  async markFailed(id: string, at: Date): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update(WebhookEvent)
      .set({ status: 'FAILED', updatedAt: at })
      .where('id = :id', { id })
      .andWhere("status <> 'DELIVERED'")
      .execute();
  }

  /** Deletes up to `limit` events created before `cutoff`; returns how many went. */
  async pruneBefore(cutoff: Date, limit: number): Promise<number> {
    const res = await this.repo.query(
      `DELETE FROM webhook_events WHERE id IN (
         SELECT id FROM webhook_events WHERE created_at < $1 LIMIT $2
       )`,
      [cutoff, limit],
    );
    const affected = Array.isArray(res) ? (res[1] as number | undefined) : undefined;
    return affected ?? 0;
  }
}
