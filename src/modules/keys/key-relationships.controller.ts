import { Controller, Get, Param } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Render } from '@app/common/http/render';
import type { Policy } from '@app/modules/policies/policy.entity';
import { PolicySerializer } from '@app/modules/policies/policy.serializer';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { KeyRelationshipsService } from './key-relationships.service';

/**
 * `/keys/{id}/policy` and `/keys/{id}/product` (spec 02 §3.1). The key is looked up
 * in the caller's scope first (404); the rules then check `policy.read` / `product.read`.
 */
@Controller('v1/accounts/:account/keys/:key')
export class KeyRelationshipsController {
  constructor(private readonly relationships: KeyRelationshipsService) {}

  @Get('policy')
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicySerializer)
  policy(@Ctx() ctx: RequestContext, @Param('key') key: string): Promise<Policy> {
    return this.relationships.policy(ctx, key);
  }

  @Get('product')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  product(@Ctx() ctx: RequestContext, @Param('key') key: string): Promise<Product> {
    return this.relationships.product(ctx, key);
  }
}
