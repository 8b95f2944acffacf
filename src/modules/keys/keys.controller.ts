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
import {
  CreateKeyParams,
  UpdateKeyParams,
  type CreateKeyBody,
  type UpdateKeyBody,
} from './dto/key.params';
import { KeySerializer } from './key.serializer';
import type { KeyView } from './key.view';
import { KeysService } from './keys.service';

/**
 * `/keys` (spec 02 §3.1); PUT is routed as PATCH. compat: Keygen looks the key up in
 * the caller's scope (404) and validates create bodies (400) before it checks
 * `key.*` permissions, so keyPolicy checks them in the service.
 */
@Controller('v1/accounts/:account/keys')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(KeySerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<KeyView>> {
    return this.keys.index(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(KeySerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<KeyView> {
    return this.keys.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(KeySerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateKeyParams) body: CreateKeyBody,
  ): Promise<KeyView> {
    return this.keys.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(KeySerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateKeyParams) params: ParamsThunk<UpdateKeyBody>,
  ): Promise<KeyView> {
    return this.keys.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.keys.destroy(ctx, id);
  }
}
