import type { RequestContext } from '@app/common/context/request-context';
import type { DomainEvent, DomainEvents } from '@app/common/events/domain-events';
import { ComponentSerializer } from '@app/modules/machines/machine-component.serializer';
import type { ComponentRecord } from './component.view';

/** Component events (spec 03 §2.6), standalone endpoints only. */
export const COMPONENT_EVENTS = {
  created: 'component.created',
  updated: 'component.updated',
  deleted: 'component.deleted',
} as const;

export type ComponentEventName = (typeof COMPONENT_EVENTS)[keyof typeof COMPONENT_EVENTS];

/** Publishes a component event with the component rendered as its resource. */
export function emitComponentEvent(
  events: DomainEvents,
  name: ComponentEventName,
  ctx: RequestContext,
  record: ComponentRecord,
  extra: Pick<DomainEvent, 'meta' | 'changes'> = {},
): void {
  events.emit(
    name,
    ctx,
    { type: 'components', id: record.id, record, serializer: ComponentSerializer as never },
    extra,
  );
}
