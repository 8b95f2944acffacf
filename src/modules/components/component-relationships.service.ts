import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { ListResult } from '@app/common/http/render';
import { LicensesRepository } from '@app/modules/licenses/licenses.repository';
import type { MachineChildClause } from '@app/modules/machines/machine-children.repository';
import { MachineChildRelationshipsService } from '@app/modules/machines/machine-child.service';
import { MachinesService } from '@app/modules/machines/machines.service';
import type { ComponentRecord } from './component.view';
import { ComponentsRepository } from './components.repository';

/**
 * What a component points at (`/components/{id}/product|license|machine`) and a
 * machine's components (`/machines/{id}/components[/{cid}]`), spec 03 §1.1, §2.1:
 * the reads processes share (MachineChildRelationshipsService).
 */
@Injectable()
export class ComponentRelationshipsService extends MachineChildRelationshipsService<
  ComponentRecord,
  MachineChildClause
> {
  constructor(repo: ComponentsRepository, machines: MachinesService, licenses: LicensesRepository) {
    super(repo, machines, licenses, 'component');
  }

  /** GET /machines/{id}/components: the machine in reach (404), then `component.read` (403). */
  indexForMachine(
    ctx: RequestContext,
    machineId: string,
    pagination: Pagination,
  ): Promise<ListResult<ComponentRecord>> {
    return this.listForMachine(ctx, machineId, () => [], pagination);
  }
}
