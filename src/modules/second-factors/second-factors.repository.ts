import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { SecondFactor } from './second-factor.entity';
import type { SecondFactorAccess } from './second-factor.policy';

@Injectable()
export class SecondFactorsRepository {
  constructor(@InjectRepository(SecondFactor) private readonly repo: Repository<SecondFactor>) {}

  /** The user's second factor (one per user), whatever its environment. */
  findForUser(
    scope: AccountScope,
    userId: string,
    m?: EntityManager,
  ): Promise<SecondFactor | null> {
    return (m ? m.getRepository(SecondFactor) : this.repo).findOneBy({
      accountId: scope.accountId,
      userId,
    });
  }

  /** Records the last verified TOTP step (replay protection). */
  async markVerified(scope: AccountScope, id: string, step: number, now: Date): Promise<void> {
    await this.repo.update(
      { accountId: scope.accountId, id },
      { lastVerifiedStep: step, updatedAt: now },
    );
  }

  /** The user's factors visible in the scope and allowed by the bearer's access, newest first. */
  listForUser(
    scope: AccountScope,
    access: SecondFactorAccess,
    userId: string,
    pagination: Pagination,
  ): Promise<ListResult<SecondFactor>> {
    const qb = whereInScope(this.repo.createQueryBuilder('f'), 'f', scope).andWhere(
      'f.user_id = :userId',
      {
        userId,
      },
    );
    if (access.kind === 'user') {
      qb.andWhere('f.user_id = :accessUserId', { accessUserId: access.userId });
    } else if (access.kind === 'none') {
      qb.andWhere('1 = 0');
    }
    return paginate(qb, 'f', pagination);
  }

  /** One of the user's factors by id (ids only: anything else matches nothing). */
  async findByIdForUser(
    scope: AccountScope,
    userId: string,
    id: string,
  ): Promise<SecondFactor | null> {
    if (!isUuidLike(id)) {
      return null;
    }
    return this.repo.findOneBy({ accountId: scope.accountId, userId, id: normalizeUuid(id) });
  }

  async insert(scope: AccountScope, factor: SecondFactor): Promise<void> {
    const { otpSecret: _secret, userEmail: _email, ...row } = factor;
    await this.repo.insert({ ...row, accountId: scope.accountId });
  }

  async setEnabled(scope: AccountScope, id: string, enabled: boolean, now: Date): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, { enabled, updatedAt: now });
  }

  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.repo.delete({ accountId: scope.accountId, id });
  }
}
