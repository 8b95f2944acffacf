import { Injectable } from '@nestjs/common';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import { PROCESS_EVENTS, emitProcessEvent } from './process-events';
import { processResurrectionPeriodPassed, processStatus } from './process-heartbeat';
import { ProcessHeartbeatsRepository } from './process-heartbeats.repository';
import { ProcessHeartbeatDeadError } from './process.errors';
import { processPolicy } from './process.policy';
import type { ProcessView } from './process.view';
import { ProcessesService } from './processes.service';

/**
 * Process heartbeat ping (spec 03 §3.4). A live process stores the time; a dead one
 * is revived inside its policy's window (or always, under ALWAYS_REVIVE), which also
 * clears the death marker; otherwise 422 `PROCESS_HEARTBEAT_DEAD`. Limits are never
 * checked. Each successful ping releases the cull sweep's claim.
 */
@Injectable()
export class ProcessHeartbeatService {
  constructor(
    private readonly processes: ProcessesService,
    private readonly heartbeats: ProcessHeartbeatsRepository,
    private readonly events: DomainEvents,
  ) {}

  async ping(ctx: RequestContext, id: string): Promise<ProcessView> {
    const { view, facts, caller } = await this.processes.find(ctx, id);
    enforce(processPolicy.ping(caller, facts));
    const now = ctx.clock.now();
    if (processStatus(view, view.policy, now) === 'DEAD') {
      if (processResurrectionPeriodPassed(view, view.policy, now)) {
        throw new ProcessHeartbeatDeadError();
      }
      // Only the request that actually revives it reports RESURRECTED (once per death).
      if (await this.heartbeats.resurrect(view.id, view.lastHeartbeatAt, now)) {
        const revived = pinged(view, now, { lastDeathEventSentAt: null, resurrected: true });
        emitProcessEvent(this.events, PROCESS_EVENTS.heartbeatResurrected, ctx, revived);
        return revived;
      }
    }
    if (!(await this.heartbeats.ping(view.id, now))) {
      // Culled between the lookup and the write.
      throw NotFoundError.record('machine process', id);
    }
    const alive = pinged(view, now);
    emitProcessEvent(this.events, PROCESS_EVENTS.heartbeatPing, ctx, alive);
    return alive;
  }
}

function pinged(view: ProcessView, now: Date, patch: Partial<ProcessView> = {}): ProcessView {
  return { ...view, lastHeartbeatAt: now, heartbeatClaimedUntil: null, updatedAt: now, ...patch };
}
