import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { ProductUsersService } from './product-users.service';

/** `/products/{id|code}/users[/{id|email}]` (spec 02 §1.1): filter `roles[]`. */
@Controller('v1/accounts/:account/products/:product/users')
export class ProductUsersController {
  constructor(private readonly productUsers: ProductUsersService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<User>> {
    return this.productUsers.index(ctx, product, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @Param('id') id: string,
  ): Promise<User> {
    return this.productUsers.show(ctx, product, id);
  }
}
