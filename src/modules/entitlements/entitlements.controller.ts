import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import {
  DeferredParams,
  Paginate,
  Params,
  type ParamsThunk,
} from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import {
  CreateEntitlementParams,
  UpdateEntitlementParams,
  type CreateEntitlementBody,
  type UpdateEntitlementBody,
} from './dto/entitlement.params';
import type { Entitlement } from './entitlement.entity';
import { EntitlementSerializer } from './entitlement.serializer';
import { EntitlementsService } from './entitlements.service';

/**
 * `/entitlements` (spec 02 §10.1). compat: the entitlement is looked up in the
 * caller's scope (404) and create bodies are validated (400) before permissions, so
 * entitlementPolicy checks `entitlement.*` in the service.
 */
@Controller('v1/accounts/:account/entitlements')
export class EntitlementsController {
  constructor(private readonly entitlements: EntitlementsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(EntitlementSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Entitlement>> {
    return this.entitlements.index(ctx, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(EntitlementSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<Entitlement> {
    return this.entitlements.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(EntitlementSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateEntitlementParams) body: CreateEntitlementBody,
  ): Promise<Entitlement> {
    return this.entitlements.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(EntitlementSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateEntitlementParams) params: ParamsThunk<UpdateEntitlementBody>,
  ): Promise<Entitlement> {
    return this.entitlements.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.entitlements.destroy(ctx, id);
  }
}
