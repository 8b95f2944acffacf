import {
  camelKey,
  isPlainObject,
  metadataFilterCandidates,
  p,
  snakeKey,
  underscoreKey,
  validateParams,
} from '@libs/jsonapi';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { refFilter, type IdMatch } from '@app/modules/logs/dto/log-filters';
import { normalizeType } from '@app/modules/logs/log-types';

/**
 * `POST /search` (spec 00 §5.6) as pure data: the body is validated, the type resolved
 * and every term turned into a clause the search repository renders as SQL. Nothing
 * here touches the database or the bearer.
 */

export type SearchType =
  | 'entitlements'
  | 'request-logs'
  | 'products'
  | 'policies'
  | 'licenses'
  | 'machines'
  | 'users'
  | 'releases'
  | 'groups';

export type SearchOp = 'AND' | 'OR';

/** A related record a term can name: by id, or by text (name/email) with an id prefix. */
export type Relation = 'product' | 'policy' | 'license' | 'owner' | 'user';

export type RelatedMatch =
  { kind: 'id'; id: string } | { kind: 'text'; term: string; idPrefix: boolean };

/** Column names here are our own constants, never request input. */
export type SearchClause =
  | { kind: 'none' }
  | { kind: 'idExact'; column: string; id: string }
  | { kind: 'idLike'; column: string; term: string }
  /** Case-insensitive substring. */
  | { kind: 'contains'; column: string; term: string }
  /** Case-sensitive substring. */
  | { kind: 'containsCase'; column: string; term: string }
  /** Case-insensitive prefix. */
  | { kind: 'startsWith'; column: string; term: string }
  | { kind: 'equals'; column: string; value: string }
  /** The user's role name (Keygen's are snake_case: `read_only`), case-insensitive substring. */
  | { kind: 'role'; term: string }
  /** Every entry must match; each entry matches when any of its candidates is contained. */
  | { kind: 'metadata'; entries: Array<Array<Record<string, unknown>>> }
  | { kind: 'related'; relation: Relation; match: RelatedMatch }
  | { kind: 'all'; clauses: SearchClause[] };

export interface SearchRequest {
  type: SearchType;
  op: SearchOp;
  clauses: SearchClause[];
}

/** A 400 with its pointer; the service turns it into the project's error. */
export interface SearchProblem {
  detail: string;
  pointer: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: SearchProblem };

const MIN_TERM = 3;

const TYPES: Record<string, SearchType> = {
  entitlement: 'entitlements',
  request_log: 'request-logs',
  product: 'products',
  policy: 'policies',
  license: 'licenses',
  machine: 'machines',
  user: 'users',
  release: 'releases',
  group: 'groups',
};

/** Searchable attributes per type, snake_case (spec 00 §5.6). */
export const SEARCHABLE: Record<SearchType, readonly string[]> = {
  entitlements: ['id', 'code', 'name'],
  products: ['id', 'name', 'metadata'],
  policies: ['id', 'name', 'metadata', 'product'],
  licenses: ['id', 'key', 'name', 'metadata', 'owner', 'user', 'product', 'policy'],
  machines: [
    'id',
    'fingerprint',
    'name',
    'metadata',
    'license',
    'owner',
    'user',
    'product',
    'policy',
  ],
  users: ['id', 'email', 'first_name', 'last_name', 'full_name', 'name', 'metadata', 'role'],
  releases: ['id', 'version', 'tag', 'metadata', 'product'],
  groups: ['name'],
  'request-logs': [
    'id',
    'requestor',
    'requestor_type',
    'requestor_id',
    'resource',
    'resource_type',
    'resource_id',
    'method',
    'status',
    'url',
    'ip',
  ],
};

/** Keygen's typed params for the search body: unknown root/meta keys are unpermitted. */
const SEARCH_PARAMS = p.object({
  meta: p.object({
    type: p.string(),
    op: p.string({ optional: true }),
    query: p.hash({ depth: Infinity }),
  }),
});

const UUID_CHARS_RE = /^[0-9a-f-]+$/i;
const NONE: SearchClause = { kind: 'none' };

const fail = (detail: string, pointer: string): { ok: false; problem: SearchProblem } => ({
  ok: false,
  problem: { detail, pointer },
});

/**
 * `type` in any case, singular or plural, dasherized or not (Rails' `underscore.classify`),
 * to the wire type; null when it is not searchable.
 */
export function resolveSearchType(raw: string): SearchType | null {
  const word = underscoreKey(raw).toLowerCase();
  const singular = word.endsWith('ies')
    ? `${word.slice(0, -3)}y`
    : word.endsWith('s')
      ? word.slice(0, -1)
      : word;
  return Object.prototype.hasOwnProperty.call(TYPES, singular) ? TYPES[singular] : null;
}

/**
 * Validates the (snake_cased) body in Keygen's order: typed params, type, empty query.
 * Term checks come later (`parseSearchTerms`), after the caller is authorized.
 */
