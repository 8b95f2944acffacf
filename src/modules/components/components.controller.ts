import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import {
  DeferredParams,
  Paginate,
  Params,
  Query,
  type ParamsThunk,
} from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { ComponentSerializer } from '@app/modules/machines/machine-component.serializer';
import {
  CreateComponentParams,
  UpdateComponentParams,
  type CreateComponentBody,
  type UpdateComponentBody,
} from './dto/component.params';
import type { ComponentRecord } from './component.view';
import { ComponentsService } from './components.service';

/** `/components` (spec 03 §2.1): list, show, create, update, delete. `{id}` = UUID only. */
@Controller('v1/accounts/:account/components')
export class ComponentsController {
  constructor(private readonly components: ComponentsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ComponentSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<ComponentRecord>> {
    return this.components.index(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ComponentSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<ComponentRecord> {
    return this.components.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ComponentSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateComponentParams) body: CreateComponentBody,
  ): Promise<ComponentRecord> {
    return this.components.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ComponentSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateComponentParams) params: ParamsThunk<UpdateComponentBody>,
  ): Promise<ComponentRecord> {
    return this.components.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.components.destroy(ctx, id);
  }
}
