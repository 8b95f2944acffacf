import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { LogFilters } from './dto/log-filters';
import { likeEscape, uuidv7Floor, whereDate, whereRef } from './log-query';
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
   * Writes a batch from the log job as one statement whose single parameter is the
   * rows as a JSON array (serialised natively, parsed by Postgres); a request logged
   * twice (job retry) keeps its first row.
   */
  async insertBatch(rows: readonly RequestLog[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.writer.query(
      `INSERT INTO request_logs (id, account_id, environment_id, requestor_type, requestor_id,
         resource_type, resource_id, method, url, status, user_agent, ip, request_headers,
         request_body, response_headers, response_body, response_signature, queue_time, run_time,
         created_at, updated_at)
       SELECT id, account_id, environment_id, requestor_type, requestor_id, resource_type,
         resource_id, method, url, status, user_agent, ip, request_headers, request_body,
         response_headers, response_body, response_signature, queue_time, run_time, created_at,
         updated_at
       FROM json_to_recordset($1::json) AS r(id uuid, account_id uuid, environment_id uuid,
         requestor_type text, requestor_id uuid, resource_type text, resource_id uuid,
         method text, url text, status text, user_agent text, ip text, request_headers json,
         request_body text, response_headers json, response_body text, response_signature text,
         queue_time float8, run_time float8, created_at timestamptz, updated_at timestamptz)
       ON CONFLICT (id) DO NOTHING`,
      [
        JSON.stringify(
          rows.map((r) => ({
            id: r.id,
            account_id: r.accountId,
            environment_id: r.environmentId,
            requestor_type: r.requestorType,
            requestor_id: r.requestorId,
            resource_type: r.resourceType,
            resource_id: r.resourceId,
            method: r.method,
            url: r.url,
            status: r.status,
            user_agent: r.userAgent,
            ip: r.ip,
            request_headers: r.requestHeaders,
            request_body: r.requestBody,
            response_headers: r.responseHeaders,
            response_body: r.responseBody,
            response_signature: r.responseSignature,
            queue_time: r.queueTime,
            run_time: r.runTime,
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
      .from(RequestLog)
      .where('id IN (SELECT id FROM request_logs WHERE id < :bound ORDER BY id LIMIT :limit)', {
        bound: uuidv7Floor(cutoff),
        limit,
      })
      .execute();
    return result.affected ?? 0;
  }
}