export function parseSearchBody(
  body: unknown,
): Parsed<{ type: SearchType; op: SearchOp; query: Record<string, unknown> }> {
  const checked = validateParams(SEARCH_PARAMS, body ?? {}, {});
  if (!checked.ok) {
    return fail(checked.error.detail, checked.error.source.pointer ?? '/meta');
  }
  const meta = checked.value.meta as { type: string; op?: string; query: Record<string, unknown> };
  const type = resolveSearchType(meta.type);
  if (type === null) {
    return fail(`search type '${camelKey(meta.type)}' is not supported`, '/meta/type');
  }
  // compat: Keygen upcases `op` and treats anything but OR as AND here; it never
  // reaches its own unsupported-operation error for a well-formed string.
  const op: SearchOp = (meta.op ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND';
  return { ok: true, value: { type, op, query: meta.query } };
}

/** Every term to a clause; the first bad key (input order) is the 400. */
export function parseSearchTerms(
  type: SearchType,
  query: Record<string, unknown>,
): Parsed<SearchClause[]> {
  const clauses: SearchClause[] = [];
  for (const [rawKey, value] of Object.entries(query)) {
    const key = snakeKey(rawKey);
    const wire = camelKey(key);
    if (!SEARCHABLE[type].includes(key)) {
      return fail(
        `search query '${wire}' is not supported for resource type '${camelKey(type)}'`,
        `/meta/query/${wire}`,
      );
    }
    if (key === 'metadata') {
      if (!isPlainObject(value)) {
        return fail(
          "search query for 'metadata' must be a hash of key-value search terms",
          '/meta/query/metadata',
        );
      }
      const short = Object.entries(value).find(
        ([, v]) => typeof v === 'string' && v.length < MIN_TERM,
      );
      if (short) {
        const k = camelKey(short[0]);
        return fail(
          `search query for '${k}' is too small (minimum ${MIN_TERM} characters)`,
          `/meta/query/metadata/${k}`,
        );
      }
      clauses.push(metadataClause(value));
      continue;
    }
    if (typeof value === 'string' && value.length < MIN_TERM) {
      return fail(
        `search query for '${wire}' is too small (minimum ${MIN_TERM} characters)`,
        `/meta/query/${wire}`,
      );
    }
    clauses.push(termClause(type, key, value));
  }
  return { ok: true, value: clauses };
}

/** Strings as given, numbers as their text; null, booleans and containers match nothing. */
function text(value: unknown): string | null {
  if (typeof value === 'number') {
    return String(value);
  }
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function idClause(column: string, term: string): SearchClause {
  return isUuidLike(term)
    ? { kind: 'idExact', column, id: normalizeUuid(term) }
    : { kind: 'idLike', column, term };
}

function fromIdMatch(column: string, m: IdMatch): SearchClause {
  return m.kind === 'exact'
    ? { kind: 'idExact', column, id: m.id }
    : { kind: 'idLike', column, term: m.term };
}

function related(relation: Relation, term: string): SearchClause {
  return {
    kind: 'related',
    relation,
    match: isUuidLike(term)
      ? { kind: 'id', id: normalizeUuid(term) }
      : { kind: 'text', term, idPrefix: UUID_CHARS_RE.test(term) },
  };
}

/** §5.4 containment: strings match raw or cast; other values (objects, arrays) as given. */
function metadataClause(terms: Record<string, unknown>): SearchClause {
  return {
    kind: 'metadata',
    entries: Object.entries(terms).map(([k, v]) => {
      const key = snakeKey(k);
      const candidates = typeof v === 'string' ? metadataFilterCandidates(v) : [v];
      return candidates.map((c) => ({ [key]: c }));
    }),
  };
}

/** `requestor`/`resource`: an id, `[type, id]` or `{type, id}` (Keygen's search_requestor). */
function refClause(prefix: 'requestor' | 'resource', value: unknown): SearchClause {
  const ref = refFilter(value);
  if (ref === null) {
    return NONE;
  }
  const id = fromIdMatch(`${prefix}_id`, ref.id);
  return ref.type === null
    ? id
    : { kind: 'all', clauses: [{ kind: 'equals', column: `${prefix}_type`, value: ref.type }, id] };
}

function termClause(type: SearchType, key: string, value: unknown): SearchClause {
  if (type === 'request-logs' && (key === 'requestor' || key === 'resource')) {
    return refClause(key, value);
  }
  const term = text(value);
  if (term === null) {
    return NONE;
  }
  switch (key) {
    case 'id':
      return idClause('id', term);
    case 'key':
      // compat: license keys match exactly, never by substring.
      return { kind: 'equals', column: 'key', value: term };
    case 'name':
      // compat: a user's `name` is their full name.
      return type === 'users' ? fullName(term) : { kind: 'contains', column: 'name', term };
    case 'code':
    case 'email':
    case 'first_name':
    case 'last_name':
    case 'fingerprint':
    case 'version':
    case 'tag':
      return { kind: 'contains', column: key, term };
    case 'full_name':
      return fullName(term);
    case 'role':
      // Roles have no ids here, so a UUID names no role.
      return isUuidLike(term) ? NONE : { kind: 'role', term };
    case 'product':
    case 'policy':
    case 'license':
    case 'owner':
    case 'user':
      return related(key, term);
    case 'requestor_type':
    case 'resource_type': {
      const t = normalizeType(term);
      return t === null ? NONE : { kind: 'equals', column: key, value: t };
    }
    case 'requestor_id':
    case 'resource_id':
      return idClause(key, term);
    case 'method':
      return { kind: 'equals', column: 'method', value: term.toUpperCase() };
    case 'status':
      return { kind: 'equals', column: 'status', value: term };
    case 'url':
      return { kind: 'containsCase', column: 'url', term };
    case 'ip':
      return { kind: 'startsWith', column: 'ip', term };
    default:
      return NONE;
  }
}

/**
 * compat: Keygen splits on the first space: the first word must be in the first name
 * and the rest in the last name; a single word has no last-name part and matches nothing.
 */
function fullName(term: string): SearchClause {
  const parts = /^\s*(\S+)\s+(\S[\s\S]*)$/.exec(term);
  if (parts === null) {
    return NONE;
  }
  const [, first, last] = parts;
  return {
    kind: 'all',
    clauses: [
      { kind: 'contains', column: 'first_name', term: first },
      { kind: 'contains', column: 'last_name', term: last },
    ],
  };
}
