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
import { componentPolicy } from './component.policy';
import type { ComponentRecord } from './component.view';
import { ComponentsRepository } from './components.repository';
import { ComponentsService } from './components.service';

/**
 * What a component points at (`/components/{id}/product|license|machine`) and a
 * machine's components (`/machines/{id}/components[/{cid}]`), spec 03 §1.1, §2.1.
 */
@Injectable()
export class ComponentRelationshipsService {
  constructor(
    private readonly components: ComponentsService,
    private readonly repo: ComponentsRepository,
    private readonly machines: MachinesService,
    private readonly licenses: LicensesRepository,
  ) {}

  async product(ctx: RequestContext, id: string): Promise<Product | null> {
    const { record, facts, caller } = await this.components.find(ctx, id);
    const product = await this.repo.product(ctx.scope.accountId, record.productId);
    enforce(
      componentPolicy.readRelated(caller, facts, 'product.read', product?.environmentId ?? null),
    );
    return product;
  }

  async license(ctx: RequestContext, id: string): Promise<LicenseView | null> {
    const { record, facts, caller } = await this.components.find(ctx, id);
    const license = await this.repo.license(ctx.scope.accountId, record.licenseId);
    enforce(
      componentPolicy.readRelated(caller, facts, 'license.read', license?.environmentId ?? null),
    );
    return license ? this.licenses.view(license, ctx.clock.now()) : null;
  }

  async machine(ctx: RequestContext, id: string): Promise<MachineView> {
    const { record, facts, caller } = await this.components.find(ctx, id);
    const machine = await this.machines.find(ctx, record.machineId);
    enforce(componentPolicy.readRelated(caller, facts, 'machine.read', machine.view.environmentId));
    return machine.view;
  }

  /** GET /machines/{id}/components: the machine in reach (404), then `component.read` (403). */
  async indexForMachine(
    ctx: RequestContext,
    machineId: string,
    pagination: Pagination,
  ): Promise<ListResult<ComponentRecord>> {
    const { view, facts, caller } = await this.machines.find(ctx, machineId);
    enforce(
      componentPolicy.readRelated(
        caller,
        machineAsParent(facts),
        'component.read',
        view.environmentId,
      ),
    );
    const page = await this.repo.list(ctx.scope, { kind: 'all' }, [], pagination, view.id);
    return { ...page, rows: await this.repo.records(page.rows) };
  }

  /** GET /machines/{id}/components/{cid}: `{cid}` must be one of that machine's, else 404. */
  async showForMachine(
    ctx: RequestContext,
    machineId: string,
    id: string,
  ): Promise<ComponentRecord> {
    const { view, facts, caller } = await this.machines.find(ctx, machineId);
    const found = await this.repo.find(ctx.scope, { kind: 'all' }, id, null, view.id);
    if (!found) {
      throw NotFoundError.record('machine component', id);
    }
    enforce(
      componentPolicy.readRelated(
        caller,
        machineAsParent(facts),
        'component.read',
        view.environmentId,
      ),
    );
    return found.record;
  }
}
