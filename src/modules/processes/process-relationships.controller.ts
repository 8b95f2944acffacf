import { Controller, Get, Param } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Render } from '@app/common/http/render';
import { LicenseSerializer } from '@app/modules/licenses/license.serializer';
import type { LicenseView } from '@app/modules/licenses/license.view';
import { MachineSerializer } from '@app/modules/machines/machine.serializer';
import type { MachineView } from '@app/modules/machines/machine.view';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { ProcessRelationshipsService } from './process-relationships.service';

/** `/processes/{id}/product|license|machine` (spec 03 §3.1). */
@Controller('v1/accounts/:account/processes/:id')
export class ProcessRelationshipsController {
  constructor(private readonly relationships: ProcessRelationshipsService) {}

  @Get('product')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  product(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<Product | null> {
    return this.relationships.product(ctx, id);
  }

  @Get('license')
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  license(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<LicenseView | null> {
    return this.relationships.license(ctx, id);
  }

  @Get('machine')
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  machine(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<MachineView> {
    return this.relationships.machine(ctx, id);
  }
}
