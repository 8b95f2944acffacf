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
  CreateProductParams,
  UpdateProductParams,
  type CreateProductBody,
  type UpdateProductBody,
} from './dto/product.params';
import type { Product } from './product.entity';
import { ProductSerializer } from './product.serializer';
import { ProductsService } from './products.service';

/**
 * `/products` (spec 02 §1.1). compat: Keygen looks the product up in the caller's
 * scope (404) and validates create bodies (400) before it checks `product.*`
 * permissions, so productPolicy checks them in the service instead of the guard.
 */
@Controller('v1/accounts/:account/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Product>> {
    return this.products.index(ctx, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<Product> {
    return this.products.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateProductParams) body: CreateProductBody,
  ): Promise<Product> {
    return this.products.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateProductParams) params: ParamsThunk<UpdateProductBody>,
  ): Promise<Product> {
    return this.products.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.products.destroy(ctx, id);
  }
}
