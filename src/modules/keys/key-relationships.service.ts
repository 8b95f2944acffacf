import { Injectable } from '@nestjs/common';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import type { Policy } from '@app/modules/policies/policy.entity';
import { PoliciesService } from '@app/modules/policies/policies.service';
import type { Product } from '@app/modules/products/product.entity';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import { keyRelationshipsPolicy } from './key.policy';
import { KeysService } from './keys.service';

/** `/keys/{id}/policy` and `/keys/{id}/product`: the key in scope first (404), then the rule. */
@Injectable()
export class KeyRelationshipsService {
  constructor(
    private readonly keys: KeysService,
    private readonly policies: PoliciesService,
    private readonly products: ProductsService,
  ) {}

  async policy(ctx: RequestContext, keyId: string): Promise<Policy> {
    const caller = callerOf(ctx);
    const key = await this.keys.findAddressable(ctx, keyId);
    const policy = await this.policies.findByIdInAccount(ctx, key.policyId);
    if (!policy) {
      // The foreign key makes this unreachable; a missing row is a server fault.
      throw new Error(`key ${key.id} has no policy`);
    }
    enforce(keyRelationshipsPolicy.policy(caller, key, policy));
    return policy;
  }

  async product(ctx: RequestContext, keyId: string): Promise<Product> {
    const caller = callerOf(ctx);
    const key = await this.keys.findAddressable(ctx, keyId);
    const product = await this.products.findByIdInAccount(ctx, key.productId);
    if (!product) {
      throw new Error(`key ${key.id} has no product`);
    }
    enforce(keyRelationshipsPolicy.product(caller, key, product));
    return product;
  }
}
