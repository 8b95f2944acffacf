/**
 * List pagination: mode selection and errors (spec §5.1), links (§5.2), ordering (§5.3).
 * Mirrors Keygen's Pagination concern + Limitable/Orderable/Pageable/KeysetPagination.
 */
import { isPlainObject } from './keys';
import { rubyToI, UUID_RE } from './params';

/** Sort direction by `created` (default desc). */
export type PageOrder = 'asc' | 'desc';

/** Effective pagination of a list request. `cursor` is the raw value ('' = first page). */
export type Pagination =
  | { mode: 'limit'; limit: number; order: PageOrder }
  | { mode: 'offset'; number: number; size: number; order: PageOrder }
  | { mode: 'cursor'; cursor: string; size: number; order: PageOrder };

/** Result of {@link parsePagination}. */
export type PaginationResult =
  | { ok: true; value: Pagination }
  | { ok: false; error: { detail: string; source: { parameter: string } } };

/** Default page size / limit. */
export const DEFAULT_PAGE_SIZE = 10;

const LOWER = 1n;
const UPPER = 100n;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

const NON_PRINTABLE_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\f': '\\f',
  '\v': '\\v',
  '\b': '\\b',
  '\x07': '\\a',
  '\x1b': '\\e',
};

/** Ruby 3.4 `#inspect` of a query value (strings escaped the Ruby way). */
export function rubyInspect(v: unknown): string {
  if (v === null || v === undefined) {
    return 'nil';
  }
  if (Array.isArray(v)) {
    return `[${v.map(rubyInspect).join(', ')}]`;
  }
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .map((k) => `${rubyInspect(k)} => ${rubyInspect(v[k])}`)
      .join(', ')}}`;
  }
  if (typeof v !== 'string') {
    return String(v);
  }
  const chars = Array.from(v);
  let out = '"';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) {
      out += named;
    } else if (ch === '#' && ['{', '$', '@'].includes(chars[i + 1] ?? '')) {
      out += '\\#';
    } else if (NON_PRINTABLE_RE.test(ch)) {
      const cp = ch.codePointAt(0) ?? 0;
      const hex = cp.toString(16).toUpperCase();
      out += cp < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

/** Ruby `to_i` of a query value; containers (which crash Keygen) count as 0. */
function toI(v: unknown): bigint {
  if (typeof v === 'string') {
    return rubyToI(v);
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'bigint') {
    return v;
  }
  return 0n;
}

/** Ruby `to_s` of a query value. */
function toS(v: unknown): string {
  if (typeof v === 'string') {
    return v;
  }
  if (v === null || v === undefined) {
    return '';
  }
  if (Array.isArray(v) || isPlainObject(v)) {
    return rubyInspect(v);
  }
  return String(v);
}

const inRange = (n: bigint): boolean => n >= LOWER && n <= UPPER;

function failure(detail: string, parameter: string): PaginationResult {
  return { ok: false, error: { detail, source: { parameter } } };
}

/** Keygen's accepted `page` shapes: `{}` or an object with a string number or cursor. */
function validPage(page: unknown): page is Record<string, unknown> {
  if (!isPlainObject(page)) {
    return false;
  }
  return (
    Object.keys(page).length === 0 ||
    typeof page.number === 'string' ||
    typeof page.number === 'number' ||
    typeof page.cursor === 'string'
  );
}

/**
 * Select limit / offset / cursor mode from a qs-parsed query (`{ page: { number: '2' } }`)
 * and validate it with Keygen's exact details and `source.parameter`s.
 */
export function parsePagination(query: Record<string, unknown>): PaginationResult {
  const paginated = hasOwn(query, 'page') && query.page !== undefined;
  const page = paginated ? query.page : {};
  if (!validPage(page)) {
    return failure(
      'page must be an object containing a cursor or number and optional size',
      'page',
    );
  }
  const rawOrder = hasOwn(query, 'order') && query.order !== undefined ? query.order : 'desc';
  const limit = hasOwn(query, 'limit') && query.limit !== undefined ? toI(query.limit) : 10n;
  const size = hasOwn(page, 'size') ? toI(page.size) : limit;

  if (paginated && hasOwn(page, 'cursor')) {
    const cursor = page.cursor;
    const valid =
      cursor === '' || cursor === null || (typeof cursor === 'string' && UUID_RE.test(cursor));
    if (!valid) {
      return failure(
        `page cursor must be a valid UUID (got ${rubyInspect(cursor)})`,
        'page[cursor]',
      );
    }
    if (!inRange(size)) {
      return failure(`page size must be a number between 1 and 100 (got ${size})`, 'page[size]');
    }
    const order = toS(rawOrder).toLowerCase();
    if (order !== 'asc' && order !== 'desc') {
      return failure('order is invalid', 'order');
    }
    const value: Pagination = { mode: 'cursor', cursor: toS(cursor), size: Number(size), order };
    return { ok: true, value };
  }

  const upper = toS(rawOrder).toUpperCase();
  if (upper !== 'ASC' && upper !== 'DESC') {
    return failure('order is invalid', 'order');
  }
  const order: PageOrder = upper === 'ASC' ? 'asc' : 'desc';

  if (paginated && hasOwn(page, 'number')) {
    const number = toI(page.number);
    if (!inRange(number)) {
      const hint = number > UPPER ? ', please use cursor-based pagination instead' : '';
      return failure(
        `page number must be a number between 1 and 100 (got ${number}${hint})`,
        'page[number]',
      );
    }
    if (!inRange(size)) {
      return failure(`page size must be a number between 1 and 100 (got ${size})`, 'page[size]');
    }
    return {
      ok: true,
      value: { mode: 'offset', number: Number(number), size: Number(size), order },
    };
  }

  if (!inRange(limit)) {
    return failure(`limit must be a number between 1 and 100 (got ${limit})`, 'limit');
  }
  return { ok: true, value: { mode: 'limit', limit: Number(limit), order } };
}

/** Ruby `CGI.escape`: unreserved `A-Za-z0-9_.-~`, space → `+`, everything else `%XX`. */
export function cgiEscape(s: string): string {
  let enc: string;
  try {
    enc = encodeURIComponent(s);
  } catch {
    enc = Array.from(Buffer.from(s, 'utf8'), (b) =>
      /[A-Za-z0-9_.\-~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    ).join('');
  }
  return enc
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function toParam(v: unknown): string {
  if (v === null || v === undefined) {
    return '';
  }
  if (v instanceof Date) {
    return v.toISOString();
  }
  return String(v);
}

function isEmptyContainer(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

function valueToQuery(value: unknown, key: string): string {
  if (isPlainObject(value)) {
    return toQueryString(value, key);
  }
  if (Array.isArray(value)) {
    const prefix = `${key}[]`;
    if (value.length === 0) {
      return `${cgiEscape(prefix)}=`;
    }
    return value.map((v) => valueToQuery(v, prefix)).join('&');
  }
  return `${cgiEscape(key)}=${cgiEscape(toParam(value))}`;
}

/**
 * Rails `Hash#to_query`: `k=v` pairs (brackets and values CGI-escaped) sorted per level,
 * nested objects as `a%5Bb%5D=…`, arrays as `a%5B%5D=…`, empty containers dropped.
 */
