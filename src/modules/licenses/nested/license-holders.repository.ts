import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { Product } from '@app/modules/products/product.entity';
import { User } from '@app/modules/users/user.entity';
import { License } from '../license.entity';

/** Which of a user's products a bearer may list: all of them, or only itself (a product). */
export type HeldProductAccess = { kind: 'all' } | { kind: 'self'; id: string };

/** SQL: a license of `product` owned by, or attached to, `user` (any environment). */
const HOLDS_PRODUCT = (product: string, user: string): string =>
  `EXISTS (SELECT 1 FROM licenses hl WHERE hl.product_id = ${product} AND (hl.owner_id = ${user}
     OR EXISTS (SELECT 1 FROM license_users hlu WHERE hlu.license_id = hl.id AND hlu.user_id = ${user})))`;

/**
 * SQL of the reads that join users and products through licenses:
 * `/users/{id}/products` (the products of a user's licenses) and
 * `/products/{id}/users/{uid}` (one owner or licensee of a product's licenses).
 */
@Injectable()
export class LicenseHoldersRepository {
  constructor(@InjectRepository(License) private readonly repo: Repository<License>) {}

  /** One page of the products (visible in the scope) the user holds a license for. */
  listUserProducts(
    scope: AccountScope,
    access: HeldProductAccess,
    userId: string,
    pagination: Pagination,
  ): Promise<ListResult<Product>> {
    const qb = this.userProducts(userId);
    whereInScope(qb, 'p', scope);
    if (access.kind === 'self') {
      qb.andWhere('p.id = :selfProductId', { selfProductId: access.id });
    }
    return paginate(qb, 'p', pagination);
  }

  /** A product of the user's licenses by id, anywhere in the account (the rule checks the environment). */
  findUserProduct(scope: AccountScope, userId: string, id: string): Promise<Product | null> {
    if (!isUuidLike(id)) {
      return Promise.resolve(null);
    }
    return this.userProducts(userId)
      .andWhere('p.account_id = :accountId AND p.id = :productId', {
        accountId: scope.accountId,
        productId: normalizeUuid(id),
      })
      .getOne();
  }

  /**
   * `{id|email}` (e-mail matched exactly) among the owners and licensees of a
   * product's licenses, anywhere in the account; oldest match first.
   */
  findProductUser(scope: AccountScope, productId: string, value: string): Promise<User | null> {
    if (value === '') {
      return Promise.resolve(null);
    }
    const qb = this.repo.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere(HOLDS_PRODUCT(':productId', 'u.id'), { productId });
    if (isUuidLike(value)) {
      qb.andWhere('(u.id = :aliasId OR u.email = :alias)', {
        aliasId: normalizeUuid(value),
        alias: value,
      });
    } else {
      qb.andWhere('u.email = :alias', { alias: value });
    }
    return qb.orderBy('u.createdAt', 'ASC').limit(1).getOne();
  }

  private userProducts(userId: string): SelectQueryBuilder<Product> {
    return this.repo.manager
      .getRepository(Product)
      .createQueryBuilder('p')
      .where(HOLDS_PRODUCT('p.id', ':holderId'), { holderId: userId });
  }
}
