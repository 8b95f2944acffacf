import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { MachineProcess } from '@app/modules/machines/machine.entity';
import { PROCESS_DEAD_SQL } from './processes.repository';

/** A process claimed by a cull sweep. */
export interface ClaimedProcess {
  id: string;
  accountId: string;
  claim: Date;
}

/**
 * Process heartbeat writes (ping, resurrection) and the culling claims (spec 03
 * §3.4, 07 §2.2). Transitions are conditional updates on the values the caller read,
 * so two racing requests or jobs cannot both make the same transition.
 */
@Injectable()
export class ProcessHeartbeatsRepository {
  constructor(
    @InjectRepository(MachineProcess) private readonly repo: Repository<MachineProcess>,
  ) {}

  /** A ping: lastHeartbeat = now, the monitor's claim released. False when the process is gone. */
  async ping(id: string, now: Date): Promise<boolean> {
    return this.changed(
      `UPDATE machine_processes SET last_heartbeat_at = $2, heartbeat_claimed_until = NULL, updated_at = $2
        WHERE id = $1 RETURNING id`,
      [id, now],
    );
  }

  /**
   * Revives a dead process, also clearing the death marker; false when another
   * request changed its heartbeat since `previous` was read (or it is gone).
   */
  resurrect(id: string, previous: Date, now: Date): Promise<boolean> {
    return this.changed(
      `UPDATE machine_processes SET last_heartbeat_at = $2, last_death_event_sent_at = NULL,
              heartbeat_claimed_until = NULL, updated_at = $2
        WHERE id = $1 AND last_heartbeat_at = $3 RETURNING id`,
      [id, now, previous],
    );
  }

  /**
   * Claims up to `limit` DEAD processes nobody holds (no claim, or a lapsed one) until
   * `until`, optionally in one account. Rows another sweep is claiming are skipped,
   * so overlapping sweeps split the work instead of doubling it.
   */
  async claimDead(
    now: Date,
    until: Date,
    limit: number,
    accountId: string | null = null,
  ): Promise<ClaimedProcess[]> {
    const rows = await this.returning<{
      id: string;
      account_id: string;
      heartbeat_claimed_until: Date;
    }>(
      `WITH dead AS (
         SELECT mp.id FROM machine_processes mp
           JOIN machines m ON m.id = mp.machine_id
           JOIN policies p ON p.id = m.policy_id
          WHERE (mp.heartbeat_claimed_until IS NULL OR mp.heartbeat_claimed_until < $1)
            AND ${PROCESS_DEAD_SQL('$1')}
            AND ($4::uuid IS NULL OR mp.account_id = $4)
          LIMIT $3
          FOR UPDATE OF mp SKIP LOCKED)
       UPDATE machine_processes mp SET heartbeat_claimed_until = $2 FROM dead WHERE mp.id = dead.id
       RETURNING mp.id, mp.account_id, mp.heartbeat_claimed_until`,
      [now, until, limit, accountId],
    );
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      claim: r.heartbeat_claimed_until,
    }));
  }

  /** Records the death; true only for the one caller that recorded it (dead event once). */
  markDeathNotified(id: string, now: Date): Promise<boolean> {
    return this.changed(
      `UPDATE machine_processes SET last_death_event_sent_at = $2
        WHERE id = $1 AND last_death_event_sent_at IS NULL RETURNING id`,
      [id, now],
    );
  }

  /** Moves the claim, if this job still holds it. */
  async moveClaim(id: string, claim: Date, until: Date | null): Promise<void> {
    await this.repo.query(
      `UPDATE machine_processes SET heartbeat_claimed_until = $3
        WHERE id = $1 AND heartbeat_claimed_until = $2`,
      [id, claim, until],
    );
  }

  /** Culls the process unless it was pinged since the check read it. True when deleted. */
  deleteIfUnchanged(id: string, lastHeartbeatAt: Date): Promise<boolean> {
    return this.changed(
      `DELETE FROM machine_processes WHERE id = $1 AND last_heartbeat_at = $2 RETURNING id`,
      [id, lastHeartbeatAt],
    );
  }

  private async changed(sql: string, params: unknown[]): Promise<boolean> {
    return (await this.returning(sql, params)).length > 0;
  }

  /** pg's UPDATE/DELETE … RETURNING comes back from TypeORM as `[rows, count]`. */
  private async returning<T>(sql: string, params: unknown[]): Promise<T[]> {
    const result: unknown = await this.repo.query(sql, params);
    if (
      Array.isArray(result) &&
      result.length === 2 &&
      Array.isArray(result[0]) &&
      typeof result[1] === 'number'
    ) {
      return result[0] as T[];
    }
    return Array.isArray(result) ? (result as T[]) : [];
  }
}