export function toQueryString(obj: Record<string, unknown>, namespace?: string): string {
  const parts: string[] = [];
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === undefined || isEmptyContainer(value)) {
      continue;
    }
    parts.push(valueToQuery(value, namespace === undefined ? key : `${namespace}[${key}]`));
  }
  if (!(namespace ?? '').includes('[]')) {
    parts.sort();
  }
  return parts.join('&');
}

/** Input of {@link paginationLinks}. */
export interface PaginationLinksInput {
  /** Request path as sent (no host, no query). */
  path: string;
  /** qs-parsed query of the request. */
  query: Record<string, unknown>;
  pagination: Pagination;
  /** Total row count (countable resources in offset mode). */
  count?: number;
  /** Rows returned in this page. */
  returned: number;
  /** Id of the last returned row (cursor mode). */
  lastId?: string | null;
  /** Whether a row exists after `lastId` (cursor mode). */
  hasMore?: boolean;
}

/**
 * Top-level `links` for a list response (§5.2); undefined in limit mode. `token`/`auth` are
 * removed and `page` replaced by `{ size, number | cursor }`.
 */
export function paginationLinks(input: PaginationLinksInput): Record<string, unknown> | undefined {
  const { path, query, pagination: pg } = input;
  if (pg.mode === 'limit') {
    return undefined;
  }
  const base: Record<string, unknown> = {};
  for (const k of Object.keys(query)) {
    if (k !== 'token' && k !== 'auth') {
      base[k] = query[k];
    }
  }
  const link = (page: Record<string, unknown> | null): string | null =>
    page === null
      ? null
      : `${path}?${toQueryString({ ...base, page: { size: pg.size, ...page } })}`;

  if (pg.mode === 'cursor') {
    const next = input.hasMore && input.lastId ? { cursor: input.lastId } : null;
    return { self: link({ cursor: pg.cursor }), next: link(next) };
  }

  const n = pg.number;
  if (input.count !== undefined) {
    const pages = Math.ceil(input.count / pg.size);
    const prev = n > 1 && n <= pages ? { number: n - 1 } : null;
    const next = n < pages ? { number: n + 1 } : null;
    return {
      self: link({ number: n }),
      prev: link(prev),
      next: link(next),
      first: link({ number: 1 }),
      last: link({ number: pages }),
      meta: { pages, count: input.count },
    };
  }
  return {
    self: link({ number: n }),
    prev: link(n > 1 ? { number: n - 1 } : null),
    next: link(input.returned < pg.size ? null : { number: n + 1 }),
  };
}
