import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import { whereSatisfies, type SqlPredicate } from '@app/common/database/sql-predicate';
import type { ListResult } from '@app/common/http/render';
import { Policy } from './policy.entity';
import type { PolicyAccess } from './policy.policy';

/** `GET /policies` filters: `product` (a UUID; anything else matches nothing). */
export interface PolicyListFilters {
  /** undefined = no filter; null = a filter no policy can match. */
  productId?: string | null;
}

/** All SQL for policies; lookups are visible-in-scope and within the bearer's access. */
@Injectable()
export class PoliciesRepository {
  constructor(@InjectRepository(Policy) private readonly repo: Repository<Policy>) {}

  private scoped(scope: AccountScope, access: PolicyAccess): SelectQueryBuilder<Policy> {
    const qb = whereInScope(this.repo.createQueryBuilder('p'), 'p', scope);
    switch (access.kind) {
      case 'all':
        break;
      case 'product':
        qb.andWhere('p.product_id = :accessProductId', { accessProductId: access.productId });
        break;
      case 'ids':
        if (access.ids.length === 0) {
          qb.andWhere('1 = 0');
        } else {
          qb.andWhere('p.id IN (:...accessIds)', { accessIds: [...access.ids] });
        }
        break;
    }
    return qb;
  }

  /** By (normalised) id within the scope and access. */
  findVisible(scope: AccountScope, access: PolicyAccess, id: string): Promise<Policy | null> {
    return this.scoped(scope, access).andWhere('p.id = :id', { id }).getOne();
  }

  /** By (normalised) id anywhere in the account (any environment): relationship targets. */
  findByIdInAccount(scope: AccountScope, id: string): Promise<Policy | null> {
    return this.repo.findOneBy({ accountId: scope.accountId, id });
  }

  /** One of a product's policies in any environment (nested show checks it afterwards). */
  findOfProduct(scope: AccountScope, productId: string, id: string): Promise<Policy | null> {
    return this.repo.findOneBy({ accountId: scope.accountId, productId, id });
  }

  list(
    scope: AccountScope,
    access: PolicyAccess,
    filters: PolicyListFilters,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<Policy>> {
    const qb = whereSatisfies(this.scoped(scope, access), 'p', search);
    if (filters.productId === null) {
      qb.andWhere('1 = 0');
    } else if (filters.productId !== undefined) {
      qb.andWhere('p.product_id = :productId', { productId: filters.productId });
    }
    return paginate(qb, 'p', pagination);
  }

  async insert(scope: AccountScope, policy: Policy): Promise<void> {
    await this.repo.insert(row({ ...policy, accountId: scope.accountId }));
  }

  async update(scope: AccountScope, id: string, patch: Partial<Policy>): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, row(patch));
  }

  /**
   * Deletes the policy; its entitlement attachments go with it through the foreign
   * key. NOTE: licenses, machines and pool keys join this when those modules exist.
   */
  get manager(): EntityManager {
    return this.repo.manager;
  }

  /** Licenses, machines and pool keys go through the foreign keys; license tokens explicitly. */
  async delete(scope: AccountScope, id: string, m?: EntityManager): Promise<void> {
    const mgr = m ?? this.repo.manager;
    await mgr.query(
      `DELETE FROM tokens WHERE account_id = $1 AND bearer_type = 'licenses'
         AND bearer_id IN (SELECT id FROM licenses WHERE account_id = $1 AND policy_id = $2)`,
      [scope.accountId, id],
    );
    await mgr.getRepository(Policy).delete({ accountId: scope.accountId, id });
  }
}

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function row(values: Partial<Policy>): QueryDeepPartialEntity<Policy> {
  return values as QueryDeepPartialEntity<Policy>;
}
