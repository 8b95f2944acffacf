import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import { whereSatisfies, type SqlPredicate } from '@app/common/database/sql-predicate';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { LogFilters } from './dto/log-filters';
import { likeEscape, uuidv7Floor, whereDate, whereRef } from './log-query';
import { LOGS_DATA_SOURCE } from './logs-data-source';
import type { RequestLogRow } from './request-log-entry';
import { insertRequestLogRows } from './request-log-insert';
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
    search?: SqlPredicate,
  ): Promise<ListResult<RequestLog>> {
    const qb = whereInScope(this.repo.createQueryBuilder('l'), 'l', scope).select(
      REQUEST_LOG_LIST_COLUMNS.map((c) => `l.${c}`),
    );
    whereSatisfies(qb, 'l', search);
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

  /** Writes a batch from the log job (see insertRequestLogRows). */
  insertBatch(rows: readonly RequestLogRow[]): Promise<void> {
    return insertRequestLogRows((sql, values) => this.writer.query(sql, values), rows);
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
