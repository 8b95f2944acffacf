import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import {
  DecrementUsageParams,
  IncrementUsageParams,
  type DecrementUsageBody,
  type IncrementUsageBody,
} from './dto/usage.params';
import { LicensePermitsService } from './license-permits.service';
import { LicenseUsageService } from './license-usage.service';

/**
 * `/licenses/{id|key}/actions/*` permit and usage actions (spec 02 §4.1, §7, §8).
 * The license is found in the caller's scope first (404); the license policy then
 * checks the action's permission and role (403), so routes declare CHECKED_BY_POLICY.
 */
@Controller('v1/accounts/:account/licenses/:id/actions')
export class LicenseActionsController {
  constructor(
    private readonly permits: LicensePermitsService,
    private readonly usage: LicenseUsageService,
  ) {}

  @Post('suspend')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  suspend(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<LicenseView> {
    return this.permits.suspend(ctx, id);
  }

  @Post('reinstate')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  reinstate(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<LicenseView> {
    return this.permits.reinstate(ctx, id);
  }

  @Post('renew')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  renew(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<LicenseView> {
    return this.permits.renew(ctx, id);
  }

  @Delete('revoke')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  revoke(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.permits.revoke(ctx, id);
  }

  @Post('check-in')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  checkIn(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<LicenseView> {
    return this.permits.checkIn(ctx, id);
  }

  @Post('increment-usage')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  increment(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(IncrementUsageParams) params: ParamsThunk<IncrementUsageBody>,
  ): Promise<LicenseView> {
    return this.usage.increment(ctx, id, params);
  }

  @Post('decrement-usage')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  decrement(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(DecrementUsageParams) params: ParamsThunk<DecrementUsageBody>,
  ): Promise<LicenseView> {
    return this.usage.decrement(ctx, id, params);
  }

  @Post('reset-usage')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  reset(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<LicenseView> {
    return this.usage.reset(ctx, id);
  }
}
