import type { Key } from './key.entity';

/**
 * A pool key as services hand it around and the serializer renders it: the row plus
 * its policy's product (the `product` relationship; keys have no product column).
 */
export interface KeyView extends Key {
  productId: string;
}
