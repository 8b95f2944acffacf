import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { Environment } from '@app/modules/environments/environment.entity';
import { License } from '../license.entity';

/** The four time-driven license events (spec 02 §11, 07 §2.3–2.4). */
export type LicenseSweep =
  'expired' | 'expiring-soon' | 'check-in-overdue' | 'check-in-required-soon';

/** Each sweep's own "last sent" marker; the only columns the sweeps write. */
const MARKER: Record<LicenseSweep, string> = {
  expired: 'last_expiration_event_sent_at',
  'expiring-soon': 'last_expiring_soon_event_sent_at',
  'check-in-overdue': 'last_check_in_event_sent_at',
  'check-in-required-soon': 'last_check_in_soon_event_sent_at',
};

const NOW = '$1::timestamptz';
/** lastCheckIn + count × interval, with Postgres' calendar interval arithmetic. */
const NEXT_CHECK_IN = `(l.last_check_in_at + (p.check_in_interval_count || ' ' || p.check_in_interval)::interval)`;
const CHECK_IN_POLICY = `p.require_check_in AND p.check_in_interval IS NOT NULL
  AND p.check_in_interval_count IS NOT NULL AND l.last_check_in_at IS NOT NULL
  AND (l.expiry IS NULL OR l.expiry >= ${NOW})`;

/**
 * When a license is due for each event (Keygen's LicenseExpirationsWorker and
 * LicenseOverdueCheckInsWorker, windows inclusive as there):
 * - expired: expiry in [now − 12 h, now) — so at most two events per expiry;
 * - expiring-soon: expiry in [now, now + 3 d);
 * - check-in-overdue: next check-in in [now − 12 h, now), license not expired;
 * - check-in-required-soon: next check-in in [now, now + 3 d), license not expired.
 */
const DUE: Record<LicenseSweep, string> = {
  expired: `l.expiry IS NOT NULL AND l.expiry < ${NOW} AND l.expiry >= ${NOW} - interval '12 hours'`,
  'expiring-soon': `l.expiry IS NOT NULL AND l.expiry >= ${NOW} AND l.expiry < ${NOW} + interval '3 days'`,
  'check-in-overdue': `${CHECK_IN_POLICY} AND ${NEXT_CHECK_IN} < ${NOW}
    AND ${NEXT_CHECK_IN} >= ${NOW} - interval '12 hours'`,
  'check-in-required-soon': `${CHECK_IN_POLICY} AND ${NEXT_CHECK_IN} >= ${NOW}
    AND ${NEXT_CHECK_IN} < ${NOW} + interval '3 days'`,
};

const NEEDS_POLICY: Record<LicenseSweep, boolean> = {
  expired: false,
  'expiring-soon': false,
  'check-in-overdue': true,
  'check-in-required-soon': true,
};

/**
 * The SQL of the scheduled license events. A claim picks due licenses whose marker is
 * unset or at least 24 h old, locks them (`SKIP LOCKED`: rows another replica is
 * claiming are left to it), and stamps the marker, in one statement. A second claim,
 * concurrent or later, re-checks the marker and finds nothing.
 */
@Injectable()
export class LicenseEventSweepsRepository {
  constructor(@InjectRepository(License) private readonly repo: Repository<License>) {}

  /** Claims up to `limit` due licenses for `sweep` in the caller's transaction. */
  async claim(m: EntityManager, sweep: LicenseSweep, now: Date, limit: number): Promise<License[]> {
    const marker = MARKER[sweep];
    const join = NEEDS_POLICY[sweep] ? 'JOIN policies p ON p.id = l.policy_id' : '';
    // TypeORM answers an UPDATE with [rows, affected].
    const [claimed] = (await m.query(
      `WITH due AS (
         SELECT l.id FROM licenses l ${join}
          WHERE ${DUE[sweep]}
            AND (l.${marker} IS NULL OR l.${marker} <= ${NOW} - interval '24 hours')
          ORDER BY l.id
          LIMIT $2
          FOR UPDATE OF l SKIP LOCKED
       )
       UPDATE licenses SET ${marker} = ${NOW} FROM due WHERE licenses.id = due.id
       RETURNING licenses.id`,
      [now, limit],
    )) as [Array<{ id: string }>, number];
    if (claimed.length === 0) {
      return [];
    }
    return m.getRepository(License).findBy({ id: In(claimed.map((r) => r.id)) });
  }

  /** Environments by id (for the events' system contexts). */
  environments(ids: readonly string[], m?: EntityManager): Promise<Environment[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return (m ?? this.repo.manager).getRepository(Environment).findBy({ id: In([...ids]) });
  }
}
