import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { LogFilters } from './dto/log-filters';
import { EventLog } from './event-log.entity';
import { uuidv7Floor, whereDate, whereId, whereRef } from './log-query';
import { LOGS_DATA_SOURCE } from './logs-data-source';

/**
 * All SQL for event logs. Reads are scoped and use the main pool; writes and pruning
 * are the jobs' (all accounts) and use the logs pool.
 */
@Injectable()
export class EventLogsRepository {
  constructor(
    @InjectRepository(EventLog) private readonly repo: Repository<EventLog>,
    @InjectDataSource(LOGS_DATA_SOURCE) private readonly writer: DataSource,
  ) {}

  /** Newest first; offset mode is uncounted (spec 00 §5.2). */
  list(
    scope: AccountScope,
    filters: LogFilters,
    pagination: Pagination,
  ): Promise<ListResult<EventLog>> {
    const qb = whereInScope(this.repo.createQueryBuilder('l'), 'l', scope);
    if (filters.none) {
      qb.andWhere('1 = 0');
    }
    if (filters.date) {
      whereDate(qb, 'l', filters.date);
    }
    if (filters.whodunnit) {
      whereRef(qb, 'l', 'whodunnit', filters.whodunnit);
    }
    if (filters.resource) {
      whereRef(qb, 'l', 'resource', filters.resource);
    }
    if (filters.request) {
      whereId(qb, 'l.request_log_id', filters.request, 'requestLogId');
    }
    if (filters.events && filters.events.length > 0) {
      qb.andWhere('l.event IN (:...events)', { events: filters.events });
    }
    return paginate(qb, 'l', pagination, false);
  }

  /** A non-UUID id finds nothing (404), never a Postgres cast error. */
  findById(scope: AccountScope, id: string): Promise<EventLog | null> {
    if (!isUuidLike(id)) {
      return Promise.resolve(null);
    }
    return whereInScope(this.repo.createQueryBuilder('l'), 'l', scope)
      .andWhere('l.id = :id', { id: normalizeUuid(id) })
      .getOne();
  }

  /**
   * Codes of the account's entitlements with these ids, in the order given (for the
   * `codes` metadata of attach/detach events); ids of deleted entitlements are skipped.
   * NOTE: reads the entitlements table directly: the log job has no request context
   * to go through EntitlementsService with.
   */
  async entitlementCodes(accountId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = (await this.writer.query(
      'SELECT id, code FROM entitlements WHERE account_id = $1 AND id = ANY($2::uuid[])',
      [accountId, [...ids]],
    )) as Array<{ id: string; code: string }>;
    const byId = new Map(rows.map((r) => [r.id, r.code]));
    return ids.map((id) => byId.get(id)).filter((c): c is string => c !== undefined);
  }

  /**
   * Writes a batch from the log job in one statement (the rows as one JSON parameter);
   * a retried batch keeps the rows already written.
   */
  async insertBatch(rows: readonly EventLog[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.writer.query(
      `INSERT INTO event_logs (id, account_id, environment_id, event, resource_type, resource_id,
         whodunnit_type, whodunnit_id, request_log_id, metadata, created_at, updated_at)
       SELECT id, account_id, environment_id, event, resource_type, resource_id, whodunnit_type,
         whodunnit_id, request_log_id, coalesce(metadata, '{}'), created_at, updated_at
       FROM json_to_recordset($1::json) AS r(id uuid, account_id uuid, environment_id uuid,
         event text, resource_type text, resource_id uuid, whodunnit_type text, whodunnit_id uuid,
         request_log_id uuid, metadata jsonb, created_at timestamptz, updated_at timestamptz)
       ON CONFLICT (id) DO NOTHING`,
      [
        JSON.stringify(
          rows.map((r) => ({
            id: r.id,
            account_id: r.accountId,
            environment_id: r.environmentId,
            event: r.event,
            resource_type: r.resourceType,
            resource_id: r.resourceId,
            whodunnit_type: r.whodunnitType,
            whodunnit_id: r.whodunnitId,
            request_log_id: r.requestLogId,
            metadata: r.metadata,
            created_at: r.createdAt,
            updated_at: r.updatedAt,
          })),
        ),
      ],
    );
  }

  /**
   * Deletes up to `limit` rows created before `cutoff` (every account); returns how
   * many. Ids are UUIDv7, so the primary key is in creation order and bounds the sweep.
   */
  async deleteCreatedBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.writer
      .createQueryBuilder()
      .delete()
      .from(EventLog)
      .where('id IN (SELECT id FROM event_logs WHERE id < :bound ORDER BY id LIMIT :limit)', {
        bound: uuidv7Floor(cutoff),
        limit,
      })
      .execute();
    return result.affected ?? 0;
  }
}
