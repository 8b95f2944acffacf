import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Paginate, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { EntitlementSerializer } from '@app/modules/entitlements/entitlement.serializer';
import type { LicenseEntitlement } from '../license.entity';
import { LicenseEntitlementsParams, type ToManyBody } from './dto/license-relationships.params';
import { LicenseEntitlementSerializer } from './license-entitlement.serializer';
import { LicenseEntitlementsService } from './license-entitlements.service';

/**
 * `/licenses/{id|key}/entitlements` (spec 02 §10.3, §10.4): the effective set, and
 * the license's own attached or detached.
 */
@Controller('v1/accounts/:account/licenses/:license/entitlements')
export class LicenseEntitlementsController {
  constructor(private readonly entitlements: LicenseEntitlementsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(EntitlementSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Entitlement>> {
    return this.entitlements.index(ctx, license, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(EntitlementSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @Param('id') id: string,
  ): Promise<Entitlement> {
    return this.entitlements.show(ctx, license, id);
  }

  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseEntitlementSerializer)
  attach(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(LicenseEntitlementsParams) params: ParamsThunk<ToManyBody>,
  ): Promise<LicenseEntitlement[]> {
    return this.entitlements.attach(ctx, license, params);
  }

  @Delete()
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  detach(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(LicenseEntitlementsParams) params: ParamsThunk<ToManyBody>,
  ): Promise<void> {
    return this.entitlements.detach(ctx, license, params);
  }
}
