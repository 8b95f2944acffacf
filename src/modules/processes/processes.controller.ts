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
import {
  SpawnProcessParams,
  UpdateProcessParams,
  type SpawnProcessBody,
  type UpdateProcessBody,
} from './dto/process.params';
import { ProcessSpawnService } from './process-spawn.service';
import { ProcessSerializer } from './process.serializer';
import type { ProcessView } from './process.view';
import { ProcessesService } from './processes.service';

/** `/processes` (spec 03 §3.1): list, show, spawn, update, kill. `{id}` = UUID only. */
@Controller('v1/accounts/:account/processes')
export class ProcessesController {
  constructor(
    private readonly processes: ProcessesService,
    private readonly spawner: ProcessSpawnService,
  ) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProcessSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<ProcessView>> {
    return this.processes.index(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProcessSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<ProcessView> {
    return this.processes.show(ctx, id);
  }

  /** Spawn. */
  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProcessSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(SpawnProcessParams) body: SpawnProcessBody,
  ): Promise<ProcessView> {
    return this.spawner.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProcessSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateProcessParams) params: ParamsThunk<UpdateProcessBody>,
  ): Promise<ProcessView> {
    return this.processes.update(ctx, id, params);
  }

  /** Kill. */
  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.processes.destroy(ctx, id);
  }
}
