import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx, Public } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import {
  DeferredParams,
  Paginate,
  Params,
  Query,
  type ParamsThunk,
} from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import {
  CreateUserParams,
  UpdateUserParams,
  type CreateUserBody,
  type UpdateUserBody,
} from './dto/user.params';
import type { User } from './user.entity';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { UserSerializer } from './user.serializer';
import { UsersService } from './users.service';

@Controller('v1/accounts/:account/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Authorize('user.read')
  @Render(UserSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<User>> {
    return this.users.index(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<User> {
    return this.users.show(ctx, id);
  }

  /** Anonymous allowed (unprotected accounts); the service authorizes bearers. */
  @Post()
  @Public()
  @Render(UserSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateUserParams) body: CreateUserBody,
  ): Promise<User> {
    return this.users.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateUserParams) params: ParamsThunk<UpdateUserBody>,
  ): Promise<User> {
    return this.users.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.users.destroy(ctx, id);
  }
}
