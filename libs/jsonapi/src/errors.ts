/**
 * JSON:API error objects and documents as Keygen emits them (spec §4.1, §4.2, §4.5).
 */
import { snakeKey } from './keys';

/** Where an error originated: a body pointer, a query parameter or a header. */
export interface ErrorSource {
  pointer?: string;
  parameter?: string;
  header?: string;
}

/** One JSON:API error object. */
export interface ErrorObject {
  title: string;
  detail?: string;
  code?: string;
  source?: ErrorSource;
  links?: { about?: string };
}

/** Error document; `meta` (request id) is present on every error produced inside the app. */
export interface ErrorDocument {
  meta?: { id: string };
  errors: ErrorObject[];
}

/** Status → error title (§4.2; 422 is the model-validation title). */
export const TITLES: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad request',
  401: 'Unauthorized',
  402: 'Payment required',
  403: 'Access denied',
  404: 'Not found',
  405: 'Not supported',
  409: 'Conflict',
  422: 'Unprocessable resource',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
});

/** Status → default detail (§4.2); 404 is the unknown-route detail, 422 the hand-rendered one. */
export const DEFAULT_DETAILS: Readonly<Record<number, string>> = Object.freeze({
  400: 'The request could not be completed',
  401: 'You must be authenticated to complete the request',
  402: 'The request could not be completed',
  403: 'You do not have permission to complete the request',
  404: 'The requested endpoint was not found (check your HTTP method, Accept header, and URL path)',
  405: 'The request could not be completed',
  409: 'The request could not be completed because of a conflict',
  422: 'The request could not be completed',
  429:
    'Throttle limit has been reached for your IP address. Please slow down. ' +
    'See https://keygen.sh/docs/api/rate-limiting/ for more info.',
  500:
    'Looks like something went wrong! Our engineers have been notified. ' +
    'If you continue to have problems, please contact support@keygen.sh.',
  503:
    'Our services are currently unavailable. Please see https://status.keygen.sh for our ' +
    'uptime status and contact support@keygen.sh with any questions.',
});

/** Title used by hand-rendered 422s (`render_unprocessable_entity`). */
export const UNPROCESSABLE_ENTITY_TITLE = 'Unprocessable entity';

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') {
    return true;
  }
  if (typeof v === 'object') {
    if (Array.isArray(v)) {
      return v.length === 0;
    }
    return Object.keys(v).every((k) => isEmpty((v as Record<string, unknown>)[k]));
  }
  return false;
}

function compact<T extends object>(obj: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!isEmpty(v)) {
      out[k] = v;
    }
  }
  return Object.keys(out).length > 0 ? (out as T) : undefined;
}

/**
 * New error object with keys ordered title, detail, code, source, links and empty members
 * (undefined, null, '', objects with only empty members) omitted.
 */
export function errorObject(e: ErrorObject): ErrorObject {
  const out: ErrorObject = { title: e.title };
  if (!isEmpty(e.detail)) {
    out.detail = e.detail;
  }
  if (!isEmpty(e.code)) {
    out.code = e.code;
  }
  const source = e.source ? compact(e.source) : undefined;
  if (source) {
    out.source = source;
  }
  const links = e.links ? compact(e.links) : undefined;
  if (links) {
    out.links = links;
  }
  return out;
}

function stableKey(v: unknown): string {
  if (v === undefined || v === null) {
    return 'null';
  }
  if (typeof v !== 'object') {
    return JSON.stringify(v);
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableKey(o[k])}`).join(',')}}`;
}

/**
 * Error document `{ meta?: { id }, errors }` (meta first, as Keygen emits it); errors are
 * normalised with {@link errorObject} and duplicate (code, source) pairs collapsed (§4.5.6).
 */
export function errorDocument(errors: ErrorObject[], requestId?: string): ErrorDocument {
  const seen = new Set<string>();
  const list: ErrorObject[] = [];
  for (const raw of errors) {
    const e = errorObject(raw);
    const key = `${stableKey(e.code)}|${stableKey(e.source)}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    list.push(e);
  }
  return requestId ? { meta: { id: requestId }, errors: list } : { errors: list };
}

/**
 * Model validation error code: UPPER_SNAKE of `<attribute path>_<kind>`
 * (`('maxMachines', 'invalid')` → `MAX_MACHINES_INVALID`).
 */
export function modelErrorCode(attributePath: string, kind: string): string {
  return snakeKey(`${attributePath}_${kind}`).toUpperCase();
}
