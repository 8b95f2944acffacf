import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { WebhookEvent } from './webhook-event.entity';
import { WebhookEventSerializer } from './webhook-event.serializer';
import { WebhookEventsService } from './webhook-events.service';

/**
 * `/webhook-events` (spec 05 §2.1). Events are never created through the API.
 * compat: looked up in the caller's scope first (404), then webhookEventPolicy.
 */
@Controller('v1/accounts/:account/webhook-events')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(WebhookEventSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<WebhookEvent>> {
    return this.events.index(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(WebhookEventSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<WebhookEvent> {
    return this.events.show(ctx, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.events.destroy(ctx, id);
  }
}
