import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import {
  DeferredParams,
  Paginate,
  Params,
  Query,
  type ParamsThunk,
} from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import {
  CreatePolicyParams,
  UpdatePolicyParams,
  type CreatePolicyBody,
  type UpdatePolicyBody,
} from './dto/policy.params';
import type { Policy } from './policy.entity';
import { PolicySerializer } from './policy.serializer';
import { PoliciesService } from './policies.service';

/**
 * `/policies` (spec 02 §2.1). compat: Keygen looks the policy up in the caller's scope
 * (404) and validates create bodies (400) before it checks `policy.*` permissions, so
 * policyPolicy checks them in the service.
 */
@Controller('v1/accounts/:account/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicySerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Policy>> {
    return this.policies.index(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicySerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<Policy> {
    return this.policies.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicySerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreatePolicyParams) body: CreatePolicyBody,
  ): Promise<Policy> {
    return this.policies.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(PolicySerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdatePolicyParams) params: ParamsThunk<UpdatePolicyBody>,
  ): Promise<Policy> {
    return this.policies.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.policies.destroy(ctx, id);
  }
}
