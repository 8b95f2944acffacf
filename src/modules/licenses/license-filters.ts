import { addDurationParts, parseIsoDuration, type DurationParts } from '@libs/licensing';
import { isPlainObject, metadataFilterCandidates, rubyToI, snakeKey } from '@libs/jsonapi';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { NINETY_DAYS_MS } from './license.view';

/**
 * `GET /licenses` filters (spec 02 §4.6) parsed into plain clauses the repository
 * turns into SQL (ANDed). Parsing follows Keygen's has_scope rules: a blank or
 * wrongly-shaped value is ignored; a value that cannot mean anything (an unknown
 * status, an invalid duration or date, a non-UUID id) matches no license.
 */

export type Comparison = '<' | '<=' | '=' | '>=' | '>';

export type LicenseClause =
  /** Matches nothing. */
  | { kind: 'none' }
  | { kind: 'column'; column: 'policy_id' | 'product_id' | 'owner_id' | 'group_id'; value: string }
  | { kind: 'ownerEmail'; email: string }
  /** Owner or licensee, by id or by e-mail. */
  | { kind: 'user'; id: string | null; email: string | null }
  | { kind: 'machine'; id: string }
  | { kind: 'suspended'; value: boolean }
  /** expiry in (now, now + 3 days), or its negation. */
  | { kind: 'expiring'; value: boolean; now: Date }
  /** expiry < now, or expiry null or ≥ now. */
  | { kind: 'expired'; value: boolean; now: Date }
  /** expiry set and every comparison holds. */
  | { kind: 'expiry'; checks: Array<[Comparison, Date]> }
  /** Active (created or active since) / inactive relative to `since`, banned owners excluded. */
  | { kind: 'activity'; active: boolean; since: Date }
  | { kind: 'banned' }
  /** Has an owner or a licensee, or neither. */
  | { kind: 'assigned'; value: boolean }
  /** Machine count compared to `n`. */
  | { kind: 'activations'; op: Comparison; n: number }
  /** `metadata @>` one of the candidate objects. */
  | { kind: 'metadata'; candidates: Array<Record<string, unknown>> };

export interface LicenseFilters {
  clauses: LicenseClause[];
}

/** Which filters a route accepts (the nested product/policy routes take only a few). */
export type LicenseFilterName =
  | 'metadata'
  | 'product'
  | 'policy'
  | 'owner'
  | 'user'
  | 'machine'
  | 'group'
  | 'status'
  | 'expires'
  | 'activity'
  | 'suspended'
  | 'expiring'
  | 'expired'
  | 'unassigned'
  | 'assigned'
  | 'activated'
  | 'activations';

export const ALL_LICENSE_FILTERS: readonly LicenseFilterName[] = [
  'metadata',
  'product',
  'policy',
  'owner',
  'user',
  'machine',
  'group',
  'status',
  'expires',
  'activity',
  'suspended',
  'expiring',
  'expired',
  'unassigned',
  'assigned',
  'activated',
  'activations',
];

const NONE: LicenseClause = { kind: 'none' };

