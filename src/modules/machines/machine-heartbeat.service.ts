import { Injectable } from '@nestjs/common';
import { enforce } from '@app/common/auth/policy';
import { NotFoundError } from '@app/common/errors/api-error';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import { heartbeatStatus, resurrectionPeriodPassed, revivesDead } from './machine-heartbeat';
import { MachineHeartbeatsRepository } from './machine-heartbeats.repository';
import { MachineHeartbeatDeadError } from './machine.errors';
import { MACHINE_EVENTS, emitMachineEvent } from './machine-events';
import { machinePolicy } from './machine.policy';
import type { MachineView } from './machine.view';
import { MachinesService } from './machines.service';

/**
 * Heartbeat ping and reset (spec 03 §1.8.2–1.8.3). Status is computed at read time;
 * a ping stores the time, a resurrection also clears the death marker, a reset clears
 * the heartbeat. Each releases the cull sweep's claim.
 */
@Injectable()
export class MachineHeartbeatService {
  constructor(
    private readonly machines: MachinesService,
    private readonly heartbeats: MachineHeartbeatsRepository,
    private readonly events: DomainEvents,
  ) {}

  async ping(ctx: RequestContext, id: string): Promise<MachineView> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    enforce(machinePolicy.ping(caller, facts));
    const now = ctx.clock.now();
    if (heartbeatStatus(view, view.policy, now) === 'DEAD') {
      if (!revivesDead(view.policy) || resurrectionPeriodPassed(view, view.policy, now)) {
        throw new MachineHeartbeatDeadError();
      }
      // Only the request that actually revives it reports RESURRECTED (once per death).
      if (await this.heartbeats.resurrect(view.id, view.lastHeartbeatAt, now)) {
        const revived = pinged(view, now, { lastDeathEventSentAt: null, resurrected: true });
        emitMachineEvent(this.events, MACHINE_EVENTS.heartbeatResurrected, ctx, revived);
        return revived;
      }
    }
    if (!(await this.heartbeats.ping(view.id, now))) {
      // Culled between the lookup and the write.
      throw NotFoundError.record('machine', id);
    }
    const alive = pinged(view, now);
    emitMachineEvent(this.events, MACHINE_EVENTS.heartbeatPing, ctx, alive);
    return alive;
  }

  async reset(ctx: RequestContext, id: string): Promise<MachineView> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    enforce(machinePolicy.reset(caller, facts));
    const now = ctx.clock.now();
    await this.heartbeats.reset(view.id, now);
    const reset = copy(view, {
      lastHeartbeatAt: null,
      heartbeatClaimedUntil: null,
      updatedAt: now,
    });
    emitMachineEvent(this.events, MACHINE_EVENTS.heartbeatReset, ctx, reset);
    return reset;
  }
}

function copy(view: MachineView, patch: Partial<MachineView>): MachineView {
  return Object.assign(
    Object.create(Object.getPrototypeOf(view) as object) as MachineView,
    view,
    patch,
  );
}

function pinged(view: MachineView, now: Date, patch: Partial<MachineView> = {}): MachineView {
  return copy(view, {
    lastHeartbeatAt: now,
    heartbeatClaimedUntil: null,
    updatedAt: now,
    ...patch,
  });
}
