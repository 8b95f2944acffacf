import type { RequestContext } from '@app/common/context/request-context';
import type { DomainEvent, DomainEvents } from '@app/common/events/domain-events';
import { ProcessSerializer } from './process.serializer';
import type { ProcessView } from './process.view';

/** Process events (spec 03 §3.3–3.5). */
export const PROCESS_EVENTS = {
  created: 'process.created',
  updated: 'process.updated',
  deleted: 'process.deleted',
  heartbeatPing: 'process.heartbeat.ping',
  heartbeatResurrected: 'process.heartbeat.resurrected',
  heartbeatDead: 'process.heartbeat.dead',
  heartbeatPong: 'process.heartbeat.pong',
} as const;

export type ProcessEventName = (typeof PROCESS_EVENTS)[keyof typeof PROCESS_EVENTS];

/** Publishes a process event with the process rendered as its resource. */
export function emitProcessEvent(
  events: DomainEvents,
  name: ProcessEventName,
  ctx: RequestContext,
  view: ProcessView,
  extra: Pick<DomainEvent, 'meta' | 'changes'> = {},
): void {
  events.emit(
    name,
    ctx,
    { type: 'processes', id: view.id, record: view, serializer: ProcessSerializer as never },
    extra,
  );
}
