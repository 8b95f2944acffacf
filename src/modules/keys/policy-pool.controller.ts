import { Controller, Delete, Get, Param } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { KeySerializer } from './key.serializer';
import type { KeyView } from './key.view';
import { PolicyPoolService } from './policy-pool.service';

/**
 * `/policies/{id}/pool` (spec 02 §2.1, §2.6): list, show and pop (DELETE, 200 with
 * the popped key). The policy is looked up in the caller's scope first (404), then
 * the pool rules check `key.read` / `policy.pool.pop`.
 */
@Controller('v1/accounts/:account/policies/:policy/pool')
export class PolicyPoolController {
  constructor(private readonly pool: PolicyPoolService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(KeySerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('policy') policy: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<KeyView>> {
    return this.pool.index(ctx, policy, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(KeySerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('policy') policy: string,
    @Param('id') id: string,
  ): Promise<KeyView> {
    return this.pool.show(ctx, policy, id);
  }

  @Delete()
  @Authorize(CHECKED_BY_POLICY)
  @Render(KeySerializer)
  pop(@Ctx() ctx: RequestContext, @Param('policy') policy: string): Promise<KeyView> {
    return this.pool.pop(ctx, policy);
  }
}
