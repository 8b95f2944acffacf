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
  CreateGroupParams,
  UpdateGroupParams,
  type CreateGroupBody,
  type UpdateGroupBody,
} from './dto/group.params';
import type { Group } from './group.entity';
import { GroupSerializer } from './group.serializer';
import { GroupsService } from './groups.service';

@Controller('v1/accounts/:account/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Group>> {
    return this.groups.index(ctx, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<Group> {
    return this.groups.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateGroupParams) body: CreateGroupBody,
  ): Promise<Group> {
    return this.groups.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateGroupParams) params: ParamsThunk<UpdateGroupBody>,
  ): Promise<Group> {
    return this.groups.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.groups.destroy(ctx, id);
  }
}
