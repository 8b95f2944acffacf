import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { callerOf } from '@app/modules/tokens/token.policy';
import { eventLogFilters } from './dto/log-filters';
import type { EventLog } from './event-log.entity';
import { EventLogsRepository } from './event-logs.repository';
import { logPolicy } from './log.policy';

/** Event logs are read-only (spec 06 §2.1). */
@Injectable()
export class EventLogsService {
  constructor(private readonly repo: EventLogsRepository) {}

  /** Filters (400) → authorize (403) → page. */
  async index(
    ctx: RequestContext,
    pagination: Pagination,
    query: Record<string, unknown>,
  ): Promise<ListResult<EventLog>> {
    const caller = callerOf(ctx);
    const filters = eventLogFilters(query);
    enforce(logPolicy.index(caller, 'event-log.read'));
    return this.repo.list(ctx.scope, filters, pagination);
  }

  /** Lookup in the caller's scope (404) → authorize (403). */
  async show(ctx: RequestContext, id: string): Promise<EventLog> {
    const caller = callerOf(ctx);
    const log = logPolicy.visible(caller.bearer) ? await this.repo.findById(ctx.scope, id) : null;
    if (!log) {
      throw new NotFoundError('The requested event log was not found');
    }
    enforce(logPolicy.show(caller, 'event-log.read', log));
    return log;
  }
}
