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
import { Entitlement } from './entitlement.entity';
import type { EntitlementAccess } from './entitlement.policy';

/** All SQL for entitlements; lookups are visible-in-scope and within the bearer's access. */
@Injectable()
export class EntitlementsRepository {
  constructor(@InjectRepository(Entitlement) private readonly repo: Repository<Entitlement>) {}

  private scoped(scope: AccountScope, access: EntitlementAccess): SelectQueryBuilder<Entitlement> {
    const qb = whereInScope(this.repo.createQueryBuilder('e'), 'e', scope);
    if (access.kind === 'ids') {
      if (access.ids.length === 0) {
        qb.andWhere('1 = 0');
      } else {
        qb.andWhere('e.id IN (:...accessIds)', { accessIds: [...access.ids] });
      }
    }
    return qb;
  }

  /** `{id|code}` (spec 00 §1.2): UUID-looking values match id or code, others the code. */
  findByAlias(
    scope: AccountScope,
    access: EntitlementAccess,
    value: string,
  ): Promise<Entitlement | null> {
    const qb = this.scoped(scope, access);
    if (isUuidLike(value)) {
      qb.andWhere('(e.id = :aliasId OR e.code = :alias)', {
        aliasId: normalizeUuid(value),
        alias: value,
      });
    } else {
      qb.andWhere('e.code = :alias', { alias: value });
    }
    return qb.orderBy('e.createdAt', 'ASC').limit(1).getOne();
  }

  /** The entitlements with these ids anywhere in the account (any environment). */
  findManyInAccount(scope: AccountScope, ids: readonly string[]): Promise<Entitlement[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return this.repo
      .createQueryBuilder('e')
      .where('e.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('e.id IN (:...ids)', { ids: [...ids] })
      .getMany();
  }

  list(
    scope: AccountScope,
    access: EntitlementAccess,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<Entitlement>> {
    return paginate(whereSatisfies(this.scoped(scope, access), 'e', search), 'e', pagination);
  }

  async codeTakenInAccount(scope: AccountScope, code: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo
      .createQueryBuilder('e')
      .where('e.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('lower(e.code) = lower(:code)', { code });
    if (exceptId) {
      qb.andWhere('e.id <> :exceptId', { exceptId });
    }
    return (await qb.getCount()) > 0;
  }

  async insert(scope: AccountScope, e: Entitlement): Promise<void> {
    await this.repo.insert(row({ ...e, accountId: scope.accountId }));
  }

  async update(scope: AccountScope, id: string, patch: Partial<Entitlement>): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, row(patch));
  }

  /** Attachments to policies (and later licenses, releases) go with it through the foreign keys. */
  async delete(scope: AccountScope, id: string, m?: EntityManager): Promise<void> {
    await (m ? m.getRepository(Entitlement) : this.repo).delete({ accountId: scope.accountId, id });
  }
}

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function row(values: Partial<Entitlement>): QueryDeepPartialEntity<Entitlement> {
  return values as QueryDeepPartialEntity<Entitlement>;
}
