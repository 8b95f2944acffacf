import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { callerOf } from '@app/modules/tokens/token.policy';
import { requestLogFilters } from './dto/log-filters';
import { logPolicy } from './log.policy';
import type { RequestLog } from './request-log.entity';
import { RequestLogsRepository } from './request-logs.repository';

/** Request logs are read-only (spec 06 §1.1). */
@Injectable()
export class RequestLogsService {
  constructor(private readonly repo: RequestLogsRepository) {}

  /** Filters (400) → authorize (403) → page. */
  async index(
    ctx: RequestContext,
    pagination: Pagination,
    query: Record<string, unknown>,
    search?: SqlPredicate,
  ): Promise<ListResult<RequestLog>> {
    const caller = callerOf(ctx);
    const filters = requestLogFilters(query);
    enforce(logPolicy.index(caller, 'request-log.read'));
    return this.repo.list(ctx.scope, filters, pagination, search);
  }

  /** Lookup in the caller's scope (404) → authorize (403). */
  async show(ctx: RequestContext, id: string): Promise<RequestLog> {
    const caller = callerOf(ctx);
    const log = logPolicy.visible(caller.bearer) ? await this.repo.findById(ctx.scope, id) : null;
    if (!log) {
      throw new NotFoundError('The requested request log was not found');
    }
    enforce(logPolicy.show(caller, 'request-log.read', log));
    return log;
  }
}
