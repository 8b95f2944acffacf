import type { Response } from 'supertest';
import { EventLog } from '@app/modules/logs/event-log.entity';
import { EventLogRecorder } from '@app/modules/logs/event-log-recorder';
import { RequestLog } from '@app/modules/logs/request-log.entity';
import { RequestLogRecorder } from '@app/modules/logs/request-log-recorder';
import type { TestApp } from '../../support/app';
import type { GivenAccount } from '../../support/factories';

/** Writes every log captured so far (the recorders batch them; jobs insert them). */
export async function settleLogs(t: TestApp): Promise<void> {
  for (let pass = 0; pass < 2; pass++) {
    await t.app.get(RequestLogRecorder).flush();
    await t.app.get(EventLogRecorder).flush();
    await t.jobs.drain();
  }
}

/** The request log of a response (by its X-Request-Id), once written. */
export async function requestLogOf(t: TestApp, res: Response): Promise<RequestLog | null> {
  await settleLogs(t);
  return t.ds.getRepository(RequestLog).findOneBy({ id: res.headers['x-request-id'] });
}

/** The account's event logs (optionally of one event), oldest first, once written. */
export async function eventLogsOf(
  t: TestApp,
  accountId: string,
  event?: string,
): Promise<EventLog[]> {
  await settleLogs(t);
  return t.ds.getRepository(EventLog).find({
    where: event ? { accountId, event } : { accountId },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
}

export const FORBIDDEN = 'You do not have permission to complete the request';
export const denied = (
  reason = 'ensure the token or license is allowed to access all resources',
) => ({
  title: 'Access denied',
  detail: `${FORBIDDEN} (${reason})`,
});
export const lacks = (role: string) => denied(`${role} lacks permission to perform action`);

export const notFound = (what: 'request log' | 'event log') => ({
  title: 'Not found',
  detail: `The requested ${what} was not found`,
  code: 'NOT_FOUND',
});

/** The `request-logs` resource Keygen renders: `full` for show, heavy fields null in lists. */
export function requestLogResource(l: RequestLog, full: boolean) {
  const base = `/v1/accounts/${l.accountId}`;
  const poly = (type: string | null, id: string | null) =>
    type && id
      ? { links: { related: `${base}/${type}/${id}` }, data: { type, id } }
      : { data: null };
  return {
    id: l.id,
    type: 'request-logs',
    attributes: {
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
      created: l.createdAt.toISOString(),
      updated: l.updatedAt.toISOString(),
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: l.accountId } },
      environment: l.environmentId
        ? {
            links: { related: `${base}/environments/${l.environmentId}` },
            data: { type: 'environments', id: l.environmentId },
          }
        : { links: { related: null }, data: null },
      requestor: poly(l.requestorType, l.requestorId),
      resource: poly(l.resourceType, l.resourceId),
    },
    links: { self: `${base}/request-logs/${l.id}` },
  };
}

/** Ids of a list response, in order. */
export const ids = (res: Response): string[] =>
  (res.body.data as Array<{ id: string }>).map((d) => d.id);

/** Every role a staff user can have, with a bearer for it. */
export type StaffRole = 'admin' | 'developer' | 'read-only' | 'sales-agent' | 'support-agent';

export const listPath = (a: GivenAccount, type: 'request-logs' | 'event-logs') =>
  `${a.base}/${type}`;

/** The `event-logs` resource Keygen renders. */
export function eventLogResource(l: EventLog, metadata: Record<string, unknown>) {
  const base = `/v1/accounts/${l.accountId}`;
  const related = (type: string, id: string) =>
    [
      'users',
      'licenses',
      'products',
      'environments',
      'policies',
      'request-logs',
      'tokens',
      'entitlements',
      'groups',
    ].includes(type)
      ? `${base}/${type}/${id}`
      : null;
  return {
    id: l.id,
    type: 'event-logs',
    attributes: {
      event: l.event,
      metadata,
      created: l.createdAt.toISOString(),
      updated: l.updatedAt.toISOString(),
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: l.accountId } },
      environment: l.environmentId
        ? {
            links: { related: `${base}/environments/${l.environmentId}` },
            data: { type: 'environments', id: l.environmentId },
          }
        : { links: { related: null }, data: null },
      request: l.requestLogId
        ? {
            links: { related: `${base}/request-logs/${l.requestLogId}` },
            data: { type: 'request-logs', id: l.requestLogId },
          }
        : { data: null },
      whodunnit:
        l.whodunnitType && l.whodunnitId
          ? {
              links: { related: related(l.whodunnitType, l.whodunnitId) },
              data: { type: l.whodunnitType, id: l.whodunnitId },
            }
          : { data: null },
      resource: {
        links: { related: related(l.resourceType, l.resourceId) },
        data: { type: l.resourceType, id: l.resourceId },
      },
    },
    links: { self: `${base}/event-logs/${l.id}` },
  };
}
