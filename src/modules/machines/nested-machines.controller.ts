import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { MachineSerializer } from './machine.serializer';
import type { MachineView } from './machine.view';
import { NestedMachinesService, type ParentKind } from './nested-machines.service';

/** One nested machines controller per parent, with the same two handlers. */
function nestedMachinesController(kind: ParentKind, param: string) {
  @Controller(`v1/accounts/:account/${kind}/:${param}/machines`)
  class NestedMachinesController {
    constructor(readonly machines: NestedMachinesService) {}

    @Get()
    @Authorize(CHECKED_BY_POLICY)
    @Render(MachineSerializer)
    index(
      @Ctx() ctx: RequestContext,
      @Param(param) parent: string,
      @Query() query: Record<string, unknown>,
      @Paginate() pagination: Pagination,
    ): Promise<ListResult<MachineView>> {
      return this.machines.index(ctx, kind, parent, query, pagination);
    }

    @Get(':id')
    @Authorize(CHECKED_BY_POLICY)
    @Render(MachineSerializer)
    show(
      @Ctx() ctx: RequestContext,
      @Param(param) parent: string,
      @Param('id') id: string,
    ): Promise<MachineView> {
      return this.machines.show(ctx, kind, parent, id);
    }
  }
  return NestedMachinesController;
}

/** `/licenses/{id|key}/machines[/{id|fingerprint}]`. */
export class LicenseMachinesController extends nestedMachinesController('licenses', 'license') {}
/** `/products/{id|code}/machines[/{id|fingerprint}]`. */
export class ProductMachinesController extends nestedMachinesController('products', 'product') {}
/** `/users/{id|email}/machines[/{id|fingerprint}]`. */
export class UserMachinesController extends nestedMachinesController('users', 'user') {}
/** `/groups/{id}/machines[/{id|fingerprint}]`. */
export class GroupMachinesController extends nestedMachinesController('groups', 'group') {}
