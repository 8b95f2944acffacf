import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { Environment } from './environment.entity';

@Injectable()
export class EnvironmentsRepository {
  constructor(@InjectRepository(Environment) readonly repo: Repository<Environment>) {}

  /** Exact id (UUID-looking values) or exact code within the account. */
  async findByIdOrCode(accountId: string, value: string): Promise<Environment | null> {
    const qb = this.repo.createQueryBuilder('e').where('e.account_id = :accountId', { accountId });
    if (isUuidLike(value)) {
      qb.andWhere('(e.id = :id OR e.code = :code)', { id: normalizeUuid(value), code: value });
    } else {
      qb.andWhere('e.code = :code', { code: value });
    }
    return qb.orderBy('e.createdAt', 'ASC').limit(1).getOne();
  }

  findById(accountId: string, id: string): Promise<Environment | null> {
    return this.repo.findOneBy({ accountId, id });
  }
}
