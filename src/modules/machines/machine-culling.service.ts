import { Injectable, Logger } from '@nestjs/common';
import { AccountResolver, EnvironmentResolver } from '@app/common/auth/ports';
import { Clock } from '@app/common/clock/clock';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import { JobQueue, MACHINE_JOBS } from '@app/common/jobs/queues';
import { HeartbeatCulling } from './heartbeat-culling';
import {
  heartbeatStatus,
  requiresHeartbeat,
  resurrectionDeadline,
  resurrectionPeriodPassed,
} from './machine-heartbeat';
import { MachineHeartbeatsRepository } from './machine-heartbeats.repository';
import { MACHINE_EVENTS, emitMachineEvent } from './machine-events';
import type { MachineView } from './machine.view';
import { MachinesRepository } from './machines.repository';

export { CLAIM_LEASE_MS, CLAIMED_FOREVER } from './heartbeat-culling';

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
 * claim; `check` re-reads the machine and settles it as processes are
 * (HeartbeatCulling): `machine.heartbeat.dead` once per death, then kept
 * (ALWAYS_REVIVE, KEEP_DEAD), waiting for its revive window, or deleted
 * (DEACTIVATE_DEAD: no `machine.deleted`); a machine found alive again gets
 * `machine.heartbeat.pong` and its claim released. NOT_STARTED counts as dead here,
 * as in Keygen's worker; a machine that needs no heartbeat is left alone.
 */
@Injectable()
export class MachineCullingService extends HeartbeatCulling<MachineView> {
  constructor(
    heartbeats: MachineHeartbeatsRepository,
    private readonly machines: MachinesRepository,
    jobs: JobQueue,
    accounts: AccountResolver,
    environments: EnvironmentResolver,
    clock: Clock,
    private readonly events: DomainEvents,
  ) {
    super(
      heartbeats,
      jobs,
      accounts,
      environments,
      clock,
      new Logger('MachineCulling'),
      'a heartbeat event',
    );
  }

  /**
   * Claims every unclaimed DEAD machine at `now` (of one account when `only` says so,
   * for tooling and tests; the schedule sweeps them all) and queues its check.
   * Returns how many were claimed.
   */
  sweep(now: Date = this.clock.now(), only?: { accountId: string }): Promise<number> {
    return this.sweepDead(
      now,
      only?.accountId ?? null,
      MACHINE_JOBS.machineHeartbeat,
      (c, claim): MachineHeartbeatJob => ({ machineId: c.id, accountId: c.accountId, claim }),
    );
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
    return this.settle(view, heartbeatStatus(view, policy, now) === 'ALIVE', claim, now, {
      passed: () => resurrectionPeriodPassed(view, policy, now),
      deadline: () => resurrectionDeadline(view, policy),
    });
  }

  protected override publish(event: 'pong' | 'dead', ctx: RequestContext, view: MachineView): void {
    const name = event === 'pong' ? MACHINE_EVENTS.heartbeatPong : MACHINE_EVENTS.heartbeatDead;
    emitMachineEvent(this.events, name, ctx, view);
  }
}
