import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { RequestLog } from './request-log.entity';
import { RequestLogListSerializer, RequestLogSerializer } from './request-log.serializer';
import { RequestLogsService } from './request-logs.service';

/**
 * `/request-logs` (spec 06 §1.1), read-only. compat: a show looks the log up in the
 * caller's scope first (products, users, licenses get 404) and filters are validated
 * before permissions, so logPolicy checks `request-log.read` in the service.
 */
@Controller('v1/accounts/:account/request-logs')
export class RequestLogsController {
  constructor(private readonly logs: RequestLogsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(RequestLogListSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Paginate() pagination: Pagination,
    @Query() query: Record<string, unknown>,
  ): Promise<ListResult<RequestLog>> {
    return this.logs.index(ctx, pagination, query);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(RequestLogSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<RequestLog> {
    return this.logs.show(ctx, id);
  }
}
