import { normalizeType, uuidOrNull, type ResourceRef, type RouteTarget } from './log-types';

/**
 * Request-log `resource` (spec 06 §1.5 rule 4): the record the route loaded before
 * acting. We infer it from the route: `{type}/{id}` routes (show, update, delete,
 * actions, nested relationships) → that record; collection actions (`validate-key`)
 * → the record of that type the request acted on; index and create → null.
 * Aliases (keys, emails, codes) resolve through an event the request emitted or the
 * response document; a 404 loaded nothing.
 */
export function requestLogResource(
  target: RouteTarget,
  status: number,
  touched: readonly ResourceRef[],
  responseData: ResourceRef | null,
): ResourceRef | null {
  if (target === null) {
    return null;
  }
  const { type } = target;
  const fromEvent = touched.find((r) => r.type === type);
  if (fromEvent) {
    return { type, id: fromEvent.id };
  }
  if (status < 400 && responseData?.type === type) {
    return { type, id: responseData.id };
  }
  if (target.kind === 'collection-action' || status === 404) {
    return null;
  }
  const id = uuidOrNull(target.value);
  return id === null ? null : { type, id };
}

/** What an event is about, before the route's record takes precedence. */
export interface EventSubject {
  name: string;
  type: string;
  id: string;
  record: unknown;
}

/**
 * Event-log `resource` (spec 06 §2.6 rule 1): the record the route loaded when the
 * event happened inside a `{type}/{id}` request, else the event's own record, where
 * attach/detach events (`policy.entitlements.attached`) point at the parent.
 */
export function eventLogResource(target: RouteTarget, subject: EventSubject): ResourceRef {
  if (target?.kind === 'record') {
    const id = uuidOrNull(target.value);
    if (id !== null) {
      return { type: target.type, id };
    }
    if (subject.type === target.type) {
      return { type: target.type, id: subject.id };
    }
  }
  return ownResource(subject);
}

const ATTACH_RE = /^([a-z-]+)\.[a-z-]+\.(?:attached|detached)$/;

function ownResource(subject: EventSubject): ResourceRef {
  const m = ATTACH_RE.exec(subject.name);
  const parentType = m ? normalizeType(m[1]) : null;
  if (!m || parentType === null || parentType === subject.type) {
    return { type: subject.type, id: subject.id };
  }
  // The emitted record is the list of join rows; each carries the parent's id.
  const rows = Array.isArray(subject.record) ? (subject.record as unknown[]) : [subject.record];
  const parentKey = `${m[1].replace(/-([a-z])/g, (_s, c: string) => c.toUpperCase())}Id`;
  const fromRow = (rows[0] as Record<string, unknown> | undefined)?.[parentKey];
  return { type: parentType, id: typeof fromRow === 'string' ? fromRow : subject.id };
}
