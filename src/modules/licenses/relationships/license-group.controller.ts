import { Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import type { Group } from '@app/modules/groups/group.entity';
import { GroupSerializer } from '@app/modules/groups/group.serializer';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import { ChangeLicenseGroupParams, type ToOneBody } from './dto/license-relationships.params';
import { LicenseGroupService } from './license-group.service';

/** `/licenses/{id|key}/group` (spec 01 §8, 02 §4.8): 404 when the license has no group. */
@Controller('v1/accounts/:account/licenses/:license/group')
export class LicenseGroupController {
  constructor(private readonly groups: LicenseGroupService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupSerializer)
  show(@Ctx() ctx: RequestContext, @Param('license') license: string): Promise<Group> {
    return this.groups.show(ctx, license);
  }

  @Put()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(ChangeLicenseGroupParams) params: ParamsThunk<ToOneBody>,
  ): Promise<LicenseView> {
    return this.groups.change(ctx, license, params);
  }

  /** PATCH alias of `update`. */
  @Patch()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  patch(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(ChangeLicenseGroupParams) params: ParamsThunk<ToOneBody>,
  ): Promise<LicenseView> {
    return this.update(ctx, license, params);
  }
}
