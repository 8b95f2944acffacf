import { camelizeKeys, defineSerializer, timestamp } from '@libs/jsonapi';
import type { EventLog } from './event-log.entity';
import { accountRelationship, environmentRelationship, polymorphic } from './log-relationships';

/** `event-logs` (spec 06 §2.2–2.3). */
export const EventLogSerializer = defineSerializer<EventLog>({
  type: 'event-logs',
  self: (l) => `/v1/accounts/${l.accountId}/event-logs/${l.id}`,
  attributes: (l) => ({
    event: l.event,
    metadata: camelizeKeys(l.metadata ?? {}),
    created: timestamp(l.createdAt),
    updated: timestamp(l.updatedAt),
  }),
  relationships: {
    account: accountRelationship<EventLog>(),
    environment: environmentRelationship<EventLog>(),
    request: polymorphic<EventLog>((l) =>
      l.requestLogId ? { type: 'request-logs', id: l.requestLogId } : null,
    ),
    whodunnit: polymorphic<EventLog>((l) =>
      l.whodunnitType && l.whodunnitId ? { type: l.whodunnitType, id: l.whodunnitId } : null,
    ),
    resource: polymorphic<EventLog>((l) => ({ type: l.resourceType, id: l.resourceId })),
  },
});
