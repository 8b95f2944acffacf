import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import type { LicenseView } from '@app/modules/licenses/license.view';
import { LicensesRepository } from '@app/modules/licenses/licenses.repository';
import { machineAsParent } from '@app/modules/machines/machine-child.policy';
import type { MachineView } from '@app/modules/machines/machine.view';
import { MachinesService } from '@app/modules/machines/machines.service';
import type { Product } from '@app/modules/products/product.entity';
import { parseProcessFilters } from './process-filters';
import { processPolicy } from './process.policy';
import type { ProcessView } from './process.view';
import { ProcessesRepository } from './processes.repository';
import { ProcessesService } from './processes.service';

/**
 * What a process points at (`/processes/{id}/product|license|machine`) and a
 * machine's processes (`/machines/{id}/processes[/{pid}]`), spec 03 §1.1, §3.1.
 */
@Injectable()
export class ProcessRelationshipsService {
  constructor(
    private readonly processes: ProcessesService,
    private readonly repo: ProcessesRepository,
    private readonly machines: MachinesService,
    private readonly licenses: LicensesRepository,
  ) {}

  async product(ctx: RequestContext, id: string): Promise<Product | null> {
    const { view, facts, caller } = await this.processes.find(ctx, id);
    const product = await this.repo.product(ctx.scope.accountId, view.productId);
    enforce(
      processPolicy.readRelated(caller, facts, 'product.read', product?.environmentId ?? null),
    );
    return product;
  }

  async license(ctx: RequestContext, id: string): Promise<LicenseView | null> {
    const { view, facts, caller } = await this.processes.find(ctx, id);
    const license = await this.repo.license(ctx.scope.accountId, view.licenseId);
    enforce(
      processPolicy.readRelated(caller, facts, 'license.read', license?.environmentId ?? null),
    );
    return license ? this.licenses.view(license, ctx.clock.now()) : null;
  }

  async machine(ctx: RequestContext, id: string): Promise<MachineView> {
    const { view, facts, caller } = await this.processes.find(ctx, id);
    const machine = await this.machines.find(ctx, view.machineId);
    enforce(processPolicy.readRelated(caller, facts, 'machine.read', machine.view.environmentId));
    return machine.view;
  }

  /** GET /machines/{id}/processes (`status` filter): the machine in reach (404), then `process.read` (403). */
  async indexForMachine(
    ctx: RequestContext,
    machineId: string,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<ProcessView>> {
    const { view, facts, caller } = await this.machines.find(ctx, machineId);
    enforce(
      processPolicy.readRelated(caller, machineAsParent(facts), 'process.read', view.environmentId),
    );
    const page = await this.repo.list(
      ctx.scope,
      { kind: 'all' },
      parseProcessFilters(query, ctx.clock.now(), ['status']),
      pagination,
      view.id,
    );
    return { ...page, rows: await this.repo.views(page.rows) };
  }

  /** GET /machines/{id}/processes/{pid}: `{pid}` must be one of that machine's, else 404. */
  async showForMachine(ctx: RequestContext, machineId: string, id: string): Promise<ProcessView> {
    const { view, facts, caller } = await this.machines.find(ctx, machineId);
    const found = await this.repo.find(ctx.scope, { kind: 'all' }, id, null, view.id);
    if (!found) {
      throw NotFoundError.record('machine process', id);
    }
    enforce(
      processPolicy.readRelated(caller, machineAsParent(facts), 'process.read', view.environmentId),
    );
    return found.view;
  }
}
