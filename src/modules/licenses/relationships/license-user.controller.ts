import { Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import { ChangeLicenseOwnerParams, type ToOneBody } from './dto/license-relationships.params';
import { LicenseOwnerService } from './license-owner.service';

/**
 * The legacy (API 1.5) `/licenses/{id|key}/user`: the owner under its old name, with
 * `user.read` / `license.user.update` and the `license.user.updated` event. The ≤1.5
 * response shapes come from license.versioning.ts.
 */
@Controller('v1/accounts/:account/licenses/:license/user')
export class LicenseUserController {
  constructor(private readonly owners: LicenseOwnerService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  show(@Ctx() ctx: RequestContext, @Param('license') license: string): Promise<User | null> {
    return this.owners.show(ctx, license, true);
  }

  @Put()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(ChangeLicenseOwnerParams) params: ParamsThunk<ToOneBody>,
  ): Promise<LicenseView> {
    return this.owners.change(ctx, license, params, true);
  }

  /** PATCH alias of `update`. */
  @Patch()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  patch(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(ChangeLicenseOwnerParams) params: ParamsThunk<ToOneBody>,
  ): Promise<LicenseView> {
    return this.update(ctx, license, params);
  }
}
