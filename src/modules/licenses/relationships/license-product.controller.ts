import { Controller, Get, Param } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Render } from '@app/common/http/render';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { LicensePolicyService } from './license-policy.service';

/** `GET /licenses/{id|key}/product` (spec 02 §4.1): the product follows the policy. */
@Controller('v1/accounts/:account/licenses/:license/product')
export class LicenseProductController {
  constructor(private readonly policies: LicensePolicyService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  show(@Ctx() ctx: RequestContext, @Param('license') license: string): Promise<Product> {
    return this.policies.product(ctx, license);
  }
}
