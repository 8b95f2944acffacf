import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { LicenseEntitlement } from '../license.entity';

const EFFECTIVE = `(EXISTS (SELECT 1 FROM policy_entitlements pe WHERE pe.entitlement_id = e.id AND pe.policy_id = :lePolicyId)
  OR EXISTS (SELECT 1 FROM license_entitlements le WHERE le.entitlement_id = e.id AND le.license_id = :leLicenseId))`;

/**
 * SQL of a license's effective entitlements (its policy's ∪ its own, spec 02 §10.4)
 * and of the license-entitlements join rows.
 */
@Injectable()
export class LicenseEntitlementsRepository {
  constructor(
    @InjectRepository(LicenseEntitlement) private readonly repo: Repository<LicenseEntitlement>,
  ) {}

  /** One page of the effective entitlements visible in the scope. */
  list(
    scope: AccountScope,
    license: { id: string; policyId: string },
    pagination: Pagination,
  ): Promise<ListResult<Entitlement>> {
    const qb = whereInScope(
      this.repo.manager.getRepository(Entitlement).createQueryBuilder('e'),
      'e',
      scope,
    ).andWhere(EFFECTIVE, { lePolicyId: license.policyId, leLicenseId: license.id });
    return paginate(qb, 'e', pagination);
  }

  /** One effective entitlement by id (any environment of the account). */
  find(
    scope: AccountScope,
    license: { id: string; policyId: string },
    id: string,
  ): Promise<Entitlement | null> {
    return this.repo.manager
      .getRepository(Entitlement)
      .createQueryBuilder('e')
      .where('e.account_id = :accountId AND e.id = :id', { accountId: scope.accountId, id })
      .andWhere(EFFECTIVE, { lePolicyId: license.policyId, leLicenseId: license.id })
      .getOne();
  }

  /** Entitlements of the account with these ids (any environment). */
  entitlementsInAccount(scope: AccountScope, ids: readonly string[]): Promise<Entitlement[]> {
    return this.repo.manager
      .getRepository(Entitlement)
      .createQueryBuilder('e')
      .where('e.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('e.id IN (:...ids)', { ids: [...new Set(ids)] })
      .getMany();
  }

  /** Which of these entitlements the policy carries. */
  async ofPolicy(m: EntityManager, policyId: string, ids: readonly string[]): Promise<Set<string>> {
    const rows: Array<{ entitlement_id: string }> = await m.query(
      'SELECT entitlement_id FROM policy_entitlements WHERE policy_id = $1 AND entitlement_id = ANY($2::uuid[])',
      [policyId, [...new Set(ids)]],
    );
    return new Set(rows.map((r) => r.entitlement_id));
  }

  /** The license's own join rows for these entitlements. */
  attached(
    m: EntityManager,
    licenseId: string,
    ids: readonly string[],
  ): Promise<LicenseEntitlement[]> {
    return m
      .getRepository(LicenseEntitlement)
      .createQueryBuilder('le')
      .where('le.license_id = :licenseId', { licenseId })
      .andWhere('le.entitlement_id IN (:...ids)', { ids: [...new Set(ids)] })
      .getMany();
  }

  async insert(m: EntityManager, scope: AccountScope, rows: LicenseEntitlement[]): Promise<void> {
    if (rows.some((r) => r.accountId !== scope.accountId)) {
      throw new Error('license entitlement account does not match the scope');
    }
    await m.getRepository(LicenseEntitlement).insert(rows);
  }

  async delete(
    m: EntityManager,
    scope: AccountScope,
    rows: readonly LicenseEntitlement[],
  ): Promise<void> {
    if (rows.length > 0) {
      await m
        .getRepository(LicenseEntitlement)
        .createQueryBuilder()
        .delete()
        .where('account_id = :accountId', { accountId: scope.accountId })
        .andWhere('id IN (:...ids)', { ids: rows.map((r) => r.id) })
        .execute();
    }
  }
}
