import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { UserLicensesService } from './user-licenses.service';

/** `/users/{id|email}/products[/{id}]` (spec 01 §5.1): the products of the user's licenses. */
@Controller('v1/accounts/:account/users/:user/products')
export class UserProductsController {
  constructor(private readonly userLicenses: UserLicensesService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Product>> {
    return this.userLicenses.productsIndex(ctx, user, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProductSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Param('id') id: string,
  ): Promise<Product> {
    return this.userLicenses.productsShow(ctx, user, id);
  }
}
