import { Injectable, Logger } from '@nestjs/common';
import { AccountResolver, EnvironmentResolver } from '@app/common/auth/ports';
import { Clock } from '@app/common/clock/clock';
import { systemContext, type RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import { JobQueue, MACHINE_JOBS, QUEUES } from '@app/common/jobs/queues';
import {
  alwaysRevives,
  deactivatesDead,
  revivesDead,
} from '@app/modules/machines/machine-heartbeat';
import { PROCESS_EVENTS, emitProcessEvent, type ProcessEventName } from './process-events';
import {
  processResurrectionDeadline,
  processResurrectionPeriodPassed,
  processStatus,
} from './process-heartbeat';
import { ProcessHeartbeatsRepository } from './process-heartbeats.repository';
import type { ProcessView } from './process.view';
import { ProcessesRepository } from './processes.repository';

/** How long a sweep's claim holds when its check never runs (then a later sweep retries). */
export const PROCESS_CLAIM_LEASE_MS = 10 * 60 * 1000;
/** The claim a process keeps once handled for good (KEEP_DEAD, ALWAYS_REVIVE): never re-swept. */
export const PROCESS_CLAIMED_FOREVER = new Date('9999-12-31T00:00:00.000Z');
/** Processes claimed per statement. */
const BATCH = 500;

/** Payload of one process's check. */
export interface ProcessHeartbeatJob extends Record<string, unknown> {
  processId: string;
  accountId: string;
  /** The claim (ISO time) the sweep wrote; the check only moves or releases that one. */
  claim: string;
}

/** What one check did, for tests and logs. */
export type ProcessCheckOutcome = 'gone' | 'kept' | 'waiting' | 'culled' | 'alive';

/**
 * Process death handling (spec 03 §3.4, 07 §2.2). Every two minutes `sweep(now)`
 * claims the DEAD processes nobody holds and queues one check per process under that
 * claim; `check` re-reads the process and emits `process.heartbeat.dead` once per
 * death (a conditional marker), then keeps it (ALWAYS_REVIVE, KEEP_DEAD), waits for
 * its revive window (the claim lapses when the window closes, so the first sweep after
 * it comes back), or deletes it (DEACTIVATE_DEAD or null: no `process.deleted`). A
 * process found alive again gets `process.heartbeat.pong` and its claim released.
 *
 * Cluster safety: claims are written under `FOR UPDATE SKIP LOCKED`, ticks have
 * deterministic job ids, and every transition is conditional, so overlapping sweeps
 * and duplicate checks change nothing twice.
 */
@Injectable()
export class ProcessCullingService {
  private readonly logger = new Logger('ProcessCulling');

  constructor(
    private readonly heartbeats: ProcessHeartbeatsRepository,
    private readonly processes: ProcessesRepository,
    private readonly jobs: JobQueue,
    private readonly accounts: AccountResolver,
    private readonly environments: EnvironmentResolver,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Claims every unclaimed DEAD process at `now` and queues its check; returns how
   * many. `accountId` confines the sweep to one account (tests).
   */
  async sweep(now: Date = this.clock.now(), opts: { accountId?: string } = {}): Promise<number> {
    const until = new Date(now.getTime() + PROCESS_CLAIM_LEASE_MS);
    let total = 0;
    for (;;) {
      const claimed = await this.heartbeats.claimDead(now, until, BATCH, opts.accountId ?? null);
      for (const c of claimed) {
        const claim = c.claim.toISOString();
        const payload: ProcessHeartbeatJob = { processId: c.id, accountId: c.accountId, claim };
        await this.jobs.enqueue(QUEUES.default, MACHINE_JOBS.processHeartbeat, payload, {
          jobId: `${MACHINE_JOBS.processHeartbeat}:${c.id}:${claim}`,
          attempts: 5,
          backoffMs: 60_000,
        });
      }
      total += claimed.length;
      if (claimed.length < BATCH) {
        return total;
      }
    }
  }

  /** One process's check (at-least-once safe). */
  async check(
    job: ProcessHeartbeatJob,
    now: Date = this.clock.now(),
  ): Promise<ProcessCheckOutcome> {
    const claim = new Date(job.claim);
    const view = await this.processes.viewById(job.accountId, job.processId);
    if (!view) {
      return 'gone';
    }
    const policy = view.policy;
    if (processStatus(view, policy, now) === 'ALIVE') {
      await this.emit(PROCESS_EVENTS.heartbeatPong, view);
      await this.heartbeats.moveClaim(view.id, claim, null);
      return 'alive';
    }
    if (
      view.lastDeathEventSentAt === null &&
      (await this.heartbeats.markDeathNotified(view.id, now))
    ) {
      view.lastDeathEventSentAt = now;
      await this.emit(PROCESS_EVENTS.heartbeatDead, view);
    }
    if (alwaysRevives(policy)) {
      await this.heartbeats.moveClaim(view.id, claim, PROCESS_CLAIMED_FOREVER);
      return 'kept';
    }
    if (revivesDead(policy) && !processResurrectionPeriodPassed(view, policy, now)) {
      await this.heartbeats.moveClaim(view.id, claim, processResurrectionDeadline(view, policy));
      return 'waiting';
    }
    if (deactivatesDead(policy)) {
      return (await this.heartbeats.deleteIfUnchanged(view.id, view.lastHeartbeatAt))
        ? 'culled'
        : 'alive';
    }
    await this.heartbeats.moveClaim(view.id, claim, PROCESS_CLAIMED_FOREVER);
    return 'kept';
  }

  /** Events of jobs run in a system context in the process's account and environment. */
  private async emit(name: ProcessEventName, view: ProcessView): Promise<void> {
    const ctx = await this.context(view);
    if (ctx) {
      emitProcessEvent(this.events, name, ctx, view);
    }
  }

  private async context(view: ProcessView): Promise<RequestContext | null> {
    const account = await this.accounts.resolve(view.accountId);
    if (!account) {
      this.logger.warn(`account ${view.accountId} not found for a process heartbeat event`);
      return null;
    }
    const environment = view.environmentId
      ? await this.environments.resolve(view.accountId, view.environmentId)
      : null;
    return systemContext(account, this.clock, environment);
  }
}
