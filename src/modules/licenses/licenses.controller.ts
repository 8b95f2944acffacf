import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import {
  DeferredParams,
  Paginate,
  Params,
  Query,
  type ParamsThunk,
} from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import {
  CreateLicenseParams,
  UpdateLicenseParams,
  type CreateLicenseBody,
  type UpdateLicenseBody,
} from './dto/license.params';
import { LicenseSerializer } from './license.serializer';
import type { LicenseView } from './license.view';
import { LicensesService } from './licenses.service';

/**
 * `/licenses` CRUD (spec 02 §4.1). compat: Keygen looks the license up in the
 * caller's scope (404) and validates create bodies (400) before it checks
 * `license.*` permissions, so licensePolicy checks them in the services.
 */
@Controller('v1/accounts/:account/licenses')
export class LicensesController {
  constructor(private readonly licenses: LicensesService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    return this.licenses.index(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<LicenseView> {
    return this.licenses.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateLicenseParams) body: CreateLicenseBody,
  ): Promise<LicenseView> {
    return this.licenses.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateLicenseParams) params: ParamsThunk<UpdateLicenseBody>,
  ): Promise<LicenseView> {
    return this.licenses.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.licenses.destroy(ctx, id);
  }
}
