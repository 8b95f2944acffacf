import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BearerLoaders } from '@app/common/auth/ports';
import { productBearer } from './product-bearer';
import { ProductsRepository } from './products.repository';

/**
 * Registers the `products` bearer loader, so product tokens authenticate and token
 * routes can resolve product bearers. Like Keygen, the bearer is loaded by id in the
 * account; environment compatibility is the policies' business.
 */
@Injectable()
export class ProductBearerLoader implements OnModuleInit {
  constructor(
    private readonly repo: ProductsRepository,
    private readonly loaders: BearerLoaders,
  ) {}

  onModuleInit(): void {
    this.loaders.register('products', {
      load: async (scope, id) => {
        const product = await this.repo.findByIdInAccount(scope, id);
        return product ? productBearer(product) : null;
      },
    });
  }
}
