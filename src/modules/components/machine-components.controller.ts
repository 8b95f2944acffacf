import { Controller, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { ComponentSerializer } from '@app/modules/machines/machine-component.serializer';
import { ComponentRelationshipsService } from './component-relationships.service';
import type { ComponentRecord } from './component.view';

/**
 * `/machines/{id}/components[/{cid}]` (spec 03 §1.1): `{id}` is a machine UUID or
 * fingerprint, `{cid}` a component UUID of that machine.
 */
@Controller('v1/accounts/:account/machines/:id/components')
export class MachineComponentsController {
  constructor(private readonly relationships: ComponentRelationshipsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(ComponentSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<ComponentRecord>> {
    return this.relationships.indexForMachine(ctx, id, pagination);
  }

  @Get(':cid')
  @Authorize(CHECKED_BY_POLICY)
  @Render(ComponentSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Param('cid') cid: string,
  ): Promise<ComponentRecord> {
    return this.relationships.showForMachine(ctx, id, cid);
  }
}
