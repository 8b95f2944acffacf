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
import { ExactIntegers, type ExactIntegersReader } from './dto/exact-integers.decorator';
import {
  CreateMachineParams,
  EXACT_MACHINE_INTEGERS,
  UpdateMachineParams,
  type CreateMachineBody,
  type UpdateMachineBody,
} from './dto/machine.params';
import { MachineActivationService } from './machine-activation.service';
import { MachineSerializer } from './machine.serializer';
import type { MachineView } from './machine.view';
import { MachinesService } from './machines.service';
import './machine.versioning';

/** `/machines` (spec 03 §1.1): list, show, activate, update, deactivate. `{id}` = UUID or fingerprint. */
@Controller('v1/accounts/:account/machines')
export class MachinesController {
  constructor(
    private readonly machines: MachinesService,
    private readonly activation: MachineActivationService,
  ) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<MachineView>> {
    return this.machines.index(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<MachineView> {
    return this.machines.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateMachineParams) body: CreateMachineBody,
    @ExactIntegers(EXACT_MACHINE_INTEGERS) exact: ExactIntegersReader,
  ): Promise<MachineView> {
    return this.activation.create(ctx, body, exact);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(MachineSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateMachineParams) params: ParamsThunk<UpdateMachineBody>,
    @ExactIntegers(EXACT_MACHINE_INTEGERS) exact: ExactIntegersReader,
  ): Promise<MachineView> {
    return this.machines.update(ctx, id, params, exact);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.machines.destroy(ctx, id);
  }
}
