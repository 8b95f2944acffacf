import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { GroupUsersService } from './group-users.service';

@Controller('v1/accounts/:account/groups/:group/users')
export class GroupUsersController {
  constructor(private readonly members: GroupUsersService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('group') group: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<User>> {
    return this.members.index(ctx, group, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('group') group: string,
    @Param('id') id: string,
  ): Promise<User> {
    return this.members.show(ctx, group, id);
  }
}
