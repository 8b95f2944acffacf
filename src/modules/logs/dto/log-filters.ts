import { isPlainObject, UUID_RE } from '@libs/jsonapi';
import { ParamError } from '@app/common/errors/api-error';
import { normalizeType } from '../log-types';

/**
 * List filters of request logs and event logs (spec 06 §1.4, §2.4) parsed into a plain
 * object the repositories apply. Shapes Keygen cannot match (a one-element array, a
 * blank `ip`, an unknown type, ...) become `none`: the result is empty, never broader.
 */

/** A full UUID matches exactly; anything else is a case-insensitive substring of the id. */
export type IdMatch = { kind: 'exact'; id: string } | { kind: 'like'; term: string };

/** `requestor` / `resource` / `whodunnit`: an id, optionally with a type. */
export interface RefFilter {
  type: string | null;
  id: IdMatch;
}

export interface DateRange {
  /** Start of the first day (UTC). */
  from: Date;
  /** Start of the day after the last one (UTC), exclusive. */
  until: Date;
}

export interface LogFilters {
  /** A filter that can match nothing was given. */
  none: boolean;
  date?: DateRange;
  requestor?: RefFilter;
  resource?: RefFilter;
  whodunnit?: RefFilter;
  request?: IdMatch;
  ip?: string;
  method?: string;
  url?: string;
  status?: string;
  events?: string[];
}

const DAY_MS = 86_400_000;
const MIN_RANGE = 1;
const MAX_RANGE = 31;

type Query = Record<string, unknown>;
const has = (q: Query, k: string): boolean =>
  Object.prototype.hasOwnProperty.call(q, k) && q[k] !== undefined;

/** Request-log filters: date, requestor, resource, ip, method, url, status. */
export function requestLogFilters(q: Query): LogFilters {
  const f: LogFilters = { none: false, date: dateRange(q) };
  if (has(q, 'requestor')) {
    f.requestor = refFilter(q.requestor) ?? undefined;
    f.none ||= f.requestor === undefined;
  }
  if (has(q, 'resource')) {
    f.resource = refFilter(q.resource) ?? undefined;
    f.none ||= f.resource === undefined;
  }
  if (has(q, 'ip')) {
    // compat: a blank ip or url matches nothing (Keygen's scopes return `none`).
    f.ip = nonBlank(q.ip);
    f.none ||= f.ip === undefined;
  }
  if (has(q, 'method')) {
    f.method = typeof q.method === 'string' ? q.method.toUpperCase() : undefined;
    f.none ||= f.method === undefined;
  }
  if (has(q, 'url')) {
    f.url = nonBlank(q.url);
    f.none ||= f.url === undefined;
  }
  if (has(q, 'status')) {
    f.status = typeof q.status === 'string' ? q.status : undefined;
    f.none ||= f.status === undefined;
  }
  return f;
}

/** Event-log filters: date, whodunnit, resource, request, event, events[]. */
export function eventLogFilters(q: Query): LogFilters {
  const f: LogFilters = { none: false, date: dateRange(q) };
  if (has(q, 'whodunnit')) {
    f.whodunnit = refFilter(q.whodunnit) ?? undefined;
    f.none ||= f.whodunnit === undefined;
  }
  if (has(q, 'resource')) {
    f.resource = refFilter(q.resource) ?? undefined;
    f.none ||= f.resource === undefined;
  }
  if (has(q, 'request')) {
    f.request = typeof q.request === 'string' ? (idMatch(q.request) ?? undefined) : undefined;
    f.none ||= f.request === undefined;
  }
  // `event` and `events[]` both apply (an event must satisfy each); `events[]` holding
  // only blanks is ignored, and a plain `events=x` counts as one name.
  let events: string[] | undefined;
  if (has(q, 'event')) {
    events = typeof q.event === 'string' ? [q.event] : [];
  }
  if (has(q, 'events')) {
    const list = (Array.isArray(q.events) ? q.events : [q.events]).filter(
      (e): e is string => typeof e === 'string' && e.trim() !== '',
    );
    if (list.length > 0) {
      events = events === undefined ? [...new Set(list)] : events.filter((e) => list.includes(e));
    }
  }
  if (events !== undefined) {
    f.events = events;
    f.none ||= events.length === 0;
  }
  return f;
}

/** `x=<id>`, `x[]=<type>&x[]=<id>`, `x[type]=<type>&x[id]=<id>`; null when unmatchable. */
export function refFilter(value: unknown): RefFilter | null {
  if (typeof value === 'string') {
    const id = idMatch(value);
    return id && { type: null, id };
  }
  let pair: [unknown, unknown] | null = null;
  if (Array.isArray(value) && value.length === 2) {
    pair = [value[0], value[1]];
  } else if (isPlainObject(value)) {
    pair = [value.type, value.id];
  }
  if (!pair || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
    return null;
  }
  const type = normalizeType(pair[0]);
  const id = idMatch(pair[1]);
  return type !== null && id !== null ? { type, id } : null;
}

function idMatch(value: string): IdMatch | null {
  if (value === '') {
    return null;
  }
  return UUID_RE.test(value)
    ? { kind: 'exact', id: value.toLowerCase() }
    : { kind: 'like', term: value };
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * `date[start]` and `date[end]`: whole days, both inclusive, spanning 1..31 days
 * (start = end spans 0). Both are needed; one alone is ignored.
 */
export function dateRange(q: Query): DateRange | undefined {
  const date = q.date;
  if (!isPlainObject(date) || !has(date, 'start') || !has(date, 'end')) {
    return undefined;
  }
  if (date.start === '' || date.end === '') {
    return undefined;
  }
  const start = calendarDay(date.start);
  const end = calendarDay(date.end);
  if (start === null || end === null) {
    throw new ParamError('invalid date range', { parameter: 'date' });
  }
  const span = Math.round((end - start) / DAY_MS);
  if (span < MIN_RANGE || span > MAX_RANGE) {
    throw new ParamError(
      `date range must be between ${MIN_RANGE} and ${MAX_RANGE} days (got ${span})`,
      { parameter: 'date' },
    );
  }
  return { from: new Date(start), until: new Date(end + DAY_MS) };
}

const DATE_RE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s].*)?$/;

/** The calendar day a date or time names, as UTC midnight in ms; null when unparseable. */
function calendarDay(value: unknown): number | null {
  if (typeof value !== 'string') {
    return null;
  }
  const m = DATE_RE.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = Date.UTC(y, mo - 1, d);
    const back = new Date(t);
    // 2017-02-30 is not a day (Ruby raises "invalid date").
    return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? t : null;
  }
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed) || !/\d/.test(value)) {
    return null;
  }
  const d = new Date(parsed);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}
