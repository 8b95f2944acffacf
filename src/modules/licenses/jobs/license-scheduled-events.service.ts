import { Injectable, Logger } from '@nestjs/common';
import { AccountResolver } from '@app/common/auth/ports';
import type { Clock } from '@app/common/clock/clock';
import { systemContext, type RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { DomainEvents } from '@app/common/events/domain-events';
import type { Environment } from '@app/modules/environments/environment.entity';
import { LicensesRepository } from '../licenses.repository';
import { LICENSE_EVENTS, emitLicenseEvent, type LicenseEventName } from '../actions/license-events';
import { LicenseEventSweepsRepository, type LicenseSweep } from './license-event-sweeps.repository';

const EVENT: Record<LicenseSweep, LicenseEventName> = {
  expired: LICENSE_EVENTS.expired,
  'expiring-soon': LICENSE_EVENTS.expiringSoon,
  'check-in-overdue': LICENSE_EVENTS.checkInOverdue,
  'check-in-required-soon': LICENSE_EVENTS.checkInRequiredSoon,
};

/** Licenses claimed per transaction. */
const BATCH = 500;

/** Events emitted by one run, per event name. */
export type SweepCounts = Partial<Record<LicenseEventName, number>>;

/**
 * The time-driven license events (spec 02 §11, 07 §2.3–2.4), run every 10 minutes
 * and callable from tests with any `now`. Each event fires at most once per 24 h per
 * license; expired / check-in-overdue only within 12 h of the moment they became due.
 * Nothing but the sweeps' own markers is written.
 *
 * Cluster safety and delivery: each batch claims its rows (marker stamped under
 * `FOR UPDATE SKIP LOCKED`) and emits in the same transaction, so a concurrent run
 * never claims them too, and a batch whose commit fails is claimed again on the next
 * run: at-least-once, as Keygen's. That is why these events go out before the commit,
 * unlike a request's: they announce no write of their own. Each claim is one
 * conditional UPDATE, so there is no per-license job to fan out to.
 */
@Injectable()
export class LicenseScheduledEvents {
  private readonly logger = new Logger('LicenseScheduledEvents');

  constructor(
    private readonly sweeps: LicenseEventSweepsRepository,
    private readonly licenses: LicensesRepository,
    private readonly accounts: AccountResolver,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  /** Both sweeps. */
  async run(now: Date): Promise<SweepCounts> {
    return { ...(await this.expirations(now)), ...(await this.overdueCheckIns(now)) };
  }

  /** `license.expired` and `license.expiring-soon`. */
  async expirations(now: Date): Promise<SweepCounts> {
    return this.sweepAll(['expired', 'expiring-soon'], now);
  }

  /** `license.check-in-overdue` and `license.check-in-required-soon`. */
  async overdueCheckIns(now: Date): Promise<SweepCounts> {
    return this.sweepAll(['check-in-overdue', 'check-in-required-soon'], now);
  }

  private async sweepAll(kinds: LicenseSweep[], now: Date): Promise<SweepCounts> {
    const counts: SweepCounts = {};
    for (const kind of kinds) {
      counts[EVENT[kind]] = await this.sweep(kind, now);
    }
    return counts;
  }

  private async sweep(kind: LicenseSweep, now: Date): Promise<number> {
    const clock: Clock = { now: () => new Date(now) };
    let total = 0;
    for (;;) {
      const claimed = await this.tx.run(async (m) => {
        const rows = await this.sweeps.claim(m, kind, now, BATCH);
        if (rows.length === 0) {
          return 0;
        }
        const views = await this.licenses.views(rows, now, m);
        const environments = new Map(
          (
            await this.sweeps.environments(
              [...new Set(rows.map((l) => l.environmentId).filter((e): e is string => !!e))],
              m,
            )
          ).map((e) => [e.id, e]),
        );
        const contexts = new Map<string, RequestContext | null>();
        for (const view of views) {
          const key = `${view.accountId}:${view.environmentId ?? ''}`;
          if (!contexts.has(key)) {
            contexts.set(
              key,
              await this.context(view.accountId, environments.get(view.environmentId ?? ''), clock),
            );
          }
          const ctx = contexts.get(key);
          if (ctx) {
            emitLicenseEvent(this.events, EVENT[kind], ctx, view);
          }
        }
        return rows.length;
      });
      total += claimed;
      if (claimed < BATCH) {
        return total;
      }
    }
  }

  /** A system context in the license's account and environment (no bearer, no request). */
  private async context(
    accountId: string,
    environment: Environment | undefined,
    clock: Clock,
  ): Promise<RequestContext | null> {
    const account = await this.accounts.resolve(accountId);
    if (!account) {
      this.logger.warn(`account ${accountId} not found for a license event`);
      return null;
    }
    return systemContext(account, clock, environment ?? null);
  }
}
