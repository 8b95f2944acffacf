import { Get, Param } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Render } from '@app/common/http/render';
import { LicenseSerializer } from '@app/modules/licenses/license.serializer';
import type { LicenseView } from '@app/modules/licenses/license.view';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { MachineSerializer } from './machine.serializer';
import type { MachineView } from './machine.view';

/**
 * The relationship routes machines, components and processes share; each concrete
 * controller sets its `@Controller` path (ending in `:id`) and its service.
 */

/** What `…/{id}/product|license` read (the service checks the rules). */
export interface ProductLicenseReads {
  product(ctx: RequestContext, id: string): Promise<Product | null>;
  license(ctx: RequestContext, id: string): Promise<LicenseView | null>;
}

/** What `…/{id}/product|license|machine` of a component or process read. */
export interface MachineChildReads extends ProductLicenseReads {
  machine(ctx: RequestContext, id: string): Promise<MachineView>;
}

/** `…/{id}/product` and `…/{id}/license`: what a machine, component or process hangs under. */
export abstract class ProductLicenseRoutes {
  protected abstract readonly relationships: ProductLicenseReads;

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
}

/** `/components|processes/{id}/product|license|machine` (spec 03 §2.1, §3.1). */
export abstract class MachineChildRelationshipRoutes extends ProductLicenseRoutes {
  protected abstract override readonly relationships: MachineChildReads;

  @Get('machine')
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  machine(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<MachineView> {
    return this.relationships.machine(ctx, id);
  }
}