/** has_scope's default type: a non-blank string (arrays and hashes are ignored). */
function scalar(v: unknown): string | null {
  if (typeof v === 'number') {
    return String(v);
  }
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** A non-empty hash param, or null. */
function hash(v: unknown): Record<string, unknown> | null {
  return isPlainObject(v) && Object.keys(v).length > 0 ? v : null;
}

const FALSE_VALUES = new Set(['0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF']);

/** ActiveRecord's boolean cast of a non-blank string. */
export function castBoolean(v: string): boolean {
  return !FALSE_VALUES.has(v);
}

/** Rails `present?` for a sub-param: non-blank strings (other shapes count as present). */
function present(v: unknown): boolean {
  if (v === undefined || v === null) {
    return false;
  }
  if (typeof v === 'string') {
    return v.trim() !== '';
  }
  if (Array.isArray(v)) {
    return v.length > 0;
  }
  if (isPlainObject(v)) {
    return Object.keys(v).length > 0;
  }
  return true;
}

const UUID_COLUMN = (
  column: 'policy_id' | 'product_id' | 'group_id',
  value: string,
): LicenseClause =>
  isUuidLike(value) ? { kind: 'column', column, value: normalizeUuid(value) } : NONE;

/** A duration for `within`/`in`/`inside`/`outside`: integer seconds or ISO-8601 without `P`. */
function duration(v: unknown): DurationParts | null {
  return typeof v === 'string' || typeof v === 'number' ? parseIsoDuration(String(v)) : null;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** A point in time for `before`/`after`: unix seconds, or an ISO-8601 date or time (UTC unless zoned). */
export function parseFilterTime(v: unknown): Date | null {
  if (typeof v !== 'string' && typeof v !== 'number') {
    return null;
  }
  const s = String(v).trim();
  if (/^\d+$/.test(s)) {
    return new Date(Number(rubyToI(s)) * 1000);
  }
  const m = ISO_DATE_TIME.exec(s);
  if (!m) {
    return null;
  }
  const [y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', zone] = m.slice(1);
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  const check = new Date(t);
  if (
    Number.isNaN(t) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(sec) > 59
  ) {
    return null;
  }
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return new Date(t - offset);
}

/** The UTC day `on` names: [00:00:00.000, 23:59:59.999]. */
function day(v: unknown): [Date, Date] | null {
  if (typeof v !== 'string') {
    return null;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(v.trim());
  if (!m) {
    return null;
  }
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const check = new Date(start);
  if (check.getUTCMonth() !== Number(m[2]) - 1 || check.getUTCDate() !== Number(m[3])) {
    return null;
  }
  return [new Date(start), new Date(start + 86_400_000 - 1)];
}

type Check = [Comparison, Date];

/** How `expired[...]` and `expires[...]` read the same window keys. */
interface ExpiryWindowRules {
  /** The check every window keeps: expired before now, or expiring from now on. */
  bound: Check;
  /** The far end of `within` (or `in`), from now. */
  within: (d: DurationParts) => Check;
  /** Whether `on` keeps `bound` too (`expires[on]` does not). */
  boundOn: boolean;
}

const expiryChecks = (checks: Check[] | null): LicenseClause =>
  checks ? { kind: 'expiry', checks } : NONE;

const TIME_KEYS: ReadonlyArray<['before' | 'after', Comparison]> = [
  ['before', '<='],
  ['after', '>='],
];

/**
 * The first present of `within|in`, `before`, `after`, `on` as expiry checks (an
 * unreadable value matches nothing); null when the hash has none of them.
 */
function expiryWindow(h: Record<string, unknown>, rules: ExpiryWindowRules): LicenseClause | null {
  // Ruby `within ||= in`: only a missing `within` defers to `in`.
  const within = h.within ?? h.in;
  if (present(within)) {
    const d = duration(within);
    return expiryChecks(d && [rules.bound, rules.within(d)]);
  }
  for (const [key, op] of TIME_KEYS) {
    if (present(h[key])) {
      const t = parseFilterTime(h[key]);
      return expiryChecks(t && [rules.bound, [op, t]]);
    }
  }
  if (present(h.on)) {
    const range = day(h.on);
    const bound = rules.boundOn ? [rules.bound] : [];
    return expiryChecks(range && [...bound, ['>=', range[0]], ['<=', range[1]]]);
  }
  return null;
}

/** `expired[...]` (a hash) or `expired=bool`. */
function expired(v: unknown, now: Date): LicenseClause | null {
  const h = hash(v);
  if (!h) {
    const s = scalar(v);
    return s === null ? null : { kind: 'expired', value: castBoolean(s), now };
  }
  const window = expiryWindow(h, {
    bound: ['<', now],
    within: (d) => ['>=', addDurationParts(now, d, -1)],
    boundOn: true,
  });
  // compat: a hash without a known key falls back to plain `expired=true`.
  return window ?? { kind: 'expired', value: true, now };
}

/** `expires[within|in|before|after|on]`. */
function expires(v: unknown, now: Date): LicenseClause | null {
  const h = hash(v);
  if (!h) {
    return null;
  }
  const window = expiryWindow(h, {
    bound: ['>=', now],
    within: (d) => ['<=', addDurationParts(now, d)],
    boundOn: false,
  });
  return window ?? NONE;
}

/** A duration back from now, for `activity[inside|outside]`. */
function durationAgo(v: unknown, now: Date): Date | null {
  const d = duration(v);
  return d && addDurationParts(now, d, -1);
}

/** `activity[...]` keys in order: whether they select active licenses, and their `since`. */
const ACTIVITY_KEYS: ReadonlyArray<[string, boolean, (v: unknown, now: Date) => Date | null]> = [
  ['inside', true, durationAgo],
  ['outside', false, durationAgo],
  ['before', false, parseFilterTime],
  ['after', true, parseFilterTime],
];

/** `activity[inside|outside|before|after]`. */
function activity(v: unknown, now: Date): LicenseClause | null {
  const h = hash(v);
  if (!h) {
    return null;
  }
  for (const [key, active, since] of ACTIVITY_KEYS) {
    if (present(h[key])) {
      const t = since(h[key], now);
      return t ? { kind: 'activity', active, since: t } : NONE;
    }
  }
  return NONE;
}

/** `status=` (case-insensitive); unknown values match nothing. */
function status(v: string, now: Date): LicenseClause {
  const since = new Date(now.getTime() - NINETY_DAYS_MS);
  switch (v.toUpperCase()) {
    case 'BANNED':
      return { kind: 'banned' };
    case 'SUSPENDED':
      return { kind: 'suspended', value: true };
    case 'EXPIRED':
      return { kind: 'expired', value: true, now };
    case 'EXPIRING':
      return { kind: 'expiring', value: true, now };
    case 'INACTIVE':
      return { kind: 'activity', active: false, since };
    case 'ACTIVE':
      return { kind: 'activity', active: true, since };
    default:
      return NONE;
  }
}

const ACTIVATION_OPS: ReadonlyArray<[string, Comparison]> = [
  ['eq', '='],
  ['gt', '>'],
  ['gte', '>='],
  ['lt', '<'],
  ['lte', '<='],
];

/** `activations[eq|gt|gte|lt|lte]=n` (the first present one, Ruby `to_i`). */
function activations(v: unknown): LicenseClause | null {
  const h = hash(v);
  if (!h) {
    return null;
  }
  for (const [name, op] of ACTIVATION_OPS) {
    const raw = h[name];
    if (present(raw)) {
      return typeof raw === 'string' ? { kind: 'activations', op, n: Number(rubyToI(raw)) } : NONE;
    }
  }
  return NONE;
}

/**
 * `metadata[key]=value`: JSON containment on the snake-cased top key; a string also
 * matches its typed reading (`true`, `1`, `1.5`, `null`). Nested hashes and arrays
 * are matched as given.
 */
function metadata(v: unknown): LicenseClause[] {
  const h = hash(v);
  if (!h) {
    return [];
  }
  return Object.entries(h).map(([key, value]) => {
    const k = snakeKey(key);
    const candidates =
      typeof value === 'string' ? metadataFilterCandidates(value) : [value as unknown];
    return { kind: 'metadata', candidates: candidates.map((c) => ({ [k]: c })) };
  });
}

/** Parses the query of a license list for the given filter names. */
export function parseLicenseFilters(
  query: Record<string, unknown>,
  now: Date,
  allowed: readonly LicenseFilterName[] = ALL_LICENSE_FILTERS,
): LicenseFilters {
  const clauses: LicenseClause[] = [];
  const push = (c: LicenseClause | null): void => {
    if (c) {
      clauses.push(c);
    }
  };
  for (const name of allowed) {
    const raw = query[name];
    if (raw === undefined) {
      continue;
    }
    switch (name) {
      case 'metadata':
        clauses.push(...metadata(raw));
        break;
      case 'expired':
        push(expired(raw, now));
        break;
      case 'expires':
        push(expires(raw, now));
        break;
      case 'activity':
        push(activity(raw, now));
        break;
      case 'activations':
        push(activations(raw));
        break;
      default: {
        const s = scalar(raw);
        if (s !== null) {
          push(scalarFilter(name, s, now));
        }
      }
    }
  }
  return { clauses };
}

function scalarFilter(name: LicenseFilterName, v: string, now: Date): LicenseClause | null {
  switch (name) {
    case 'product':
      return UUID_COLUMN('product_id', v);
    case 'policy':
      return UUID_COLUMN('policy_id', v);
    case 'group':
      return UUID_COLUMN('group_id', v);
    case 'owner':
      return isUuidLike(v)
        ? { kind: 'column', column: 'owner_id', value: normalizeUuid(v) }
        : { kind: 'ownerEmail', email: v };
    case 'user':
      return isUuidLike(v)
        ? { kind: 'user', id: normalizeUuid(v), email: null }
        : { kind: 'user', id: null, email: v };
    case 'machine':
      return isUuidLike(v) ? { kind: 'machine', id: normalizeUuid(v) } : NONE;
    case 'status':
      return status(v, now);
    case 'suspended':
      return { kind: 'suspended', value: castBoolean(v) };
    case 'expiring':
      return { kind: 'expiring', value: castBoolean(v), now };
    case 'assigned':
      return { kind: 'assigned', value: castBoolean(v) };
    case 'unassigned':
      return { kind: 'assigned', value: !castBoolean(v) };
    case 'activated':
      return { kind: 'activations', op: castBoolean(v) ? '>=' : '<=', n: castBoolean(v) ? 1 : 0 };
    default:
      return null;
  }
}
