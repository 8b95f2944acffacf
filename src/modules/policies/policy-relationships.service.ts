import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { ListResult } from '@app/common/http/render';
import type { Product } from '@app/modules/products/product.entity';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { Policy } from './policy.entity';
import { policyProductPolicy, productPoliciesPolicy } from './policy.policy';
import { PoliciesService } from './policies.service';

/** `/products/{id|code}/policies[/{pid}]` and `/policies/{id}/product`. */
@Injectable()
export class PolicyRelationshipsService {
  constructor(
    private readonly policies: PoliciesService,
    private readonly products: ProductsService,
  ) {}

  async productPolicies(
    ctx: RequestContext,
    productIdOrCode: string,
    pagination: Pagination,
  ): Promise<ListResult<Policy>> {
    const caller = callerOf(ctx);
    const product = await this.products.findAddressable(ctx, productIdOrCode);
    const page = await this.policies.listOfProduct(ctx, product, pagination);
    enforce(productPoliciesPolicy.index(caller, product));
    return page;
  }

  async productPolicy(ctx: RequestContext, productIdOrCode: string, id: string): Promise<Policy> {
    const caller = callerOf(ctx);
    const product = await this.products.findAddressable(ctx, productIdOrCode);
    const policy = await this.policies.findOfProduct(ctx, product, id);
    enforce(productPoliciesPolicy.show(caller, product, policy));
    return policy;
  }

  async policyProduct(ctx: RequestContext, policyId: string): Promise<Product> {
    const caller = callerOf(ctx);
    const policy = await this.policies.findAddressable(ctx, policyId);
    const product = await this.products.findByIdInAccount(ctx, policy.productId);
    if (!product) {
      // The foreign key makes this unreachable; a missing row is a server fault.
      throw new Error(`policy ${policy.id} has no product`);
    }
    enforce(policyProductPolicy.show(caller, policy, product));
    return product;
  }
}
