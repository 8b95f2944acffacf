import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { AccountScope } from '@app/common/context/request-context';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { Group } from '@app/modules/groups/group.entity';
import { Policy } from '@app/modules/policies/policy.entity';
import { Product } from '@app/modules/products/product.entity';
import { User } from '@app/modules/users/user.entity';
import { License } from '../license.entity';

/**
 * SQL of the license's to-one relationships (policy, product, owner, group) and of
 * their changes. Lookups by id are account-wide (Keygen's `current_account.x.find_by`);
 * the routes' rules decide what the environment allows.
 */
@Injectable()
export class LicenseRelationshipsRepository {
  constructor(@InjectRepository(License) private readonly licenses: Repository<License>) {}

  private mgr(m?: EntityManager): EntityManager {
    return m ?? this.licenses.manager;
  }

  policyInAccount(scope: AccountScope, id: string, m?: EntityManager): Promise<Policy | null> {
    return isUuidLike(id)
      ? this.mgr(m)
          .getRepository(Policy)
          .findOneBy({ accountId: scope.accountId, id: normalizeUuid(id) })
      : Promise.resolve(null);
  }

  productInAccount(scope: AccountScope, id: string, m?: EntityManager): Promise<Product | null> {
    return this.mgr(m).getRepository(Product).findOneBy({ accountId: scope.accountId, id });
  }

  userInAccount(scope: AccountScope, id: string, m?: EntityManager): Promise<User | null> {
    return isUuidLike(id)
      ? this.mgr(m)
          .getRepository(User)
          .findOneBy({ accountId: scope.accountId, id: normalizeUuid(id) })
      : Promise.resolve(null);
  }

  groupInAccount(scope: AccountScope, id: string, m?: EntityManager): Promise<Group | null> {
    return isUuidLike(id)
      ? this.mgr(m)
          .getRepository(Group)
          .findOneBy({ accountId: scope.accountId, id: normalizeUuid(id) })
      : Promise.resolve(null);
  }

  /**
   * The group row locked until the transaction ends, so concurrent joins serialise on
   * it while its license limit is checked; null when the account has no such group.
   */
  lockGroup(m: EntityManager, scope: AccountScope, id: string): Promise<Group | null> {
    return m
      .getRepository(Group)
      .createQueryBuilder('g')
      .where('g.account_id = :accountId AND g.id = :id', { accountId: scope.accountId, id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async countGroupLicenses(
    m: EntityManager,
    scope: AccountScope,
    groupId: string,
  ): Promise<number> {
    const rows: Array<{ n: number }> = await m.query(
      'SELECT count(*)::int AS n FROM licenses WHERE account_id = $1 AND group_id = $2',
      [scope.accountId, groupId],
    );
    return rows[0].n;
  }

  /** The licensees' user ids (owner excluded). */
  async licenseeIds(m: EntityManager, licenseId: string): Promise<Set<string>> {
    const rows: Array<{ user_id: string }> = await m.query(
      'SELECT user_id FROM license_users WHERE license_id = $1',
      [licenseId],
    );
    return new Set(rows.map((r) => r.user_id));
  }

  /** Moves the license (and its machines) to `policy` and its product. */
  async transfer(
    m: EntityManager,
    scope: AccountScope,
    licenseId: string,
    policy: Pick<Policy, 'id' | 'productId'>,
    patch: Pick<License, 'expiry' | 'updatedAt'>,
  ): Promise<void> {
    await m.getRepository(License).update(
      { accountId: scope.accountId, id: licenseId },
      {
        policyId: policy.id,
        productId: policy.productId,
        expiry: patch.expiry,
        updatedAt: patch.updatedAt,
      },
    );
    await m.query(
      'UPDATE machines SET policy_id = $3, product_id = $4 WHERE account_id = $1 AND license_id = $2',
      [scope.accountId, licenseId, policy.id, policy.productId],
    );
  }

  async setOwnerAndGroup(
    m: EntityManager,
    scope: AccountScope,
    licenseId: string,
    patch: Pick<License, 'ownerId' | 'groupId' | 'updatedAt'>,
  ): Promise<void> {
    await m.getRepository(License).update({ accountId: scope.accountId, id: licenseId }, patch);
  }

  async setGroup(
    m: EntityManager,
    scope: AccountScope,
    licenseId: string,
    patch: Pick<License, 'groupId' | 'updatedAt'>,
  ): Promise<void> {
    await m.getRepository(License).update({ accountId: scope.accountId, id: licenseId }, patch);
  }
}
