import type { RequestContext } from '@app/common/context/request-context';
import type { DomainEvents } from '@app/common/events/domain-events';
import type { User } from './user.entity';
import { UserSerializer } from './user.serializer';

export type UserEvent =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'user.banned'
  | 'user.unbanned'
  | 'user.password-reset';

/** Emits a user event with the record and its serializer (after the write committed). */
export function emitUserEvent(
  events: DomainEvents,
  name: UserEvent,
  ctx: RequestContext,
  user: User,
  meta?: Record<string, unknown>,
  changes?: Record<string, [unknown, unknown]>,
): void {
  events.emit(
    name,
    ctx,
    { type: 'users', id: user.id, record: user, serializer: UserSerializer as never },
    { ...(meta ? { meta } : {}), ...(changes ? { changes } : {}) },
  );
}
