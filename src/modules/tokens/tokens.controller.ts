import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { AllowPasswordAuth, Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Params, Query } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { GenerateTokenParams, type GenerateTokenBody } from './dto/generate-token.dto';
import type { TokenView } from './token.entity';
import { TokenSerializer } from './token.serializer';
import { TokensService } from './tokens.service';

/**
 * `/tokens` (spec 01 §6). Routes marked CHECKED_BY_POLICY check `token.generate`,
 * `token.read`, `token.regenerate` and `token.revoke` in tokenPolicy, after the
 * lookup or the body, in Keygen's order.
 */
@Controller('v1/accounts/:account/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @AllowPasswordAuth()
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  generate(
    @Ctx() ctx: RequestContext,
    @Params(GenerateTokenParams) body: GenerateTokenBody,
  ): Promise<TokenView> {
    return this.tokens.generate(ctx, body);
  }

  @Get()
  @Authorize('token.read')
  @Render(TokenSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    return this.tokens.list(ctx, query, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<TokenView> {
    return this.tokens.show(ctx, id);
  }

  /** Deprecated: regenerates the token the request authenticated with. */
  @Put()
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  regenerateCurrent(@Ctx() ctx: RequestContext): Promise<TokenView> {
    return this.tokens.regenerateCurrent(ctx);
  }

  @Put(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  regenerate(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<TokenView> {
    return this.tokens.regenerate(ctx, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  revoke(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.tokens.revoke(ctx, id);
  }
}
