import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { AccountScope } from '@app/common/context/request-context';
import { SecondFactor } from './second-factor.entity';

@Injectable()
export class SecondFactorsRepository {
  constructor(@InjectRepository(SecondFactor) private readonly repo: Repository<SecondFactor>) {}

  /** The user's second factor (one per user), whatever its environment. */
  findForUser(scope: AccountScope, userId: string, m?: EntityManager): Promise<SecondFactor | null> {
    return (m ? m.getRepository(SecondFactor) : this.repo).findOneBy({ accountId: scope.accountId, userId });
  }

  /** Records the last verified TOTP step (replay protection). */
  async markVerified(scope: AccountScope, id: string, step: number, now: Date): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, { lastVerifiedStep: step, updatedAt: now });
  }
}
