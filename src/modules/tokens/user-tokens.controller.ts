import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Paginate, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { GenerateUserTokenParams, type GenerateTokenBody } from './dto/generate-token.dto';
import type { TokenView } from './token.entity';
import { TokenSerializer } from './token.serializer';
import { UserTokensService } from './user-tokens.service';

/**
 * `/users/{id|email}/tokens` (spec 01 §5.1). The user is looked up in the caller's
 * scope first (404), then userTokensPolicy checks `token.read` / `user.tokens.generate`.
 */
@Controller('v1/accounts/:account/users/:user/tokens')
export class UserTokensController {
  constructor(private readonly tokens: UserTokensService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    return this.tokens.index(ctx, user, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Param('id') id: string,
  ): Promise<TokenView> {
    return this.tokens.show(ctx, user, id);
  }

  /** compat: 200, not 201 (spec 01 §6.1). */
  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @DeferredParams(GenerateUserTokenParams) params: ParamsThunk<GenerateTokenBody>,
  ): Promise<TokenView> {
    return this.tokens.create(ctx, user, params);
  }
}
