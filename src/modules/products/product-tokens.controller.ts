import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Paginate, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { GenerateTokenBody } from '@app/modules/tokens/dto/generate-token.dto';
import type { TokenView } from '@app/modules/tokens/token.entity';
import { TokenSerializer } from '@app/modules/tokens/token.serializer';
import { GenerateProductTokenParams } from './dto/product.params';
import { ProductTokensService } from './product-tokens.service';

/**
 * `/products/{id|code}/tokens`. The product is looked up in the caller's scope first
 * (404), then productTokensPolicy checks `token.read` / `product.tokens.generate`.
 */
@Controller('v1/accounts/:account/products/:product/tokens')
export class ProductTokensController {
  constructor(private readonly tokens: ProductTokensService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    return this.tokens.index(ctx, product, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @Param('id') id: string,
  ): Promise<TokenView> {
    return this.tokens.show(ctx, product, id);
  }

  /** compat: 200, not 201 (spec 01 §6.1). */
  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(TokenSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Param('product') product: string,
    @DeferredParams(GenerateProductTokenParams) params: ParamsThunk<GenerateTokenBody>,
  ): Promise<TokenView> {
    return this.tokens.create(ctx, product, params);
  }
}
