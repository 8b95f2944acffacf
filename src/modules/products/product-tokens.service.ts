import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { BearerTokensService } from '@app/modules/tokens/bearer-tokens.service';
import type { GenerateTokenBody } from '@app/modules/tokens/dto/generate-token.dto';
import type { TokenView } from '@app/modules/tokens/token.entity';
import { callerOf } from '@app/modules/tokens/token.policy';
import { productBearer } from './product-bearer';
import { productTokensPolicy } from './product.policy';
import { ProductsService } from './products.service';

/** `/products/{id|code}/tokens[/{tid}]` (spec 01 §6.1, 02 §1.1). */
@Injectable()
export class ProductTokensService {
  constructor(
    private readonly products: ProductsService,
    private readonly tokens: BearerTokensService,
  ) {}

  async index(
    ctx: RequestContext,
    idOrCode: string,
    pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    const caller = callerOf(ctx);
    const product = await this.products.findAddressable(ctx, idOrCode);
    const page = await this.tokens.list(ctx, { type: 'products', id: product.id }, pagination);
    enforce(productTokensPolicy.index(caller, product));
    return page;
  }

  async show(ctx: RequestContext, idOrCode: string, tokenId: string): Promise<TokenView> {
    const caller = callerOf(ctx);
    const product = await this.products.findAddressable(ctx, idOrCode);
    const token = await this.tokens.find(ctx, { type: 'products', id: product.id }, tokenId);
    enforce(productTokensPolicy.show(caller, product, token));
    return token;
  }

  /** compat: answers 200, not 201, like Keygen. Lookup → params → authorize → validate. */
  async create(
    ctx: RequestContext,
    idOrCode: string,
    params: ParamsThunk<GenerateTokenBody>,
  ): Promise<TokenView> {
    const caller = callerOf(ctx);
    const product = await this.products.findAddressable(ctx, idOrCode);
    const body = params();
    const draft = this.tokens.draft(
      ctx,
      productBearer(product),
      { type: 'products', id: product.id },
      body,
    );
    enforce(productTokensPolicy.create(caller, draft.token));
    return this.tokens.persist(ctx, draft);
  }
}
