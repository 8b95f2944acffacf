import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { AccountSetting } from './account-setting.entity';

/**
 * Settings belong to the account as a whole: they have no environment, so the scope
 * contributes only its account id.
 */
@Injectable()
export class AccountSettingsRepository {
  constructor(
    @InjectRepository(AccountSetting) private readonly repo: Repository<AccountSetting>,
  ) {}

  private forAccount(scope: AccountScope) {
    return this.repo
      .createQueryBuilder('s')
      .where('s.account_id = :accountId', { accountId: scope.accountId });
  }

  list(scope: AccountScope, pagination: Pagination): Promise<ListResult<AccountSetting>> {
    return paginate(this.forAccount(scope), 's', pagination);
  }

  /** `{id|key}`: UUID-looking values match id or key, others key only; the oldest wins. */
  findByIdOrKey(scope: AccountScope, value: string): Promise<AccountSetting | null> {
    const qb = this.forAccount(scope);
    if (isUuidLike(value)) {
      qb.andWhere('(s.id = :id OR s.key = :key)', { id: normalizeUuid(value), key: value });
    } else {
      qb.andWhere('s.key = :key', { key: value });
    }
    return qb.orderBy('s.createdAt', 'ASC').limit(1).getOne();
  }

  findByKey(scope: AccountScope, key: string): Promise<AccountSetting | null> {
    return this.forAccount(scope).andWhere('s.key = :key', { key }).getOne();
  }

  async keyTaken(scope: AccountScope, key: string): Promise<boolean> {
    return (await this.forAccount(scope).andWhere('s.key = :key', { key }).getCount()) > 0;
  }

  async insert(setting: AccountSetting): Promise<void> {
    // `value` is free-form JSON (`unknown`), which TypeORM's insert typing cannot express.
    await this.repo.insert(setting as never);
  }

  async updateValue(
    scope: AccountScope,
    id: string,
    value: unknown,
    updatedAt: Date,
  ): Promise<void> {
    await this.repo.update(
      { id, accountId: scope.accountId },
      { value: value as never, updatedAt },
    );
  }

  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.repo.delete({ id, accountId: scope.accountId });
  }
}
