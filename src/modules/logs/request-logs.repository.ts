import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { LogFilters } from './dto/log-filters';
import { likeEscape, whereDate, whereRef } from './log-query';
import { LOGS_DATA_SOURCE } from './logs-data-source';
import { REQUEST_LOG_LIST_COLUMNS, RequestLog } from './request-log.entity';

/**
 * All SQL for request logs. Reads are scoped and use the main pool; writes and pruning
 * are the jobs' (all accounts) and use the logs pool.
 */
@Injectable()
export class RequestLogsRepository {
  constructor(
    @InjectRepository(RequestLog) private readonly repo: Repository<RequestLog>,
    @InjectDataSource(LOGS_DATA_SOURCE) private readonly writer: DataSource,
  ) {}

  /** Newest first, without the heavy columns; offset mode is uncounted (spec 00 §5.2). */
  list(
    scope: AccountScope,
    filters: LogFilters,
    pagination: Pagination,
  ): Promise<ListResult<RequestLog>> {
    const qb = whereInScope(this.repo.createQueryBuilder('l'), 'l', scope).select(
      REQUEST_LOG_LIST_COLUMNS.map((c) => `l.${c}`),
    );
    if (filters.none) {
      qb.andWhere('1 = 0');
    }
    if (filters.date) {
      whereDate(qb, 'l', filters.date);
    }
    if (filters.requestor) {
      whereRef(qb, 'l', 'requestor', filters.requestor);
    }
    if (filters.resource) {
      whereRef(qb, 'l', 'resource', filters.resource);
    }
    if (filters.ip !== undefined) {
      qb.andWhere('l.ip ILIKE :ip', { ip: `${likeEscape(filters.ip)}%` });
    }
    if (filters.method !== undefined) {
      qb.andWhere('l.method = :method', { method: filters.method });
    }
    if (filters.url !== undefined) {
      qb.andWhere('l.url LIKE :url', { url: `%${likeEscape(filters.url)}%` });
    }
    if (filters.status !== undefined) {
      qb.andWhere('l.status = :status', { status: filters.status });
    }
    return paginate(qb, 'l', pagination, false);
  }

  /** A non-UUID id finds nothing (404), never a Postgres cast error. */
  findById(scope: AccountScope, id: string): Promise<RequestLog | null> {
    if (!isUuidLike(id)) {
      return Promise.resolve(null);
    }
    return whereInScope(this.repo.createQueryBuilder('l'), 'l', scope)
      .andWhere('l.id = :id', { id: normalizeUuid(id) })
      .getOne();
  }

  /**
   * Writes a batch from the log job as one statement with one array parameter per
   * column (cheap however many rows); a request logged twice (job retry) keeps its
   * first row.
   */
  async insertBatch(rows: readonly RequestLog[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
    await this.writer.query(
      `INSERT INTO request_logs (id, account_id, environment_id, requestor_type, requestor_id,
         resource_type, resource_id, method, url, status, user_agent, ip, request_headers,
         request_body, response_headers, response_body, response_signature, queue_time, run_time,
         created_at, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[],
         $7::uuid[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::json[],
         $14::text[], $15::json[], $16::text[], $17::text[], $18::float8[], $19::float8[],
         $20::timestamptz[], $21::timestamptz[])
       ON CONFLICT (id) DO NOTHING`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.accountId),
        rows.map((r) => r.environmentId),
        rows.map((r) => r.requestorType),
        rows.map((r) => r.requestorId),
        rows.map((r) => r.resourceType),
        rows.map((r) => r.resourceId),
        rows.map((r) => r.method),
        rows.map((r) => r.url),
        rows.map((r) => r.status),
        rows.map((r) => r.userAgent),
        rows.map((r) => r.ip),
        rows.map((r) => json(r.requestHeaders)),
        rows.map((r) => r.requestBody),
        rows.map((r) => json(r.responseHeaders)),
        rows.map((r) => r.responseBody),
        rows.map((r) => r.responseSignature),
        rows.map((r) => r.queueTime),
        rows.map((r) => r.runTime),
        rows.map((r) => r.createdAt.toISOString()),
        rows.map((r) => r.updatedAt.toISOString()),
      ],
    );
  }

  /** Deletes up to `limit` rows created before `cutoff` (every account); returns how many. */
  async deleteCreatedBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.writer
      .createQueryBuilder()
      .delete()
      .from(RequestLog)
      .where(
        'id IN (SELECT id FROM request_logs WHERE created_at < :cutoff ORDER BY created_at LIMIT :limit)',
        { cutoff, limit },
      )
      .execute();
    return result.affected ?? 0;
  }
}
