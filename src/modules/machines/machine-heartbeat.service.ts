import { Injectable } from '@nestjs/common';
import { enforce } from '@app/common/auth/policy';
import { NotFoundError } from '@app/common/errors/api-error';
import type { RequestContext } from '@app/common/context/request-context';
import { callerOf } from '@app/modules/tokens/token.policy';
import { DomainEvents } from '@app/common/events/domain-events';
import { heartbeatStatus, resurrectionPeriodPassed, revivesDead } from './machine-heartbeat';
import { MachineHeartbeatsRepository } from './machine-heartbeats.repository';
import { MachineHeartbeatDeadError } from './machine.errors';
import { MACHINE_EVENTS, emitMachineEvent } from './machine-events';
import { machinePolicy, type MachineFacts } from './machine.policy';
import type { MachineView } from './machine.view';
import { MachinesService } from './machines.service';

/** How many machines' (or licenses') facts a process remembers for one-round-trip pings. */
export const KNOWN_MACHINES_CAP = 20_000;

/**
 * Heartbeat ping and reset (spec 03 §1.8.2–1.8.3). Status is computed at read time;
 * a ping stores the time, a resurrection also clears the death marker, a reset clears
 * the heartbeat. Each releases the cull sweep's claim.
 *
 * A ping is read, authorize, write. Clients ping the same machines over and over, so
 * the process remembers the facts the ping rule reads (MachineFacts) from the last
 * read: per machine, or for a license bearer per license, since all its machines
 * share their license's facts (the rule never reads the machine's id). When the rule
 * allows the caller on the remembered facts, the write goes first, in one statement
 * that only applies if the machine it finds has exactly those facts and is not DEAD.
 * Anything else (nothing remembered yet, changed facts, a dead machine, a denial)
 * takes the read-authorize-write path, so both paths answer the same.
 */
@Injectable()
export class MachineHeartbeatService {
  constructor(
    private readonly machines: MachinesService,
    private readonly heartbeats: MachineHeartbeatsRepository,
    private readonly events: DomainEvents,
  ) {}

  /** Facts by scope and license bearer, or by scope and `{id}`; oldest entries go first. */
  private readonly known = new Map<string, MachineFacts>();

  async ping(ctx: RequestContext, id: string): Promise<MachineView> {
    const now = ctx.clock.now();
    const caller = callerOf(ctx);
    const { accountId, environmentId, shared } = ctx.scope;
    const key = `${accountId}/${environmentId ?? ''}/${shared}/${
      caller.bearer.role === 'license' ? `license:${caller.bearer.id}` : `machine:${id}`
    }`;
    const expected = this.known.get(key);
    if (expected && machinePolicy.ping(caller, expected) === true) {
      const alive = await this.machines.pingIfUnchanged(ctx, id, expected, now);
      if (alive) {
        emitMachineEvent(this.events, MACHINE_EVENTS.heartbeatPing, ctx, alive);
        return alive;
      }
    }
    const { view, facts } = await this.machines.find(ctx, id);
    this.remember(key, facts);
    enforce(machinePolicy.ping(caller, facts));
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

  private remember(key: string, facts: MachineFacts): void {
    this.known.delete(key);
    if (this.known.size >= KNOWN_MACHINES_CAP) {
      this.known.delete(this.known.keys().next().value as string);
    }
    this.known.set(key, facts);
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
