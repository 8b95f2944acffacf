import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Query, type ParamsThunk } from '@app/common/http/params.decorator';
import { Raw, Render, type RawResult } from '@app/common/http/render';
import { certificateDownload } from './checkout-file';
import { CheckoutBodyParams, type CheckoutBody } from './dto/checkout.params';
import { LicenseCheckoutService } from './license-checkout.service';
import { LicenseFileSerializer, type LicenseFile } from './license-file.serializer';

/**
 * `/licenses/{id|key}/actions/check-out` (spec 02 §9.1): POST answers a `license-files`
 * document, GET the bare certificate as a download (signed like every response).
 */
@Controller('v1/accounts/:account/licenses/:id/actions/check-out')
export class LicenseFilesController {
  constructor(private readonly checkouts: LicenseCheckoutService) {}

  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseFileSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @DeferredParams(CheckoutBodyParams) body: ParamsThunk<CheckoutBody>,
  ): Promise<LicenseFile> {
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
    return certificateDownload(file.certificate, file.licenseId);
  }
}
