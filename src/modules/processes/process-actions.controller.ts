import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Render } from '@app/common/http/render';
import { ProcessHeartbeatService } from './process-heartbeat.service';
import { ProcessSerializer } from './process.serializer';
import type { ProcessView } from './process.view';

/** `/processes/{id}/actions/ping` (spec 03 §3.4). */
@Controller('v1/accounts/:account/processes/:id/actions')
export class ProcessActionsController {
  constructor(private readonly heartbeats: ProcessHeartbeatService) {}

  @Post('ping')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProcessSerializer)
  ping(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<ProcessView> {
    return this.heartbeats.ping(ctx, id);
  }
}
