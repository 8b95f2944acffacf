import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import { whereSatisfies, type SqlPredicate } from '@app/common/database/sql-predicate';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { Product } from './product.entity';
import type { ProductAccess } from './product.policy';

/**
 * All SQL for products. Lookups and lists are visible-in-scope (spec 01 §3.3) and
 * within the bearer's access; the account-wide reads say so in their name.
 */
@Injectable()
export class ProductsRepository {
  constructor(@InjectRepository(Product) private readonly repo: Repository<Product>) {}

  private scoped(scope: AccountScope, access: ProductAccess): SelectQueryBuilder<Product> {
    const qb = whereInScope(this.repo.createQueryBuilder('p'), 'p', scope);
    switch (access.kind) {
      case 'all':
        break;
      case 'self':
        qb.andWhere('p.id = :selfId', { selfId: access.id });
        break;
      case 'open': {
        if (access.held.length === 0) {
          qb.andWhere("p.distribution_strategy = 'OPEN'");
          break;
        }
        const licensed = access.heldLicensedOnly
          ? " AND (p.distribution_strategy IS NULL OR p.distribution_strategy = 'LICENSED')"
          : '';
        qb.andWhere(`(p.distribution_strategy = 'OPEN' OR (p.id IN (:...heldIds)${licensed}))`, {
          heldIds: [...access.held],
        });
        break;
      }
    }
    return qb;
  }

  /**
   * `{id|code}` lookup (spec 00 §1.2): a UUID-looking value matches id or code, anything
   * else the code only (exact). Oldest match wins.
   */
  findByAlias(scope: AccountScope, access: ProductAccess, value: string): Promise<Product | null> {
    const qb = this.scoped(scope, access);
    if (isUuidLike(value)) {
      qb.andWhere('(p.id = :aliasId OR p.code = :alias)', {
        aliasId: normalizeUuid(value),
        alias: value,
      });
    } else {
      qb.andWhere('p.code = :alias', { alias: value });
    }
    return qb.orderBy('p.createdAt', 'ASC').limit(1).getOne();
  }

  /** By id anywhere in the account, any environment (bearers, relationship targets). */
  findByIdInAccount(scope: AccountScope, id: string): Promise<Product | null> {
    return this.repo.findOneBy({ accountId: scope.accountId, id });
  }

  list(
    scope: AccountScope,
    access: ProductAccess,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<Product>> {
    return paginate(whereSatisfies(this.scoped(scope, access), 'p', search), 'p', pagination);
  }

  /** Case-insensitive, across the whole account (the unique index is on lower(code)). */
  async codeTakenInAccount(scope: AccountScope, code: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo
      .createQueryBuilder('p')
      .where('p.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('lower(p.code) = lower(:code)', { code });
    if (exceptId) {
      qb.andWhere('p.id <> :exceptId', { exceptId });
    }
    return (await qb.getCount()) > 0;
  }

  async insert(scope: AccountScope, product: Product): Promise<void> {
    await this.repo.insert(row({ ...product, accountId: scope.accountId }));
  }

  async update(scope: AccountScope, id: string, patch: Partial<Product>): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, row(patch));
  }

  /**
   * Deletes the product with its tokens; its policies (and their attachments) go with
   * it through the foreign keys. NOTE: licenses and releases join this when they exist.
   */
  async delete(scope: AccountScope, id: string, m: EntityManager): Promise<void> {
    await m.query(
      `DELETE FROM tokens WHERE account_id = $1 AND bearer_type = 'products' AND bearer_id = $2`,
      [scope.accountId, id],
    );
    // Its licenses go through the foreign keys; their tokens' bearer link is polymorphic.
    await m.query(
      `DELETE FROM tokens WHERE account_id = $1 AND bearer_type = 'licenses'
         AND bearer_id IN (SELECT id FROM licenses WHERE account_id = $1 AND product_id = $2)`,
      [scope.accountId, id],
    );
    await m.getRepository(Product).delete({ accountId: scope.accountId, id });
  }
}

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function row(values: Partial<Product>): QueryDeepPartialEntity<Product> {
  return values as QueryDeepPartialEntity<Product>;
}
