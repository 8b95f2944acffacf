import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { EventLog } from './event-log.entity';
import { EventLogSerializer } from './event-log.serializer';
import { EventLogsService } from './event-logs.service';

/**
 * `/event-logs` (spec 06 §2.1), read-only. compat: as request logs, the lookup (404)
 * and filters (400) come before permissions, checked by logPolicy in the service.
 */
@Controller('v1/accounts/:account/event-logs')
export class EventLogsController {
  constructor(private readonly logs: EventLogsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(EventLogSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Paginate() pagination: Pagination,
    @Query() query: Record<string, unknown>,
  ): Promise<ListResult<EventLog>> {
    return this.logs.index(ctx, pagination, query);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(EventLogSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<EventLog> {
    return this.logs.show(ctx, id);
  }
}
