import { Controller, Get, Param, Put } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import type { Group } from '@app/modules/groups/group.entity';
import { GroupSerializer } from '@app/modules/groups/group.serializer';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import {
  ChangeMachineGroupParams,
  ChangeMachineOwnerParams,
  type ChangeRelationshipBody,
} from './dto/machine.params';
import { ProductLicenseRoutes } from './machine-relationship-routes';
import { MachineRelationshipsService } from './machine-relationships.service';
import { MachineSerializer } from './machine.serializer';
import type { MachineView } from './machine.view';

/**
 * `/machines/{id}/product|license|owner|group|user` (spec 03 §1.1, §1.11, §1.12);
 * product and license are the routes components and processes share.
 */
@Controller('v1/accounts/:account/machines/:id')
export class MachineRelationshipsController extends ProductLicenseRoutes {
  constructor(protected override readonly relationships: MachineRelationshipsService) {
    super();
  }

  @Get('owner')
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  owner(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<User | null> {
    return this.relationships.owner(ctx, id);
  }

  /** Answers the machine, not the owner linkage (like Keygen). */
  @Put('owner')
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  changeOwner(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(ChangeMachineOwnerParams) params: ParamsThunk<ChangeRelationshipBody>,
  ): Promise<MachineView> {
    return this.relationships.changeOwner(ctx, id, params);
  }

  @Get('group')
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupSerializer)
  group(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<Group> {
    return this.relationships.group(ctx, id);
  }

  /** compat: answers the machine, not the group linkage (a Keygen FIXME). */
  @Put('group')
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  changeGroup(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(ChangeMachineGroupParams) params: ParamsThunk<ChangeRelationshipBody>,
  ): Promise<MachineView> {
    return this.relationships.changeGroup(ctx, id, params);
  }

  /** Legacy (≤1.5): the license's owner. */
  @Get('user')
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  user(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<User | null> {
    return this.relationships.legacyUser(ctx, id);
  }
}
