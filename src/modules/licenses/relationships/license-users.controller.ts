import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Paginate, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import type { LicenseUser } from '../license.entity';
import { LicenseUsersParams, type ToManyBody } from './dto/license-relationships.params';
import { LicenseUserSerializer } from './license-user.serializer';
import { LicenseUsersService } from './license-users.service';

/** `/licenses/{id|key}/users` (spec 02 §4.9): owner ∪ licensees, attach and detach. */
@Controller('v1/accounts/:account/licenses/:license/users')
export class LicenseUsersController {
  constructor(private readonly users: LicenseUsersService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<User>> {
    return this.users.index(ctx, license, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @Param('id') id: string,
  ): Promise<User> {
    return this.users.show(ctx, license, id);
  }

  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseUserSerializer)
  attach(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(LicenseUsersParams) params: ParamsThunk<ToManyBody>,
  ): Promise<LicenseUser[]> {
    return this.users.attach(ctx, license, params);
  }

  @Delete()
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  detach(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(LicenseUsersParams) params: ParamsThunk<ToManyBody>,
  ): Promise<void> {
    return this.users.detach(ctx, license, params);
  }
}
