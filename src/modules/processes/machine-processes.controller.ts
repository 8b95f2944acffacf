import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { ProcessRelationshipsService } from './process-relationships.service';
import { ProcessSerializer } from './process.serializer';
import type { ProcessView } from './process.view';

/**
 * `/machines/{id}/processes[/{pid}]` (spec 03 §1.1): `{id}` is a machine UUID or
 * fingerprint, `{pid}` a process UUID of that machine; the list takes `status`.
 */
@Controller('v1/accounts/:account/machines/:id/processes')
export class MachineProcessesController {
  constructor(private readonly relationships: ProcessRelationshipsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProcessSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<ProcessView>> {
    return this.relationships.indexForMachine(ctx, id, query, pagination);
  }

  @Get(':pid')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ProcessSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Param('pid') pid: string,
  ): Promise<ProcessView> {
    return this.relationships.showForMachine(ctx, id, pid);
  }
}
