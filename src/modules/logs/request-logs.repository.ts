import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { LogFilters } from './dto/log-filters';
import { likeEscape, whereDate, whereRef } from './log-query';
import { REQUEST_LOG_LIST_COLUMNS, RequestLog } from './request-log.entity';

/** All SQL for request logs. Reads are scoped; writes and pruning are the jobs' (all accounts). */
@Injectable()
export class RequestLogsRepository {
  constructor(@InjectRepository(RequestLog) private readonly repo: Repository<RequestLog>) {}

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

  /** Writes a batch from the log job; a request logged twice (job retry) keeps its first row. */
  async insertBatch(rows: RequestLog[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.repo.createQueryBuilder().insert().values(rows).orIgnore().execute();
  }

  /** Deletes up to `limit` rows created before `cutoff` (every account); returns how many. */
  async deleteCreatedBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where(
        'id IN (SELECT id FROM request_logs WHERE created_at < :cutoff ORDER BY created_at LIMIT :limit)',
        { cutoff, limit },
      )
      .execute();
    return result.affected ?? 0;
  }
}
