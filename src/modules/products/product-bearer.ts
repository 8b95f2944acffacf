import type { Bearer } from '@app/common/auth/bearer';
import type { Product } from './product.entity';

/** A product as the authenticated principal (product tokens). */
export function productBearer(product: Product): Bearer {
  return {
    type: 'products',
    id: product.id,
    role: 'product',
    permissions: product.permissions,
    environmentId: product.environmentId,
    record: product,
  };
}
