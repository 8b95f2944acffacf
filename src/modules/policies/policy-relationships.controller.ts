import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Paginate, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { EntitlementSerializer } from '@app/modules/entitlements/entitlement.serializer';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { PolicyEntitlementsParams, type PolicyEntitlementsBody } from './dto/policy.params';
import type { PolicyEntitlement } from './policy-entitlement.entity';
import { PolicyEntitlementSerializer } from './policy-entitlement.serializer';
import { PolicyEntitlementsService } from './policy-entitlements.service';
import { PolicyRelationshipsService } from './policy-relationships.service';

/**
 * `/policies/{id}/product` and `/policies/{id}/entitlements` (spec 02 §2.1, §10.3).
 * The policy is looked up in the caller's scope first (404); the relationship
 * policies then check `product.read`, `entitlement.read` and `policy.entitlements.*`.
 */
@Controller('v1/accounts/:account/policies/:policy')
export class PolicyRelationshipsController {
  constructor(
    private readonly relationships: PolicyRelationshipsService,
    private readonly entitlements: PolicyEntitlementsService,
  ) {}

  @Get('product')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  product(@Ctx() ctx: RequestContext, @Param('policy') policy: string): Promise<Product> {
    return this.relationships.policyProduct(ctx, policy);
  }

  @Get('entitlements')
  @Authorize(CHECKED_BY_POLICY)
  @Render(EntitlementSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('policy') policy: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Entitlement>> {
    return this.entitlements.index(ctx, policy, pagination);
  }

  @Get('entitlements/:id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(EntitlementSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('policy') policy: string,
    @Param('id') id: string,
  ): Promise<Entitlement> {
    return this.entitlements.show(ctx, policy, id);
  }

  @Post('entitlements')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicyEntitlementSerializer)
  attach(
    @Ctx() ctx: RequestContext,
    @Param('policy') policy: string,
    @DeferredParams(PolicyEntitlementsParams) params: ParamsThunk<PolicyEntitlementsBody>,
  ): Promise<PolicyEntitlement[]> {
    return this.entitlements.attach(ctx, policy, params);
  }

  @Delete('entitlements')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  detach(
    @Ctx() ctx: RequestContext,
    @Param('policy') policy: string,
    @DeferredParams(PolicyEntitlementsParams) params: ParamsThunk<PolicyEntitlementsBody>,
  ): Promise<void> {
    return this.entitlements.detach(ctx, policy, params);
  }
}
