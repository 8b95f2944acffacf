import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import { UserLicensesService } from './user-licenses.service';

/** `/users/{id|email}/licenses[/{id|key}]` (spec 01 §5.1): filters `product`, `policy`, `suspended`. */
@Controller('v1/accounts/:account/users/:user/licenses')
export class UserLicensesController {
  constructor(private readonly userLicenses: UserLicensesService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    return this.userLicenses.licensesIndex(ctx, user, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Param('id') id: string,
  ): Promise<LicenseView> {
    return this.userLicenses.licensesShow(ctx, user, id);
  }
}
