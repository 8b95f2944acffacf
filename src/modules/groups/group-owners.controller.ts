import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Paginate, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { GroupOwnersParams, type GroupOwnersBody } from './dto/group.params';
import type { GroupOwner } from './group-owner.entity';
import { GroupOwnerSerializer } from './group-owner.serializer';
import { GroupOwnersService } from './group-owners.service';

@Controller('v1/accounts/:account/groups/:group/owners')
export class GroupOwnersController {
  constructor(private readonly owners: GroupOwnersService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupOwnerSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('group') group: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<GroupOwner>> {
    return this.owners.index(ctx, group, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupOwnerSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('group') group: string,
    @Param('id') id: string,
  ): Promise<GroupOwner> {
    return this.owners.show(ctx, group, id);
  }

  /** compat: 200 with the created owners (not 201). */
  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupOwnerSerializer)
  attach(
    @Ctx() ctx: RequestContext,
    @Param('group') group: string,
    @DeferredParams(GroupOwnersParams) params: ParamsThunk<GroupOwnersBody>,
  ): Promise<GroupOwner[]> {
    return this.owners.attach(ctx, group, params);
  }

  @Delete()
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  detach(
    @Ctx() ctx: RequestContext,
    @Param('group') group: string,
    @DeferredParams(GroupOwnersParams) params: ParamsThunk<GroupOwnersBody>,
  ): Promise<void> {
    return this.owners.detach(ctx, group, params);
  }
}
