import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { PolicyEntitlement } from './policy-entitlement.entity';

/** All SQL for the policy-entitlements join table (and the entitlements read through it). */
@Injectable()
export class PolicyEntitlementsRepository {
  constructor(
    @InjectRepository(PolicyEntitlement) private readonly repo: Repository<PolicyEntitlement>,
  ) {}

  /** The policy's entitlements visible in the scope, in the entitlements' default order. */
  listEntitlements(
    scope: AccountScope,
    policyId: string,
    pagination: Pagination,
  ): Promise<ListResult<Entitlement>> {
    const qb = this.repo.manager
      .getRepository(Entitlement)
      .createQueryBuilder('e')
      .innerJoin(
        PolicyEntitlement,
        'pe',
        'pe.entitlement_id = e.id AND pe.policy_id = :policyId AND pe.account_id = e.account_id',
        { policyId },
      );
    return paginate(whereInScope(qb, 'e', scope), 'e', pagination);
  }

  /** One of the policy's entitlements, in any environment of the account. */
  findEntitlement(
    scope: AccountScope,
    policyId: string,
    entitlementId: string,
  ): Promise<Entitlement | null> {
    return this.repo.manager
      .getRepository(Entitlement)
      .createQueryBuilder('e')
      .innerJoin(PolicyEntitlement, 'pe', 'pe.entitlement_id = e.id AND pe.policy_id = :policyId', {
        policyId,
      })
      .where('e.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('e.id = :entitlementId', { entitlementId })
      .getOne();
  }

  /** The policy's join rows for these entitlements (any environment). */
  findAttached(
    scope: AccountScope,
    policyId: string,
    entitlementIds: readonly string[],
    m?: EntityManager,
  ): Promise<PolicyEntitlement[]> {
    if (entitlementIds.length === 0) {
      return Promise.resolve([]);
    }
    return (m ? m.getRepository(PolicyEntitlement) : this.repo)
      .createQueryBuilder('pe')
      .where('pe.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('pe.policy_id = :policyId', { policyId })
      .andWhere('pe.entitlement_id IN (:...entitlementIds)', {
        entitlementIds: [...entitlementIds],
      })
      .getMany();
  }

  async insertMany(
    scope: AccountScope,
    rows: PolicyEntitlement[],
    m: EntityManager,
  ): Promise<void> {
    if (rows.some((r) => r.accountId !== scope.accountId)) {
      throw new Error('policy entitlement account does not match the scope');
    }
    await m.getRepository(PolicyEntitlement).insert(rows);
  }

  async deleteMany(scope: AccountScope, ids: readonly string[], m: EntityManager): Promise<void> {
    if (ids.length > 0) {
      await m
        .getRepository(PolicyEntitlement)
        .createQueryBuilder()
        .delete()
        .where('account_id = :accountId', { accountId: scope.accountId })
        .andWhere('id IN (:...ids)', { ids: [...ids] })
        .execute();
    }
  }
}
