import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { Policy } from './policy.entity';
import { PolicySerializer } from './policy.serializer';
import { PolicyRelationshipsService } from './policy-relationships.service';

/**
 * `/products/{id|code}/policies[/{pid}]` (spec 02 §1.1). Lives with policies because
 * policies sit above products; the product is looked up in the caller's scope (404).
 */
@Controller('v1/accounts/:account/products/:product/policies')
export class ProductPoliciesController {
  constructor(private readonly relationships: PolicyRelationshipsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicySerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Policy>> {
    return this.relationships.productPolicies(ctx, product, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicySerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @Param('id') id: string,
  ): Promise<Policy> {
    return this.relationships.productPolicy(ctx, product, id);
  }
}
