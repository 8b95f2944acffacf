import { camelizeKeys } from '@libs/jsonapi';
import { requestLogResource } from './log-resource';
import { pathSegments, routeTarget, type ResourceRef } from './log-types';
import { filterUrl, redact, redactJsonText } from './redaction';
import type { RequestLog } from './request-log.entity';

/** Request headers kept in a log, in the casing they are rendered with (spec 06 §1.2). */
export const LOGGED_REQUEST_HEADERS = [
  'Accept',
  'Content-Length',
  'Content-Type',
  'Origin',
  'Host',
];

/** Response headers kept in a log (present ones only). */
export const LOGGED_RESPONSE_HEADERS = [
  'Content-Length',
  'Content-Type',
  'Date',
  'Digest',
  'Keygen-Account',
  'Keygen-Bearer',
  'Keygen-Date',
  'Keygen-Digest',
  'Keygen-Edition',
  'Keygen-Environment',
  'Keygen-License',
  'Keygen-Mode',
  'Keygen-Signature',
  'Keygen-Token',
  'Keygen-Version',
];

/**
 * What the request path keeps of a request: references and scalars, no parsing, no
 * copying (the response bytes are the buffer that was sent).
 */
export interface CapturedRequest {
  id: string;
  accountId: string;
  environmentId: string | null;
  requestor: ResourceRef | null;
  method: string;
  /** Path and query as received. */
  url: string;
  status: number;
  userAgent: string | null;
  ip: string | null;
  requestHeaders: Record<string, string>;
  /** The parsed (snake_cased) JSON body, when there was one within the size cap. */
  requestBody: unknown;
  responseHeaders: Record<string, string>;
  responseBytes: Buffer;
  /** Raw `X-Request-Start` / `X-Queue-Start` set by a proxy. */
  proxyStart: string | null;
  /** Request start and end on the app clock (ms since the epoch). */
  startedAt: number;
  endedAt: number;
  /** Records the request's events were about (resolves aliased route ids). */
  touched: ResourceRef[];
}

/**
 * The queued form of a captured request (spec 07 §2.6). Through a serialising queue
 * (Bull) it is JSON-safe, the response body as text; through the in-process queue the
 * response keeps the bytes that were sent, so no copy of it is made until the row is
 * built.
 */
export interface RequestLogEntry extends Omit<CapturedRequest, 'responseBytes' | 'requestBody'> {
  /** `{data?, meta?}` of the request body, or null. */
  requestBody: Record<string, unknown> | null;
  /** The response body when it is JSON or text and within the cap, else null. */
  responseText: string | null;
  /** Instead of `responseText` (in-process queue): the response bytes, same conditions. */
  responseBytes?: Buffer | null;
}

/** A row to insert: the response body may still be the bytes that were sent. */
export type RequestLogRow = Omit<RequestLog, 'responseBody'> & { responseBody: string | Buffer | null };

/**
 * Turns a capture into its queued form (done off the request path, when a batch
 * flushes); `keepBytes` when the queue hands payloads over in process.
 */
export function toEntry(
  c: CapturedRequest,
  maxBodyBytes: number,
  keepBytes = false,
): RequestLogEntry {
  const { responseBytes, requestBody, ...rest } = c;
  const type = mimeType(c.responseHeaders['Content-Type']);
  const textual = type !== null && (isJson(type) || type === 'text/plain' || type === 'text/html');
  const kept = textual && responseBytes.length > 0 && responseBytes.length <= maxBodyBytes;
  const entry: RequestLogEntry = {
    ...rest,
    requestBody: dataAndMeta(requestBody),
    responseText: kept && !keepBytes ? responseBytes.toString('utf8') : null,
  };
  if (keepBytes) {
    entry.responseBytes = kept ? responseBytes : null;
  }
  return entry;
}

/**
 * The row a queued entry becomes: URL filtered, bodies redacted, resource resolved.
 * A JSON body given as bytes with nothing to redact stays those bytes (no copy).
 */
