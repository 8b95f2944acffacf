import { Controller, Param, Post } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Render } from '@app/common/http/render';
import type { WebhookEvent } from './webhook-event.entity';
import { WebhookEventSerializer } from './webhook-event.serializer';
import { WebhookEventsService } from './webhook-events.service';

/** `/webhook-events/{id}/actions/retry` (spec 05 §2.3): 201 with the new event. */
@Controller('v1/accounts/:account/webhook-events/:id/actions')
export class WebhookEventActionsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Post('retry')
  @Authorize(CHECKED_BY_POLICY)
  @Render(WebhookEventSerializer)
  retry(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<WebhookEvent> {
    return this.events.retry(ctx, id);
  }
}
