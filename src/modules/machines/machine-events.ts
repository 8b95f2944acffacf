import type { RequestContext } from '@app/common/context/request-context';
import type { DomainEvent, DomainEvents } from '@app/common/events/domain-events';
import { MachineSerializer } from './machine.serializer';
import type { MachineView } from './machine.view';

/** Machine events (spec 03 §1.14). */
export const MACHINE_EVENTS = {
  created: 'machine.created',
  updated: 'machine.updated',
  deleted: 'machine.deleted',
  ownerUpdated: 'machine.owner.updated',
  groupUpdated: 'machine.group.updated',
  heartbeatPing: 'machine.heartbeat.ping',
  heartbeatResurrected: 'machine.heartbeat.resurrected',
  heartbeatReset: 'machine.heartbeat.reset',
  heartbeatDead: 'machine.heartbeat.dead',
  heartbeatPong: 'machine.heartbeat.pong',
  checkedOut: 'machine.checked-out',
  proofsGenerated: 'machine.proofs.generated',
} as const;

export type MachineEventName = (typeof MACHINE_EVENTS)[keyof typeof MACHINE_EVENTS];

/** Publishes a machine event with the machine rendered as its resource. */
export function emitMachineEvent(
  events: DomainEvents,
  name: MachineEventName,
  ctx: RequestContext,
  view: MachineView,
  extra: Pick<DomainEvent, 'meta' | 'changes'> = {},
): void {
  events.emit(
    name,
    ctx,
    { type: 'machines', id: view.id, record: view, serializer: MachineSerializer as never },
    extra,
  );
}
