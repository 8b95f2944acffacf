import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Query, type ParamsThunk } from '@app/common/http/params.decorator';
import { Raw, Render, type RawResult } from '@app/common/http/render';
import { certificateDownload } from '@app/modules/licenses/files/checkout-file';
import type { CheckoutBody } from '@app/modules/licenses/files/dto/checkout.params';
import { MachineCheckoutBodyParams } from './dto/machine-checkout.params';
import { MachineCheckoutService } from './machine-checkout.service';
import { MachineFileSerializer, type MachineFile } from './machine-file.serializer';

/**
 * `/machines/{id}/actions/check-out` (spec 03 §1.9.5): POST answers a `machine-files`
 * document, GET the bare certificate as a download (signed like every response).
 */
@Controller('v1/accounts/:account/machines/:id/actions/check-out')
export class MachineFilesController {
  constructor(private readonly checkouts: MachineCheckoutService) {}

  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineFileSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @DeferredParams(MachineCheckoutBodyParams) body: ParamsThunk<CheckoutBody>,
  ): Promise<MachineFile> {
    return this.checkouts.checkout(ctx, id, query, body);
  }

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Raw()
  async show(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<RawResult> {
    const file = await this.checkouts.checkout(ctx, id, query);
    return certificateDownload(file.certificate, file.machineId);
  }
}
