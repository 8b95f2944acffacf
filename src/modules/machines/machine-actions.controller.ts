import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type Rendered } from '@app/common/http/render';
import { ProofParams, type ProofBody } from './dto/machine.params';
import { MachineProofService } from './machine-proof.service';
import { MachineHeartbeatService } from './machine-heartbeat.service';
import { MachineSerializer } from './machine.serializer';
import type { MachineView } from './machine.view';

/** `/machines/{id}/actions/*`: heartbeats (spec 03 §1.8.2–1.8.3, with Keygen’s aliases) and the legacy proof (§1.10). */
@Controller('v1/accounts/:account/machines/:id/actions')
export class MachineActionsController {
  constructor(
    private readonly heartbeats: MachineHeartbeatService,
    private readonly proofs: MachineProofService,
  ) {}

  @Post(['ping', 'ping-heartbeat'])
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  ping(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<MachineView> {
    return this.heartbeats.ping(ctx, id);
  }

  @Post(['reset', 'reset-heartbeat'])
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  reset(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<MachineView> {
    return this.heartbeats.reset(ctx, id);
  }

  /** Legacy v1.0 offline proof (deprecated, still routed). */
  @Post('generate-offline-proof')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  generateOfflineProof(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(ProofParams) params: ParamsThunk<ProofBody>,
  ): Promise<Rendered<MachineView>> {
    return this.proofs.generate(ctx, id, params);
  }
}
