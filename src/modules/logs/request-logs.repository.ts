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
import type { RequestLogRow } from './request-log-entry';
import { REQUEST_LOG_LIST_COLUMNS, RequestLog } from './request-log.entity';

/** Columns of an insert, in the order insertBatch pushes their values. */
const INSERT_COLUMNS = [
  'id',
  'account_id',
  'environment_id',
  'requestor_type',
  'requestor_id',
  'resource_type',
  'resource_id',
  'method',
  'url',
  'status',
  'user_agent',
  'ip',
  'request_headers',
  'request_body',
  'response_headers',
  'response_body',
  'response_signature',
  'queue_time',
  'run_time',
  'created_at',
  'updated_at',
] as const;

/** Rows per INSERT (21 parameters each; Postgres takes at most 65,535). */
const INSERT_CHUNK = 200;

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
   * Writes a batch from the log job as multi-row INSERTs; a request logged twice (job
   * retry) keeps its first row. Each value is its own parameter, so a response body
   * still in its bytes goes to Postgres as they are (binary text), never escaped into
   * a JSON string first.
   */
  async insertBatch(rows: readonly RequestLogRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((r) => {
        const at = values.length;
        values.push(
          r.id,
          r.accountId,
          r.environmentId,
          r.requestorType,
          r.requestorId,
          r.resourceType,
          r.resourceId,
          r.method,
          r.url,
          r.status,
          r.userAgent,
          r.ip,
          r.requestHeaders === null ? null : JSON.stringify(r.requestHeaders),
          r.requestBody,
          r.responseHeaders === null ? null : JSON.stringify(r.responseHeaders),
          r.responseBody,
          r.responseSignature,
          r.queueTime,
          r.runTime,
          r.createdAt,
          r.updatedAt,
        );
        return `(${INSERT_COLUMNS.map((_, k) => `$${at + k + 1}`).join(', ')})`;
      });
      await this.writer.query(
        `INSERT INTO request_logs (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
           ON CONFLICT (id) DO NOTHING`,
        values,
      );
    }
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
