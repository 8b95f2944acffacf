import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import { GroupLicensesService } from './group-licenses.service';

/** `/groups/{id}/licenses[/{id|key}]` (spec 01 §8.1). */
@Controller('v1/accounts/:account/groups/:group/licenses')
export class GroupLicensesController {
  constructor(private readonly groupLicenses: GroupLicensesService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('group') group: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    return this.groupLicenses.index(ctx, group, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('group') group: string,
    @Param('id') id: string,
  ): Promise<LicenseView> {
    return this.groupLicenses.show(ctx, group, id);
  }
}
