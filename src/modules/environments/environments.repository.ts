import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { User } from '@app/modules/users/user.entity';
import { Environment } from './environment.entity';
import type { EnvironmentAccess } from './environment.policy';

/**
 * All SQL for environments. Environments belong to the account only (they are
 * what the environment rule selects), so only `scope.accountId` applies.
 */
@Injectable()
export class EnvironmentsRepository {
  constructor(@InjectRepository(Environment) readonly repo: Repository<Environment>) {}

  /** Exact id (UUID-looking values) or exact code within the account. */
  findByIdOrCode(accountId: string, value: string): Promise<Environment | null> {
    return this.byIdOrCode(accountId, value, null);
  }

  findById(accountId: string, id: string): Promise<Environment | null> {
    return this.repo.findOneBy({ accountId, id });
  }

  /** By id or code among the environments the bearer may address (oldest match wins). */
  async findAccessible(
    scope: AccountScope,
    access: EnvironmentAccess,
    value: string,
  ): Promise<Environment | null> {
    if (access.kind === 'none') {
      return null;
    }
    return this.byIdOrCode(scope.accountId, value, access.kind === 'self' ? access.id : null);
  }

  private byIdOrCode(
    accountId: string,
    value: string,
    onlyId: string | null,
  ): Promise<Environment | null> {
    const qb = this.repo.createQueryBuilder('e').where('e.account_id = :accountId', { accountId });
    if (isUuidLike(value)) {
      qb.andWhere('(e.id = :id OR e.code = :code)', { id: normalizeUuid(value), code: value });
    } else {
      qb.andWhere('e.code = :code', { code: value });
    }
    if (onlyId !== null) {
      qb.andWhere('e.id = :onlyId', { onlyId });
    }
    return qb.orderBy('e.createdAt', 'ASC').limit(1).getOne();
  }

  list(
    scope: AccountScope,
    access: EnvironmentAccess,
    pagination: Pagination,
  ): Promise<ListResult<Environment>> {
    const qb = this.repo
      .createQueryBuilder('e')
      .where('e.account_id = :accountId', { accountId: scope.accountId });
    if (access.kind === 'self') {
      qb.andWhere('e.id = :id', { id: access.id });
    } else if (access.kind === 'none') {
      qb.andWhere('false');
    }
    return paginate(qb, 'e', pagination);
  }

  /** Case-insensitive, per account (the unique index is on lower(code)). */
  async codeTaken(scope: AccountScope, code: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo
      .createQueryBuilder('e')
      .where('e.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('lower(e.code) = lower(:code)', { code });
    if (exceptId) {
      qb.andWhere('e.id <> :exceptId', { exceptId });
    }
    return (await qb.getCount()) > 0;
  }

  async insert(scope: AccountScope, m: EntityManager, env: Environment): Promise<Environment> {
    await m.getRepository(Environment).insert({ ...env, accountId: scope.accountId });
    return env;
  }

  async update(scope: AccountScope, id: string, patch: Partial<Environment>): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, patch);
  }

  /** Deleting the row cascades to every record of the environment (foreign keys). */
  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.repo.delete({ accountId: scope.accountId, id });
  }

  /** Which of these (normalised) emails already belong to a user of the account, in any environment. */
  async takenEmails(scope: AccountScope, emails: readonly string[]): Promise<Set<string>> {
    if (emails.length === 0) {
      return new Set();
    }
    const rows = await this.repo.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .select('u.email', 'email')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('lower(u.email) IN (:...emails)', { emails })
      .getRawMany<{ email: string }>();
    return new Set(rows.map((r) => r.email.toLowerCase()));
  }

  /**
   * The founding admins of a new environment. The users module sits below this
   * one, so the rows are written here (a duplicate email fails the unique index → 409).
   */
  async insertUsers(scope: AccountScope, m: EntityManager, users: readonly User[]): Promise<void> {
    if (users.length > 0) {
      // save (not insert): TypeORM's insert typing rejects the jsonb metadata record.
      await m
        .getRepository(User)
        .save(users.map((u) => Object.assign(new User(), u, { accountId: scope.accountId })));
    }
  }
}
