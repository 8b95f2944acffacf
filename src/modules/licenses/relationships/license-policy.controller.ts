import { Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import type { Policy } from '@app/modules/policies/policy.entity';
import { PolicySerializer } from '@app/modules/policies/policy.serializer';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import { ChangeLicensePolicyParams, type ToOneBody } from './dto/license-relationships.params';
import { LicensePolicyService } from './license-policy.service';

/**
 * `/licenses/{id|key}/policy` (spec 02 §4.8). The change answers the license. PUT
 * and PATCH both update (Keygen's `resource :policy, only: %i[show update]`).
 */
@Controller('v1/accounts/:account/licenses/:license/policy')
export class LicensePolicyController {
  constructor(private readonly policies: LicensePolicyService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicySerializer)
  show(@Ctx() ctx: RequestContext, @Param('license') license: string): Promise<Policy> {
    return this.policies.policy(ctx, license);
  }

  @Put()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(ChangeLicensePolicyParams) params: ParamsThunk<ToOneBody>,
  ): Promise<LicenseView> {
    return this.policies.change(ctx, license, params);
  }

  /** PATCH alias of `update`. */
  @Patch()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  patch(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(ChangeLicensePolicyParams) params: ParamsThunk<ToOneBody>,
  ): Promise<LicenseView> {
    return this.update(ctx, license, params);
  }
}
