import { defineSerializer, timestamp, type Serializer } from '@libs/jsonapi';
import {
  accountPath,
  accountRelationship,
  environmentRelationship,
  polymorphic,
} from './log-relationships';
import type { ResourceRef } from './log-types';
import type { RequestLog } from './request-log.entity';

const ref = (type: string | null, id: string | null): ResourceRef | null =>
  type && id ? { type, id } : null;

/** `show`: every attribute (spec 06 §1.2); `list`: the heavy ones null. */
function requestLogSerializer(full: boolean): Serializer<RequestLog> {
  return defineSerializer<RequestLog>({
    type: 'request-logs',
    self: (l) => `${accountPath(l)}/request-logs/${l.id}`,
    attributes: (l) => ({
      url: l.url,
      method: l.method,
      status: l.status,
      userAgent: l.userAgent,
      ip: l.ip,
      requestHeaders: full ? (l.requestHeaders ?? {}) : null,
      requestBody: full ? l.requestBody : null,
      responseSignature: full ? l.responseSignature : null,
      responseHeaders: full ? (l.responseHeaders ?? {}) : null,
      responseBody: full ? l.responseBody : null,
      created: timestamp(l.createdAt),
      updated: timestamp(l.updatedAt),
    }),
    relationships: {
      account: accountRelationship<RequestLog>(),
      environment: environmentRelationship<RequestLog>(),
      requestor: polymorphic<RequestLog>((l) => ref(l.requestorType, l.requestorId)),
      resource: polymorphic<RequestLog>((l) => ref(l.resourceType, l.resourceId)),
    },
  });
}

export const RequestLogSerializer = requestLogSerializer(true);
export const RequestLogListSerializer = requestLogSerializer(false);
