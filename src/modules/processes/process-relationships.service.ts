import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { ListResult } from '@app/common/http/render';
import { LicensesRepository } from '@app/modules/licenses/licenses.repository';
import { MachineChildRelationshipsService } from '@app/modules/machines/machine-child.service';
import { MachinesService } from '@app/modules/machines/machines.service';
import { parseProcessFilters, type ProcessClause } from './process-filters';
import type { ProcessView } from './process.view';
import { ProcessesRepository } from './processes.repository';

/**
 * What a process points at (`/processes/{id}/product|license|machine`) and a
 * machine's processes (`/machines/{id}/processes[/{pid}]`), spec 03 §1.1, §3.1: the
 * reads components share (MachineChildRelationshipsService).
 */
@Injectable()
export class ProcessRelationshipsService extends MachineChildRelationshipsService<
  ProcessView,
  ProcessClause
> {
  constructor(repo: ProcessesRepository, machines: MachinesService, licenses: LicensesRepository) {
    super(repo, machines, licenses, 'process');
  }

  /** GET /machines/{id}/processes (`status` filter): the machine in reach (404), then `process.read` (403). */
  indexForMachine(
    ctx: RequestContext,
    machineId: string,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<ProcessView>> {
    return this.listForMachine(
      ctx,
      machineId,
      () => parseProcessFilters(query, ctx.clock.now(), ['status']),
      pagination,
    );
  }
}
