import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { LicenseSerializer } from './license.serializer';
import type { LicenseView } from './license.view';
import { LicensesService } from './licenses.service';

/**
 * `/products/{id|code}/licenses[/{id|key}]` (spec 02 §1.1): filters `policy`, `user`,
 * `suspended`. The product is looked up in the caller's scope (404) first.
 */
@Controller('v1/accounts/:account/products/:product/licenses')
export class ProductLicensesController {
  constructor(private readonly licenses: LicensesService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    return this.licenses.productLicenses(ctx, product, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @Param('id') id: string,
  ): Promise<LicenseView> {
    return this.licenses.productLicense(ctx, product, id);
  }
}
