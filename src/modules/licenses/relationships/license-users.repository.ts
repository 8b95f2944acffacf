import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { User } from '@app/modules/users/user.entity';
import { LicenseUser } from '../license.entity';

/** Whose users a bearer may list: everyone's, or (products) only `user`-role users. */
export type LicenseUsersAccess = { kind: 'all' } | { kind: 'role-user' };

/** SQL of a license's users (owner ∪ licensees) and of the license-users join rows. */
@Injectable()
export class LicenseUsersRepository {
  constructor(@InjectRepository(LicenseUser) private readonly repo: Repository<LicenseUser>) {}

  /** Users of the license: its owner or a licensee. */
  private ofLicense(
    qb: SelectQueryBuilder<User>,
    license: { id: string; ownerId: string | null },
  ): SelectQueryBuilder<User> {
    return qb.andWhere(
      '(u.id = :luOwnerId OR EXISTS (SELECT 1 FROM license_users lu WHERE lu.license_id = :luLicenseId AND lu.user_id = u.id))',
      { luOwnerId: license.ownerId, luLicenseId: license.id },
    );
  }

  /** One page of the license's users visible in the scope. */
  list(
    scope: AccountScope,
    license: { id: string; ownerId: string | null },
    access: LicenseUsersAccess,
    pagination: Pagination,
  ): Promise<ListResult<User>> {
    const qb = this.ofLicense(
      whereInScope(this.repo.manager.getRepository(User).createQueryBuilder('u'), 'u', scope),
      license,
    );
    if (access.kind === 'role-user') {
      qb.andWhere("u.role = 'user'");
    }
    return paginate(qb, 'u', pagination);
  }

  /** `{id|email}` among the license's users (any environment); the oldest match wins. */
  find(
    scope: AccountScope,
    license: { id: string; ownerId: string | null },
    value: string,
  ): Promise<User | null> {
    const qb = this.ofLicense(
      this.repo.manager
        .getRepository(User)
        .createQueryBuilder('u')
        .where('u.account_id = :accountId', { accountId: scope.accountId }),
      license,
    );
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

  /** Users of the account with these ids (any environment). */
  usersInAccount(scope: AccountScope, ids: readonly string[]): Promise<User[]> {
    return this.repo.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('u.id IN (:...ids)', { ids: [...new Set(ids)] })
      .getMany();
  }

  /** Every join row of the license. */
  attachedAll(m: EntityManager, licenseId: string): Promise<LicenseUser[]> {
    return m.getRepository(LicenseUser).findBy({ licenseId });
  }

  /** The license's join rows for these users. */
  attached(
    m: EntityManager,
    licenseId: string,
    userIds: readonly string[],
  ): Promise<LicenseUser[]> {
    return m
      .getRepository(LicenseUser)
      .createQueryBuilder('lu')
      .where('lu.license_id = :licenseId', { licenseId })
      .andWhere('lu.user_id IN (:...userIds)', { userIds: [...new Set(userIds)] })
      .getMany();
  }

  async insert(m: EntityManager, scope: AccountScope, rows: LicenseUser[]): Promise<void> {
    if (rows.some((r) => r.accountId !== scope.accountId)) {
      throw new Error('license user account does not match the scope');
    }
    await m.getRepository(LicenseUser).insert(rows);
  }

  /**
   * Removes the join rows; machines of the license owned by those users lose their
   * owner (Keygen's LicenseUser#nullify_machines_for_user).
   */
  async detach(
    m: EntityManager,
    scope: AccountScope,
    licenseId: string,
    rows: readonly LicenseUser[],
  ): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await m
      .getRepository(LicenseUser)
      .createQueryBuilder()
      .delete()
      .where('account_id = :accountId', { accountId: scope.accountId })
      .andWhere('id IN (:...ids)', { ids: rows.map((r) => r.id) })
      .execute();
    await m.query(
      'UPDATE machines SET owner_id = NULL WHERE account_id = $1 AND license_id = $2 AND owner_id = ANY($3::uuid[])',
      [scope.accountId, licenseId, rows.map((r) => r.userId)],
    );
  }
}
