import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { Account } from './account.entity';

/** Accounts are the root of every scope, so these lookups take no AccountScope. */
@Injectable()
export class AccountsRepository {
  constructor(@InjectRepository(Account) private readonly repo: Repository<Account>) {}

  /** UUID-looking values match id or slug, others slug only; the oldest match wins. */
  async findByIdOrSlug(value: string): Promise<Account | null> {
    const qb = this.repo.createQueryBuilder('a');
    if (isUuidLike(value)) {
      qb.where('(a.id = :id OR lower(a.slug) = lower(:slug))', { id: normalizeUuid(value), slug: value });
    } else {
      qb.where('lower(a.slug) = lower(:slug)', { slug: value });
    }
    return qb.orderBy('a.createdAt', 'ASC').limit(1).getOne();
  }

  findById(id: string): Promise<Account | null> {
    return this.repo.findOneBy({ id });
  }

  async slugTaken(slug: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo.createQueryBuilder('a').where('lower(a.slug) = lower(:slug)', { slug });
    if (exceptId) {
      qb.andWhere('a.id <> :exceptId', { exceptId });
    }
    return (await qb.getCount()) > 0;
  }

  async count(): Promise<number> {
    return this.repo.count();
  }

  async oldest(): Promise<Account | null> {
    return this.repo.createQueryBuilder('a').orderBy('a.createdAt', 'ASC').limit(1).getOne();
  }

  async insert(m: EntityManager, account: Account): Promise<Account> {
    await m.getRepository(Account).insert(account);
    return account;
  }

  async update(id: string, patch: Partial<Account>): Promise<void> {
    await this.repo.update({ id }, patch);
  }
}
