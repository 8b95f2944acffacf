import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { PreparedQueries } from '@app/common/database/prepared';
import { deadSql } from './machine-heartbeat';
import { Machine } from './machine.entity';

/** A machine claimed by a cull sweep. */
export interface ClaimedMachine {
  id: string;
  accountId: string;
  claim: Date;
}

/** Where the sweep finds DEAD machines (spec 03 §1.8.4), `$1` being now. */
const DEAD_SQL = deadSql('m', 'p', '$1::timestamptz');

/**
 * Heartbeat writes (ping, resurrection, reset) and the culling claims (spec 03 §1.8,
 * 07 §2.1). Transitions are conditional updates on the values the caller read, so
 * two racing requests or jobs cannot both make the same transition.
 */
@Injectable()
export class MachineHeartbeatsRepository {
  constructor(
    @InjectRepository(Machine) private readonly repo: Repository<Machine>,
    private readonly prepared: PreparedQueries,
  ) {}

  /**
   * A ping: lastHeartbeat = now, the monitor's claim released (a hot path: prepared).
   * False when the machine is gone (culled since it was read).
   */
  async ping(id: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.prepared.query(
      `UPDATE machines SET last_heartbeat_at = $2, heartbeat_claimed_until = NULL, updated_at = $2
        WHERE id = $1`,
      [id, now],
    );
    return rowCount > 0;
  }

  /**
   * Revives a dead machine, also clearing the death marker; false when another
   * request changed its heartbeat since `previous` was read.
   */
  async resurrect(id: string, previous: Date | null, now: Date): Promise<boolean> {
    const { rowCount } = await this.prepared.query(
      `UPDATE machines SET last_heartbeat_at = $2, last_death_event_sent_at = NULL,
              heartbeat_claimed_until = NULL, updated_at = $2
        WHERE id = $1 AND last_heartbeat_at IS NOT DISTINCT FROM $3::timestamptz`,
      [id, now, previous],
    );
    return rowCount > 0;
  }

  /** A reset: no heartbeat, no claim; the death marker stays. */
  async reset(id: string, now: Date): Promise<void> {
    await this.prepared.query(
      `UPDATE machines SET last_heartbeat_at = NULL, heartbeat_claimed_until = NULL, updated_at = $2
        WHERE id = $1`,
      [id, now],
    );
  }

  /**
   * Claims up to `limit` DEAD machines nobody holds (no claim, or a lapsed one) until
   * `until`. Rows another sweep is claiming are skipped, so overlapping sweeps split
   * the work instead of doubling it.
   */
  async claimDead(
    now: Date,
    until: Date,
    limit: number,
    accountId: string | null = null,
  ): Promise<ClaimedMachine[]> {
    const rows = (await this.repo.query(
      `WITH dead AS (
         SELECT m.id FROM machines m JOIN policies p ON p.id = m.policy_id
          WHERE (m.heartbeat_claimed_until IS NULL OR m.heartbeat_claimed_until < $1)
            AND ($4::uuid IS NULL OR m.account_id = $4::uuid)
            AND ${DEAD_SQL}
          LIMIT $3
          FOR UPDATE OF m SKIP LOCKED)
       UPDATE machines m SET heartbeat_claimed_until = $2 FROM dead WHERE m.id = dead.id
       RETURNING m.id, m.account_id, m.heartbeat_claimed_until`,
      [now, until, limit, accountId],
    )) as [Array<{ id: string; account_id: string; heartbeat_claimed_until: Date }>, number];
    return resultRows(rows).map((r) => {
      const row = r as { id: string; account_id: string; heartbeat_claimed_until: Date };
      return { id: row.id, accountId: row.account_id, claim: row.heartbeat_claimed_until };
    });
  }

  /** Records the death; true only for the one caller that recorded it (dead event once). */
  async markDeathNotified(id: string, now: Date): Promise<boolean> {
    const rows = (await this.repo.query(
      `UPDATE machines SET last_death_event_sent_at = $2
        WHERE id = $1 AND last_death_event_sent_at IS NULL RETURNING id`,
      [id, now],
    )) as [unknown[], number];
    return resultRows(rows).length > 0;
  }

  /** Moves the claim, if this job still holds it. */
  async moveClaim(id: string, claim: Date, until: Date | null): Promise<void> {
    await this.repo.query(
      `UPDATE machines SET heartbeat_claimed_until = $3 WHERE id = $1 AND heartbeat_claimed_until = $2`,
      [id, claim, until],
    );
  }

  /**
   * Culls the machine unless it was pinged or reset since the check read it
   * (components and processes go through the foreign keys). True when deleted.
   */
  async deleteIfUnchanged(id: string, lastHeartbeatAt: Date | null): Promise<boolean> {
    const rows = (await this.repo.query(
      `DELETE FROM machines WHERE id = $1 AND last_heartbeat_at IS NOT DISTINCT FROM $2 RETURNING id`,
      [id, lastHeartbeatAt],
    )) as [unknown[], number];
    return resultRows(rows).length > 0;
  }
}

/** pg's UPDATE/DELETE … RETURNING comes back from TypeORM as `[rows, count]`. */
function resultRows(result: unknown): unknown[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as unknown[];
  }
  return Array.isArray(result) ? result : [];
}
