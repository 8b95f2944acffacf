import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Paginate, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { GenerateTokenBody } from '@app/modules/tokens/dto/generate-token.dto';
import type { TokenView } from '@app/modules/tokens/token.entity';
import { TokenSerializer } from '@app/modules/tokens/token.serializer';
import { GenerateLicenseTokenParams } from './dto/generate-license-token.params';
import { LicenseTokensService } from './license-tokens.service';

/**
 * `/licenses/{id|key}/tokens`. The license is looked up in the caller's scope first
 * (404), then the license token rules check `token.read` / `license.tokens.generate`.
 */
@Controller('v1/accounts/:account/licenses/:license/tokens')
export class LicenseTokensController {
  constructor(private readonly tokens: LicenseTokensService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    return this.tokens.index(ctx, license, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @Param('id') id: string,
  ): Promise<TokenView> {
    return this.tokens.show(ctx, license, id);
  }

  /** compat: 200, not 201 (spec 01 §6.1). */
  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Param('license') license: string,
    @DeferredParams(GenerateLicenseTokenParams) params: ParamsThunk<GenerateTokenBody>,
  ): Promise<TokenView> {
    return this.tokens.create(ctx, license, params);
  }
}