export function toRow(e: RequestLogEntry, now: Date): RequestLogRow {
  const type = mimeType(e.responseHeaders['Content-Type']);
  const bytes = e.responseBytes ?? null;
  const text = e.responseText ?? (bytes === null ? null : bytes.toString('utf8'));
  let responseBody: string | Buffer | null = null;
  let documentText: string | null = null;
  if (text !== null && type !== null) {
    if (isJson(type)) {
      // Postgres text cannot hold U+0000; JSON escapes it, so only text bodies need care.
      documentText = redactJsonText(text);
      responseBody = bytes !== null && documentText === text ? bytes : documentText;
    } else {
      responseBody = text.replaceAll('\u0000', '\ufffd');
    }
  }
  const resource = requestLogResource(
    routeTarget(pathSegments(e.url.split('?')[0])),
    e.status,
    e.touched,
    documentText === null ? null : documentRef(documentText),
  );
  const created = requestTime(e.startedAt, e.proxyStart);
  return {
    id: e.id,
    accountId: e.accountId,
    environmentId: e.environmentId,
    requestorType: e.requestor?.type ?? null,
    requestorId: e.requestor?.id ?? null,
    resourceType: resource?.type ?? null,
    resourceId: resource?.id ?? null,
    method: e.method.toUpperCase(),
    url: filterUrl(e.url),
    status: String(e.status),
    userAgent: userAgent(e.userAgent),
    ip: e.ip,
    requestHeaders: e.requestHeaders,
    // Keygen filters the snake_cased params, then camelizes the keys back.
    requestBody:
      e.requestBody === null ? null : JSON.stringify(camelizeKeys(redact(e.requestBody))),
    responseHeaders: e.responseHeaders,
    responseBody,
    responseSignature: e.responseHeaders['Keygen-Signature'] ?? null,
    queueTime: Math.max(0, e.startedAt - created),
    runTime: Math.max(0, e.endedAt - e.startedAt),
    createdAt: new Date(created),
    updatedAt: now,
  };
}

/** The body's top-level `data` and `meta` members (others dropped); null when neither. */
function dataAndMeta(body: unknown): Record<string, unknown> | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return null;
  }
  const b = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['data', 'meta']) {
    if (Object.prototype.hasOwnProperty.call(b, k) && b[k] !== undefined) {
      out[k] = b[k];
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** `application/vnd.api+json; charset=utf-8` → `application/vnd.api+json`. */
function mimeType(contentType: string | undefined): string | null {
  const t = contentType?.split(';')[0].trim().toLowerCase();
  return t ? t : null;
}

function isJson(type: string): boolean {
  return type === 'application/json' || type === 'application/vnd.api+json';
}

/** Our documents start `{"data":{"id":…,"type":…`: read a single resource's identity off the text. */
const DOCUMENT_REF_RE = /^\{"data":\{"id":"([^"\\]+)","type":"([^"\\]+)"/;

/** `{type, id}` of a single-resource document, for alias resolution. */
function documentRef(text: string): ResourceRef | null {
  const m = DOCUMENT_REF_RE.exec(text);
  return m ? { type: m[2], id: m[1] } : null;
}

/** Non-ASCII characters become `?` (Keygen transcodes the header to ASCII); blank → null. */
function userAgent(ua: string | null): string | null {
  if (ua === null || ua === '') {
    return null;
  }
  // eslint-disable-next-line no-control-regex -- the class is "anything outside ASCII"
  return ua.replace(/[^\x00-\x7f]/g, '?');
}

/**
 * The request time: a proxy's `X-Request-Start` / `X-Queue-Start` (digits: epoch seconds
 * then fraction, as `t=1717512345.678` or microseconds) when it is earlier than the
 * app's own start, else the start.
 */
export function requestTime(startedAt: number, proxyStart: string | null): number {
  if (!proxyStart) {
    return startedAt;
  }
  const digits = proxyStart.replace(/[^0-9]/g, '');
  if (digits.length < 10) {
    return startedAt;
  }
  const ms = Number(`${digits.slice(0, 10)}.${digits.slice(10, 16) || '0'}`) * 1000;
  return Number.isFinite(ms) && ms > 0 && ms < startedAt ? Math.floor(ms) : startedAt;
}
