import { Injectable, Logger } from '@nestjs/common';
import { AccountResolver, EnvironmentResolver } from '@app/common/auth/ports';
import { Clock } from '@app/common/clock/clock';
import { systemContext, type RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import { JobQueue, MACHINE_JOBS, QUEUES } from '@app/common/jobs/queues';
import {
  alwaysRevives,
  deactivatesDead,
  heartbeatStatus,
  requiresHeartbeat,
  resurrectionDeadline,
  resurrectionPeriodPassed,
  revivesDead,
} from './machine-heartbeat';
import { MachineHeartbeatsRepository } from './machine-heartbeats.repository';
import { MACHINE_EVENTS, emitMachineEvent, type MachineEventName } from './machine-events';
import type { MachineView } from './machine.view';
import { MachinesRepository } from './machines.repository';

/** How long a sweep's claim holds when its check never runs (then the next sweep retries). */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;
/** The claim a machine keeps once handled for good (KEEP_DEAD, ALWAYS_REVIVE): never re-swept. */
export const CLAIMED_FOREVER = new Date('9999-12-31T00:00:00.000Z');
/** Machines claimed per statement. */
const BATCH = 500;

/** Payload of one machine's check. */
export interface MachineHeartbeatJob extends Record<string, unknown> {
  machineId: string;
  accountId: string;
  /** The claim (ISO time) the sweep wrote; the check only moves or releases that one. */
  claim: string;
}

/** What one check did, for tests and logs. */
export type CheckOutcome = 'gone' | 'unmonitored' | 'kept' | 'waiting' | 'culled' | 'alive';

/**
 * Machine death handling (spec 03 §1.8.5, 07 §2.1). Every two minutes `sweep(now)`
 * claims the DEAD machines nobody holds and queues one check per machine under that
 * claim; `check` re-reads the machine and emits `machine.heartbeat.dead` once per
 * death (a conditional marker), then keeps it (ALWAYS_REVIVE, KEEP_DEAD), waits for
 * its revive window (the claim lapses when the window closes, so the first sweep after
 * it comes back), or deletes it (DEACTIVATE_DEAD: no `machine.deleted`). A machine
 * found alive again gets `machine.heartbeat.pong` and its claim released.
 *
 * Cluster safety: claims are written under `FOR UPDATE SKIP LOCKED`, ticks have
 * deterministic job ids, and every transition is conditional, so overlapping sweeps
 * and duplicate checks change nothing twice.
 */
@Injectable()
export class MachineCullingService {
  private readonly logger = new Logger('MachineCulling');

  constructor(
    private readonly heartbeats: MachineHeartbeatsRepository,
    private readonly machines: MachinesRepository,
    private readonly jobs: JobQueue,
    private readonly accounts: AccountResolver,
    private readonly environments: EnvironmentResolver,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Claims every unclaimed DEAD machine at `now` (of one account when `only` says so,
   * for tooling and tests; the schedule sweeps them all) and queues its check.
   * Returns how many were claimed.
   */
  async sweep(now: Date = this.clock.now(), only?: { accountId: string }): Promise<number> {
    const until = new Date(now.getTime() + CLAIM_LEASE_MS);
    let total = 0;
    for (;;) {
      const claimed = await this.heartbeats.claimDead(now, until, BATCH, only?.accountId ?? null);
      for (const c of claimed) {
        const claim = c.claim.toISOString();
        const payload: MachineHeartbeatJob = { machineId: c.id, accountId: c.accountId, claim };
        await this.jobs.enqueue(QUEUES.default, MACHINE_JOBS.machineHeartbeat, payload, {
          jobId: `${MACHINE_JOBS.machineHeartbeat}:${c.id}:${claim}`,
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

  /** One machine's check (at-least-once safe). */
  async check(job: MachineHeartbeatJob, now: Date = this.clock.now()): Promise<CheckOutcome> {
    const claim = new Date(job.claim);
    const view = await this.machines.viewById(job.accountId, job.machineId);
    if (!view) {
      return 'gone';
    }
    const policy = view.policy;
    if (!requiresHeartbeat(view, policy)) {
      return 'unmonitored';
    }
    const status = heartbeatStatus(view, policy, now);
    if (status === 'ALIVE') {
      await this.emit(MACHINE_EVENTS.heartbeatPong, view);
      await this.heartbeats.moveClaim(view.id, claim, null);
      return 'alive';
    }

    // NOT_STARTED counts as dead here, as in Keygen's worker.
    if (
      view.lastDeathEventSentAt === null &&
      (await this.heartbeats.markDeathNotified(view.id, now))
    ) {
      view.lastDeathEventSentAt = now;
      await this.emit(MACHINE_EVENTS.heartbeatDead, view);
    }
    if (alwaysRevives(policy)) {
      await this.heartbeats.moveClaim(view.id, claim, CLAIMED_FOREVER);
      return 'kept';
    }
    if (revivesDead(policy) && !resurrectionPeriodPassed(view, policy, now)) {
      await this.heartbeats.moveClaim(view.id, claim, resurrectionDeadline(view, policy));
      return 'waiting';
    }
    if (deactivatesDead(policy)) {
      return (await this.heartbeats.deleteIfUnchanged(view.id, view.lastHeartbeatAt))
        ? 'culled'
        : 'alive';
    }
    await this.heartbeats.moveClaim(view.id, claim, CLAIMED_FOREVER);
    return 'kept';
  }

  /** Events of jobs run in a system context in the machine's account and environment. */
  private async emit(name: MachineEventName, view: MachineView): Promise<void> {
    const ctx = await this.context(view);
    if (ctx) {
      emitMachineEvent(this.events, name, ctx, view);
    }
  }

  private async context(view: MachineView): Promise<RequestContext | null> {
    const account = await this.accounts.resolve(view.accountId);
    if (!account) {
      this.logger.warn(`account ${view.accountId} not found for a heartbeat event`);
      return null;
    }
    const environment = view.environmentId
      ? await this.environments.resolve(view.accountId, view.environmentId)
      : null;
    return systemContext(account, this.clock, environment);
  }
}
