import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccountScope } from '@app/common/context/request-context';
import { License } from '../license.entity';

/** The row, `null` when it is gone, or `'busy'` when another transaction holds its lock. */
export type LockedLicense = License | null | 'busy';

/** Row locks for the usage actions (spec 02 §8). */
@Injectable()
export class LicenseActionsRepository {
  /**
   * Locks the license row without waiting, inside the caller's transaction: Keygen
   * answers a concurrent usage change with 409 instead of queueing it behind the lock
   * (`FOR UPDATE NOWAIT`). NOTE: `SKIP LOCKED` plus an existence check gives the same
   * answer without a failed statement, which would abort the transaction and log the
   * query as an error on every conflict.
   */
  async tryLock(m: EntityManager, scope: AccountScope, id: string): Promise<LockedLicense> {
    const repo = m.getRepository(License);
    const row = await repo
      .createQueryBuilder('l')
      .where('l.account_id = :accountId AND l.id = :id', { accountId: scope.accountId, id })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
    if (row) {
      return row;
    }
    return (await repo.existsBy({ accountId: scope.accountId, id })) ? 'busy' : null;
  }
}
