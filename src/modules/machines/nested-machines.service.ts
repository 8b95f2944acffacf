import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce, type Decision } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { GroupsService } from '@app/modules/groups/groups.service';
import { LicenseLookup } from '@app/modules/licenses/license-lookup.service';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import { findUserInScope } from '@app/modules/users/user-lookup';
import { UsersRepository } from '@app/modules/users/users.repository';
import { parseMachineFilters, type MachineFilterName } from './machine-filters';
import {
  machinePolicy,
  readGroupMachines,
  readLicenseMachines,
  readProductMachines,
  readUserMachines,
  type MachineAccess,
} from './machine.policy';
import type { MachineView } from './machine.view';
import { MachinesRepository, type MachineParent } from './machines.repository';

/** A resolved parent: what the rows are confined to, and the rule for a row (null on index). */
interface Parent {
  parent: MachineParent;
  /** The reach applied on top of the parent (the bearer's, or all of the parent's). */
  access: MachineAccess;
  filters: readonly MachineFilterName[];
  rule: (machine: MachineView | null) => Decision;
}

/**
 * The machine lists nested under a license, product, user or group (spec 03 §1.1):
 * the parent is found in the bearer's reach (404), the nested rule checked (403); a
 * nested show finds `{id|fingerprint}` among the parent's machines (404), then checks.
 */
@Injectable()
export class NestedMachinesService {
  constructor(
    private readonly licenses: LicenseLookup,
    private readonly products: ProductsService,
    private readonly users: UsersRepository,
    private readonly groups: GroupsService,
    private readonly repo: MachinesRepository,
  ) {}

  async index(
    ctx: RequestContext,
    kind: ParentKind,
    parentId: string,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<MachineView>> {
    const p = await this.parent(ctx, kind, parentId);
    enforce(p.rule(null));
    const clauses = parseMachineFilters(query, ctx.clock.now(), p.filters);
    const page = await this.repo.list(ctx.scope, p.access, clauses, pagination, p.parent);
    return { ...page, rows: await this.repo.views(page.rows) };
  }

  async show(
    ctx: RequestContext,
    kind: ParentKind,
    parentId: string,
    id: string,
  ): Promise<MachineView> {
    const p = await this.parent(ctx, kind, parentId);
    const found = await this.repo.find(ctx.scope, { kind: 'all' }, id, null, p.parent);
    if (!found) {
      throw NotFoundError.record('machine', id);
    }
    enforce(p.rule(found.view));
    return found.view;
  }

  private async parent(ctx: RequestContext, kind: ParentKind, id: string): Promise<Parent> {
    const caller = callerOf(ctx);
    const reach = machinePolicy.scope(caller.bearer);
    const env = (m: MachineView | null): string | null =>
      m ? m.environmentId : ctx.scope.environmentId;
    switch (kind) {
      case 'licenses': {
        const { view, facts } = await this.licenses.find(ctx, id);
        return {
          parent: { licenseId: view.id },
          access: reach,
          filters: ['fingerprint', 'product', 'user'],
          rule: () => readLicenseMachines(caller, facts),
        };
      }
      case 'products': {
        const product = await this.products.findAddressable(ctx, id);
        return {
          parent: { productId: product.id },
          access: reach,
          filters: ['fingerprint', 'license', 'user'],
          rule: (m) => readProductMachines(caller, product.id, env(m)),
        };
      }
      case 'users': {
        const user = await findUserInScope(this.users, ctx, id);
        return {
          parent: { userId: user.id },
          access: reach,
          filters: ['fingerprint', 'product', 'license'],
          rule: (m) => readUserMachines(caller, user, m?.productId ?? null, env(m)),
        };
      }
      case 'groups': {
        const { group, facts } = await this.groups.findForNested(ctx, id);
        // A group owner sees the group's machines here, not through /machines.
        const access: MachineAccess = caller.bearer.role === 'user' ? { kind: 'all' } : reach;
        return {
          parent: { groupId: group.id },
          access,
          filters: [],
          rule: (m) =>
            readGroupMachines(caller, group.id, facts.owns, m?.productId ?? null, env(m)),
        };
      }
    }
  }
}

export type ParentKind = 'licenses' | 'products' | 'users' | 'groups';
