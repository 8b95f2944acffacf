import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Get, Param, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Paginate, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { GenerateEnvironmentTokenParams, type GenerateTokenBody } from './dto/generate-token.dto';
import type { TokenView } from './token.entity';
import { TokenSerializer } from './token.serializer';
import { EnvironmentTokensService } from './environment-tokens.service';

/**
 * `/environments/{id|code}/tokens` (spec 01 §3.1). The environment is looked up in
 * the caller's reach first (404), then environmentTokensPolicy checks `token.read` /
 * `environment.tokens.generate`.
 */
@Controller('v1/accounts/:account/environments/:environment/tokens')
export class EnvironmentTokensController {
  constructor(private readonly tokens: EnvironmentTokensService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('environment') environment: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    return this.tokens.index(ctx, environment, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('environment') environment: string,
    @Param('id') id: string,
  ): Promise<TokenView> {
    return this.tokens.show(ctx, environment, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Param('environment') environment: string,
    @DeferredParams(GenerateEnvironmentTokenParams) params: ParamsThunk<GenerateTokenBody>,
  ): Promise<TokenView> {
    return this.tokens.create(ctx, environment, params);
  }
}
