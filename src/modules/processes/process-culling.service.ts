import { Injectable, Logger } from '@nestjs/common';
import { AccountResolver, EnvironmentResolver } from '@app/common/auth/ports';
import { Clock } from '@app/common/clock/clock';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import { JobQueue, MACHINE_JOBS } from '@app/common/jobs/queues';
import { HeartbeatCulling } from '@app/modules/machines/heartbeat-culling';
import { PROCESS_EVENTS, emitProcessEvent } from './process-events';
import {
  processResurrectionDeadline,
  processResurrectionPeriodPassed,
  processStatus,
} from './process-heartbeat';
import { ProcessHeartbeatsRepository } from './process-heartbeats.repository';
import type { ProcessView } from './process.view';
import { ProcessesRepository } from './processes.repository';

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
 * claim; `check` re-reads the process and settles it as machines are
 * (HeartbeatCulling): `process.heartbeat.dead` once per death, then kept
 * (ALWAYS_REVIVE, KEEP_DEAD), waiting for its revive window, or deleted
 * (DEACTIVATE_DEAD or null: no `process.deleted`); a process found alive again gets
 * `process.heartbeat.pong` and its claim released.
 */
@Injectable()
export class ProcessCullingService extends HeartbeatCulling<ProcessView> {
  constructor(
    heartbeats: ProcessHeartbeatsRepository,
    private readonly processes: ProcessesRepository,
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
      new Logger('ProcessCulling'),
      'a process heartbeat event',
    );
  }

  /**
   * Claims every unclaimed DEAD process at `now` and queues its check; returns how
   * many. `accountId` confines the sweep to one account (tests).
   */
  sweep(now: Date = this.clock.now(), opts: { accountId?: string } = {}): Promise<number> {
    return this.sweepDead(
      now,
      opts.accountId ?? null,
      MACHINE_JOBS.processHeartbeat,
      (c, claim): ProcessHeartbeatJob => ({ processId: c.id, accountId: c.accountId, claim }),
    );
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
    return this.settle(view, processStatus(view, policy, now) === 'ALIVE', claim, now, {
      passed: () => processResurrectionPeriodPassed(view, policy, now),
      deadline: () => processResurrectionDeadline(view, policy),
    });
  }

  protected override publish(event: 'pong' | 'dead', ctx: RequestContext, view: ProcessView): void {
    const name = event === 'pong' ? PROCESS_EVENTS.heartbeatPong : PROCESS_EVENTS.heartbeatDead;
    emitProcessEvent(this.events, name, ctx, view);
  }
}
