/**
 * Typed-params validator reproducing Keygen's `typed_params` 400 rules (spec §4.4).
 *
 * Pipeline (only the first failure is reported):
 *   1. parameterize — unknown keys → `unpermitted parameter` (input key order, depth-first);
 *   2. bouncer      — `if`/`unless` guards failing on present keys → `unpermitted parameter`;
 *   3. coercer      — `coerce: true` nodes (Ruby `to_i`/`to_f`/… semantics);
 *   4. validator    — missing/null/type/blank/inclusion/format/length/depth, post-order
 *                     (children before parents, schema order);
 *   5. transformer  — null optionals dropped, uuids normalised, `transform`/`as` applied.
 * Steps 2–5 walk the tree post-order in schema order.
 */
import { camelKey, isPlainObject, setOwn, underscoreKey } from './keys';

/** Caller context handed to `if`/`unless` guards and transforms (e.g. `{ role: 'admin' }`). */
export type ParamsContext = Record<string, unknown>;

/** Role-conditional guard. */
export type Cond = (ctx: ParamsContext) => boolean;

/** Length rule: `{ min, max }`, `{ min }`, `{ max }` or `{ is }`. */
export interface LengthRule {
  min?: number;
  max?: number;
  is?: number;
}

/** Options shared by every node; `V` is the value type seen by `transform`/`validate`. */
export interface CommonOpts<V> {
  /** Key may be absent (default false = required). */
  optional?: boolean;
  /** `null` accepted and kept (default false). */
  nullable?: boolean;
  /** `""`/whitespace, `[]`, `{}` accepted on leaf nodes (default false). */
  allowBlank?: boolean;
  /** Key permitted only when this returns true (else `unpermitted parameter`). */
  if?: Cond;
  /** Key permitted only when this returns false (else `unpermitted parameter`). */
  unless?: Cond;
  /** Coerce the raw value before validation (Ruby semantics, see coerceValue). */
  coerce?: boolean;
  /** Alternative input key accepted for this key (renamed to the schema key before validation). */
  alias?: string;
  /** Output key rename (Keygen `as:`). */
  as?: string;
  /** Output transform; returning `undefined` drops the key. */
  transform?(value: V, ctx: ParamsContext): unknown;
  /** Custom check; false → `is invalid`. */
  validate?(value: V): boolean;
  /** Allowed values; miss → `is invalid`. */
  inclusion?: readonly unknown[];
  /** Forbidden values; hit → `is invalid`. */
  exclusion?: readonly unknown[];
}

/** Options of string nodes. */
export interface StringOpts extends CommonOpts<string> {
  inclusion?: readonly string[];
  format?: RegExp;
  length?: LengthRule;
}
/** Options of integer/float/number nodes. */
export interface NumericOpts extends CommonOpts<number> {
  inclusion?: readonly number[];
}
/** Options of boolean nodes. */
export type BooleanOpts = CommonOpts<boolean>;
/** Options of time nodes (`coerce` defaults to true). */
export type TimeOpts = CommonOpts<Date>;
/** Options of uuid nodes. */
export type UuidOpts = CommonOpts<string>;
/** Options of object nodes. */
export interface ObjectOpts extends CommonOpts<Record<string, unknown>> {
  length?: LengthRule;
}
/** Options of array nodes; `depth`/`scalarsOnly` apply only to arrays without an item schema. */
export interface ArrayOpts extends CommonOpts<unknown[]> {
  length?: LengthRule;
  depth?: number;
  scalarsOnly?: boolean;
}
/** Options of `any` nodes. */
export type AnyOpts = CommonOpts<unknown>;
/** Options of free-form hash nodes. */
export interface HashOpts extends CommonOpts<Record<string, unknown>> {
  /** Max container nesting below the hash (default 2; `Infinity` = unlimited). */
  depth?: number;
  /** Only scalar values allowed (no nesting at all); overrides `depth`. */
  scalarsOnly?: boolean;
  length?: LengthRule;
}

/** String parameter. */
export interface StringNode extends StringOpts {
  kind: 'string';
}
/** Integer parameter (JS integers; `2.0` is indistinguishable from `2`). */
export interface IntegerNode extends NumericOpts {
  kind: 'integer';
}
/** Float parameter (accepts integers too). */
export interface FloatNode extends NumericOpts {
  kind: 'float';
}
/** Any JSON number. */
export interface NumberNode extends NumericOpts {
  kind: 'number';
}
/** Boolean parameter. */
export interface BooleanNode extends BooleanOpts {
  kind: 'boolean';
}
/** Time parameter: ISO-8601 string or epoch seconds, validated value is a Date. */
export interface TimeNode extends TimeOpts {
  kind: 'time';
}
/** UUID string parameter (dashes optional, any case); output is lower-case hyphenated. */
export interface UuidNode extends UuidOpts {
  kind: 'uuid';
}
/** Object with a declared set of (snake_case) keys. */
export interface ObjectNode extends ObjectOpts {
  kind: 'object';
  props: Readonly<Record<string, Node>>;
}
/** Array; with `items` every element is validated against it. */
export interface ArrayNode extends ArrayOpts {
  kind: 'array';
  items?: Node;
}
/** Anything (no type check). */
export interface AnyNode extends AnyOpts {
  kind: 'any';
}
/** Free-form object (e.g. metadata). */
export interface HashNode extends HashOpts {
  kind: 'hash';
}

/** Schema node. */
export type Node =
  | StringNode
  | IntegerNode
  | FloatNode
  | NumberNode
  | BooleanNode
  | TimeNode
  | UuidNode
  | ObjectNode
  | ArrayNode
  | AnyNode
  | HashNode;

/** Schema DSL helpers. */
export const p = {
  /** String node. */
  string: (opts: StringOpts = {}): StringNode => ({ ...opts, kind: 'string' }),
  /** Integer node. */
  integer: (opts: NumericOpts = {}): IntegerNode => ({ ...opts, kind: 'integer' }),
  /** Float node. */
  float: (opts: NumericOpts = {}): FloatNode => ({ ...opts, kind: 'float' }),
  /** Number node. */
  number: (opts: NumericOpts = {}): NumberNode => ({ ...opts, kind: 'number' }),
  /** Boolean node. */
  boolean: (opts: BooleanOpts = {}): BooleanNode => ({ ...opts, kind: 'boolean' }),
  /** Time node (coerced by default). */
  time: (opts: TimeOpts = {}): TimeNode => ({ ...opts, kind: 'time' }),
  /** UUID node. */
  uuid: (opts: UuidOpts = {}): UuidNode => ({ ...opts, kind: 'uuid' }),
  /** Object node with declared snake_case keys. */
  object: (props: Record<string, Node>, opts: ObjectOpts = {}): ObjectNode => ({
    ...opts,
    kind: 'object',
    props,
  }),
  /** Array node; omit `items` for an array of scalars. */
  array: (items?: Node | null, opts: ArrayOpts = {}): ArrayNode =>
    items ? { ...opts, kind: 'array', items } : { ...opts, kind: 'array' },
  /** Any-value node. */
  any: (opts: AnyOpts = {}): AnyNode => ({ ...opts, kind: 'any' }),
  /** Free-form hash node. */
  hash: (opts: HashOpts = {}): HashNode => ({ ...opts, kind: 'hash' }),
};

/** Failure returned by {@link validateParams}. */
export interface ParamsError {
  detail: string;
  source: { pointer?: string; parameter?: string };
}

/** Result of {@link validateParams}. */
export type ParamsResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; error: ParamsError };

/** Options of {@link validateParams}. */
export interface ValidateOpts {
  /** `pointer` (body, default) or `parameter` (query string, bracket notation). */
  source?: 'pointer' | 'parameter';
  /** Unknown / guarded keys raise (true) or are dropped (false). Default: body true, query false. */
  strict?: boolean;
}

/** Keygen's UUID_RE. */
export const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Lower-case, hyphenated form of a UUID accepted by {@link UUID_RE}. */
export function normalizeUuid(s: string): string {
  const h = s.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Ruby `String#blank?` whitespace class ([[:space:]]). */
export const BLANK_STRING_RE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

type PathKey = string | number;

/** Node with uniformly typed callbacks for the engine (methods are bivariant). */
type LooseNode = Node & CommonOpts<unknown>;

interface PNode {
  node: LooseNode;
  key: PathKey | null;
  parent: PNode | null;
  value: unknown;
  kids?: Map<string, PNode> | PNode[];
  dropped?: boolean;
}

class Failure {
  constructor(
    readonly detail: string,
    readonly path: PathKey[],
  ) {}
}

function pathOf(pn: PNode | null, extra: PathKey[] = []): PathKey[] {
  const keys: PathKey[] = [];
  for (let n = pn; n && n.key !== null; n = n.parent) {
    keys.push(n.key);
  }
  return keys.reverse().concat(extra);
}

function fail(detail: string, pn: PNode | null, extra: PathKey[] = []): never {
  throw new Failure(detail, pathOf(pn, extra));
}

const aliasCache = new WeakMap<ObjectNode, Map<string, string>>();

function aliasesOf(node: ObjectNode): Map<string, string> {
  let m = aliasCache.get(node);
  if (!m) {
    m = new Map();
    for (const [k, child] of Object.entries(node.props)) {
      if (child.alias) {
        m.set(child.alias, k);
      }
    }
    aliasCache.set(node, m);
  }
  return m;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

// ---------------------------------------------------------------------------------------------
// 1. parameterize

function parameterize(
  node: LooseNode,
  key: PathKey | null,
  parent: PNode | null,
  value: unknown,
  strict: boolean,
): PNode {
  const pn: PNode = { node, key, parent, value };
  buildKids(pn, strict);
  return pn;
}

function buildKids(pn: PNode, strict: boolean): void {
  const { node, value } = pn;
  pn.kids = undefined;
  if (node.kind === 'object' && isPlainObject(value)) {
    const kids = new Map<string, PNode>();
    for (const k of Object.keys(value)) {
      const childKey = hasOwn(node.props, k) ? k : aliasesOf(node).get(k);
      if (childKey === undefined) {
        if (strict) {
          fail('unpermitted parameter', pn, [k]);
        }
        continue;
      }
      const child = node.props[childKey] as LooseNode;
      kids.set(childKey, parameterize(child, childKey, pn, value[k], strict));
    }
    pn.kids = kids;
  } else if (node.kind === 'array' && node.items && Array.isArray(value)) {
    const items = node.items as LooseNode;
    pn.kids = value.map((v, i) => parameterize(items, i, pn, v, strict));
  }
}

// ---------------------------------------------------------------------------------------------
// post-order walk in schema order

function walk(
  pn: PNode,
  visit: (pn: PNode) => void,
  onMissing?: (child: LooseNode, key: string, parent: PNode) => void,
): void {
  const { node, kids } = pn;
  if (node.kind === 'object' && kids instanceof Map) {
    for (const k of Object.keys(node.props)) {
      const kid = kids.get(k);
      if (kid) {
        walk(kid, visit, onMissing);
      } else if (onMissing) {
        onMissing(node.props[k] as LooseNode, k, pn);
      }
    }
  } else if (Array.isArray(kids)) {
    for (const kid of kids) {
      if (!kid.dropped) {
        walk(kid, visit, onMissing);
      }
    }
  }
  visit(pn);
}

function removeFromParent(pn: PNode): void {
  const kids = pn.parent?.kids;
  if (kids instanceof Map && typeof pn.key === 'string') {
    kids.delete(pn.key);
  }
  pn.dropped = true;
}

// ---------------------------------------------------------------------------------------------
// type words

function receivedWord(v: unknown): string {
  if (v === null || v === undefined) {
    return 'null';
  }
  if (typeof v === 'string') {
    return 'string';
  }
  if (typeof v === 'boolean') {
    return 'boolean';
  }
  if (typeof v === 'number') {
    return Number.isInteger(v) ? 'integer' : 'float';
  }
  if (Array.isArray(v)) {
    return 'array';
  }
  if (v instanceof Date) {
    return 'time';
  }
  if (isPlainObject(v)) {
    return 'object';
  }
  return 'unknown';
}

/** Ruby type names (`Type#to_s`) used in coercion failures: `hash`, `nil`. */
function coercionWord(v: unknown): string {
  if (v === null || v === undefined) {
    return 'nil';
  }
  const w = receivedWord(v);
  return w === 'object' ? 'hash' : w;
}

const EXPECTED: Record<Node['kind'], string> = {
  string: 'string',
  integer: 'integer',
  float: 'float',
  number: 'number',
  boolean: 'boolean',
  time: 'time',
  uuid: 'UUID string',
  object: 'object',
  array: 'array',
  any: 'any',
  hash: 'object',
};

const TYPE_NAMES: Record<Node['kind'], string> = {
  string: 'string',
  integer: 'integer',
  float: 'float',
  number: 'number',
  boolean: 'boolean',
  time: 'time',
  uuid: 'uuid',
  object: 'hash',
  array: 'array',
  any: 'any',
  hash: 'hash',
};

function typeMatches(node: LooseNode, v: unknown): boolean {
  switch (node.kind) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'float':
    case 'number':
      return typeof v === 'number' && !Number.isNaN(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'time':
      return v instanceof Date && !Number.isNaN(v.getTime());
    case 'uuid':
      return typeof v === 'string' && UUID_RE.test(v);
    case 'object':
    case 'hash':
      return isPlainObject(v);
    case 'array':
      return Array.isArray(v);
    case 'any':
      return true;
  }
}

function isScalar(v: unknown): boolean {
  return !Array.isArray(v) && !isPlainObject(v);
}

/** ActiveSupport `blank?` for JSON values (`false` is blank for Ruby, nil-like for coercion). */
function rubyBlank(v: unknown): boolean {
  if (v === null || v === undefined || v === false) {
    return true;
  }
  if (typeof v === 'string') {
    return BLANK_STRING_RE.test(v);
  }
  if (Array.isArray(v)) {
    return v.length === 0;
  }
  if (isPlainObject(v)) {
    return Object.keys(v).length === 0;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// 3. coercion (Ruby semantics of typed_params' type coercers)

class CoercionFailure {}

const BOOLEAN_TRUTHY: readonly unknown[] = [
  1,
  '1',
  'true',
  'TRUE',
  't',
  'T',
  'yes',
  'YES',
  'y',
  'Y',
];

/** Ruby `String#to_i`: leading whitespace, sign, digits (single `_` separators); else 0. */
export function rubyToI(s: string): bigint {
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d+(?:_\d+)*)/.exec(s);
  if (!m) {
    return 0n;
  }
  const n = BigInt(m[2].replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

function rubyToF(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?(?:\d+(?:_\d+)*)?(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+)?)/.exec(s);
  const n = m ? Number.parseFloat(m[1].replace(/_/g, '')) : Number.NaN;
  return Number.isNaN(n) ? 0 : n;
}

function rubySplitComma(s: string): string[] {
  const parts = s.split(',');
  while (parts.length > 0 && parts[parts.length - 1] === '') {
    parts.pop();
  }
  return parts;
}

/** Rough Ruby `#inspect` for coercing containers to strings. */
function rubyInspect(v: unknown): string {
  if (v === null || v === undefined) {
    return 'nil';
  }
  if (typeof v === 'string') {
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) {
    return `[${v.map(rubyInspect).join(', ')}]`;
  }
  if (isPlainObject(v)) {
    const parts = Object.keys(v).map((k) => `${JSON.stringify(k)} => ${rubyInspect(v[k])}`);
    return `{${parts.join(', ')}}`;
  }
  return String(v);
}

const ISO_TIME_RE =
  /^\s*([+-]?\d{4,})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz]|UTC|GMT)|([+-])(\d{2}):?(\d{2})?)?\s*$/;

/** Parse a time string; null when it holds no date at all, CoercionFailure when out of range. */
function parseTimeString(s: string): Date | null {
  const m = ISO_TIME_RE.exec(s);
  if (m) {
    const [year, mon, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [hour, min, sec] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || min > 59 || sec > 60) {
      throw new CoercionFailure();
    }
    if (hour > 24 || (hour === 24 && (min > 0 || sec > 0))) {
      throw new CoercionFailure();
    }
    let offsetMin = 0;
    if (m[9]) {
      offsetMin = (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11] ?? 0));
    }
    const d = new Date(0);
    d.setUTCFullYear(year, mon - 1, day);
    d.setUTCHours(hour, min - offsetMin, sec, ms);
    if (Number.isNaN(d.getTime())) {
      throw new CoercionFailure();
    }
    return d;
  }
  const t = Date.parse(s);
  if (!Number.isNaN(t)) {
    return new Date(t);
  }
  if (!/\d/.test(s)) {
    return null;
  } // Rails: no date parts found → nil
  throw new CoercionFailure();
}

function coerceTime(v: unknown): Date | null {
  if (rubyBlank(v)) {
    return null;
  }
  if (v instanceof Date) {
    return v;
  }
  const epoch = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null;
  if (epoch !== null && /^\d+$/.test(epoch)) {
    const d = new Date(Number(epoch) * 1000);
    if (Number.isNaN(d.getTime())) {
      throw new CoercionFailure();
    }
    return d;
  }
  if (typeof v === 'string') {
    return parseTimeString(v);
  }
  throw new CoercionFailure();
}

/** Coerce like typed_params' `coerce:` lambdas (throws CoercionFailure). */
function coerceValue(node: LooseNode, v: unknown): unknown {
  switch (node.kind) {
    case 'integer': {
      if (rubyBlank(v)) {
        return null;
      }
      if (typeof v === 'string') {
        return Number(rubyToI(v));
      }
      if (typeof v === 'number' && Number.isFinite(v)) {
        return Math.trunc(v);
      }
      if (v instanceof Date) {
        return Math.floor(v.getTime() / 1000);
      }
      throw new CoercionFailure();
    }
    case 'float': {
      if (rubyBlank(v)) {
        return null;
      }
      if (typeof v === 'string') {
        return rubyToF(v);
      }
      if (typeof v === 'number') {
        return v;
      }
      if (v instanceof Date) {
        return v.getTime() / 1000;
      }
      throw new CoercionFailure();
    }
    case 'boolean':
      if (typeof v === 'string' || typeof v === 'number') {
        return BOOLEAN_TRUTHY.includes(v);
      }
      return null;
    case 'string':
      if (v === null || v === undefined) {
        return '';
      }
      if (typeof v === 'string') {
        return v;
      }
      if (typeof v === 'number' || typeof v === 'boolean') {
        return String(v);
      }
      if (v instanceof Date) {
        return v.toISOString();
      }
      return rubyInspect(v);
    case 'time':
      return coerceTime(v);
    case 'array':
      if (v === null || v === undefined) {
        return [];
      }
      if (typeof v === 'string') {
        return rubySplitComma(v);
      }
      if (Array.isArray(v)) {
        return v;
      }
      if (isPlainObject(v)) {
        return Object.keys(v).map((k) => [k, v[k]]);
      }
      return [v];
    case 'object':
    case 'hash': {
      if (isPlainObject(v)) {
        return v;
      }
      if (!Array.isArray(v)) {
        return {};
      }
      const out: Record<string, unknown> = {};
      for (const pair of v) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new CoercionFailure();
        }
        setOwn(out, String(pair[0]), pair[1]);
      }
      return out;
    }
    default:
      return v;
  }
}

function isCoercible(node: LooseNode): boolean {
  if (node.kind === 'time') {
    return node.coerce !== false;
  }
  if (!node.coerce) {
    return false;
  }
  return node.kind !== 'uuid' && node.kind !== 'number' && node.kind !== 'any';
}

// ---------------------------------------------------------------------------------------------
// 4. validation

function lengthOf(v: unknown): number {
  if (typeof v === 'string') {
    let n = 0;
    for (const _ of v) {
      n++;
    }
    return n;
  }
  if (Array.isArray(v)) {
    return v.length;
  }
  if (isPlainObject(v)) {
    return Object.keys(v).length;
  }
  return 0;
}

function checkLength(rule: LengthRule, v: unknown, pn: PNode): void {
  const len = lengthOf(v);
  const { min, max, is } = rule;
  if (min !== undefined && max !== undefined) {
    if (len < min || len > max) {
      fail(`length must be between ${min} and ${max} (inclusive)`, pn);
    }
  } else if (min !== undefined) {
    if (len < min) {
      fail(`length must be greater than or equal to ${min}`, pn);
    }
  } else if (max !== undefined) {
    if (len > max) {
      fail(`length must be less than or equal to ${max}`, pn);
    }
  } else if (is !== undefined) {
    if (len !== is) {
      fail(`length must be equal to ${is}`, pn);
    }
  }
}

function checkDepth(v: unknown, max: number, pn: PNode, depth = 0, path: PathKey[] = []): void {
  const entries: [PathKey, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : isPlainObject(v)
      ? Object.keys(v).map((k) => [k, v[k]])
      : [];
  for (const [k, child] of entries) {
    if (isScalar(child)) {
      continue;
    }
    const childPath = path.concat([k]);
    if (depth >= max) {
      fail(`maximum depth of ${max} exceeded`, pn, childPath);
    }
    checkDepth(child, max, pn, depth + 1, childPath);
  }
}

function isLeaf(node: LooseNode): boolean {
  return node.kind !== 'object' && !(node.kind === 'array' && node.items);
}

/** Depth limit of a node, or undefined when non-scalars are not allowed / not limited. */
function depthLimit(node: LooseNode): number | undefined {
  if (node.kind === 'hash') {
    return node.scalarsOnly ? undefined : (node.depth ?? 2);
  }
  if (node.kind === 'array' && !node.items && !node.scalarsOnly) {
    return node.depth;
  }
  return undefined;
}

function scalarsOnly(node: LooseNode): boolean {
  if (node.kind === 'hash') {
    return !!node.scalarsOnly;
  }
  if (node.kind === 'array' && !node.items) {
    return node.scalarsOnly || node.depth === undefined;
  }
  return false;
}

function check(pn: PNode): void {
  const { node, value: v } = pn;
  if (v === null || v === undefined) {
    if (node.optional || node.nullable) {
      return;
    }
    fail('cannot be null', pn);
  }
  if (!typeMatches(node, v)) {
    fail(`type mismatch (received ${receivedWord(v)} expected ${EXPECTED[node.kind]})`, pn);
  }
  if (isLeaf(node)) {
    if (scalarsOnly(node)) {
      if (node.kind === 'hash' && isPlainObject(v)) {
        for (const k of Object.keys(v)) {
          if (!isScalar(v[k])) {
            fail('unpermitted type (expected object of scalar types)', pn, [k]);
          }
        }
      } else if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (!isScalar(x)) {
            fail('unpermitted type (expected array of scalar types)', pn, [i]);
          }
        });
      }
    }
    if (v !== false && rubyBlank(v)) {
      if (!node.allowBlank) {
        fail('cannot be blank', pn);
      }
      return;
    }
  }
  if (node.inclusion && !node.inclusion.includes(v)) {
    fail('is invalid', pn);
  }
  if (node.exclusion && node.exclusion.includes(v)) {
    fail('is invalid', pn);
  }
  if (node.kind === 'string' && node.format) {
    node.format.lastIndex = 0;
    if (!node.format.test(v as string)) {
      fail('format is invalid', pn);
    }
  }
  if (
    (node.kind === 'string' ||
      node.kind === 'object' ||
      node.kind === 'array' ||
      node.kind === 'hash') &&
    node.length
  ) {
    checkLength(node.length, v, pn);
  }
  const max = depthLimit(node);
  if (max !== undefined && Number.isFinite(max)) {
    checkDepth(v, max, pn);
  }
  if (node.validate && !node.validate(v)) {
    fail('is invalid', pn);
  }
}

// ---------------------------------------------------------------------------------------------
// 5. output

const DROP = Symbol('drop');

function output(pn: PNode, ctx: ParamsContext): unknown {
  const { node, kids } = pn;
  let v: unknown;
  if (kids instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, kid] of kids) {
      const kv = output(kid, ctx);
      if (kv !== DROP) {
        setOwn(out, kid.node.as ?? k, kv);
      }
    }
    v = out;
  } else if (Array.isArray(kids)) {
    v = kids
      .filter((k) => !k.dropped)
      .map((k) => output(k, ctx))
      .filter((x) => x !== DROP);
  } else {
    v = pn.value;
    if (node.kind === 'uuid' && typeof v === 'string') {
      v = normalizeUuid(v);
    }
  }
  if (pn.parent) {
    const dropNull = node.optional && !node.nullable;
    if ((v === null || v === undefined) && dropNull) {
      return DROP;
    }
    if (node.transform) {
      v = node.transform(v, ctx);
      if (v === undefined || (v === null && dropNull)) {
        return DROP;
      }
    }
  }
  return v;
}

// ---------------------------------------------------------------------------------------------

function toPointer(path: PathKey[]): string {
  return (
    '/' +
    path.map((k) => (typeof k === 'number' ? String(k) : camelKey(underscoreKey(k)))).join('/')
  );
}

function toBracket(path: PathKey[]): string {
  const [head, ...tail] = path;
  const base = head === undefined ? '' : String(head);
  return (
    base + tail.map((k) => `[${typeof k === 'number' ? k : camelKey(underscoreKey(k))}]`).join('')
  );
}

/**
 * Validate `input` against `schema`; the first failure is returned as
 * `{ detail, source: { pointer } }` (or `{ parameter }` for query params).
 */
export function validateParams(
  schema: ObjectNode,
  input: unknown,
  ctx: ParamsContext = {},
  opts: ValidateOpts = {},
): ParamsResult {
  const isQuery = opts.source === 'parameter';
  const strict = opts.strict ?? !isQuery;
  try {
    const value = input === undefined || input === null ? {} : input;
    const root = parameterize(schema as LooseNode, null, null, value, strict);

    walk(root, (pn) => {
      const { node } = pn;
      if (!pn.parent || (!node.if && !node.unless)) {
        return;
      }
      const permitted = node.if ? node.if(ctx) : !node.unless?.(ctx);
      if (permitted) {
        return;
      }
      if (strict) {
        fail('unpermitted parameter', pn);
      }
      removeFromParent(pn);
    });

    walk(root, (pn) => {
      if (!isCoercible(pn.node)) {
        return;
      }
      const before = pn.value;
      try {
        pn.value = coerceValue(pn.node, before);
      } catch (e) {
        if (!(e instanceof CoercionFailure)) {
          throw e;
        }
        fail(`failed to coerce ${coercionWord(before)} to ${TYPE_NAMES[pn.node.kind]}`, pn);
      }
      if (pn.value !== before) {
        buildKids(pn, strict);
      }
    });

    walk(root, check, (child, key, parent) => {
      if (!child.optional) {
        fail('is missing', parent, [key]);
      }
    });

    return { ok: true, value: output(root, ctx) as Record<string, unknown> };
  } catch (e) {
    if (!(e instanceof Failure)) {
      throw e;
    }
    const source = isQuery ? { parameter: toBracket(e.path) } : { pointer: toPointer(e.path) };
    return { ok: false, error: { detail: e.detail, source } };
  }
}

// ---------------------------------------------------------------------------------------------
// JSON:API helpers

function defaultOptional<N extends Node>(node: N): N {
  return node.optional === undefined ? { ...node, optional: true } : node;
}

/** Options of {@link jsonApiEnvelope}. */
export interface EnvelopeOpts {
  /** Accepted `data.type` values (singular and plural), e.g. `['license', 'licenses']`. */
  type: readonly string[];
  /** `data.attributes`; optional unless the node sets `optional: false` explicitly. */
  attributes?: ObjectNode;
  /** `data.relationships`; optional unless the node sets `optional: false` explicitly. */
  relationships?: ObjectNode;
  /** `data.id` node (e.g. `p.uuid({ optional: true, if: isAdmin })`); undeclared → unpermitted. */
  id?: Node;
  /** Root `meta`; optional unless the node sets `optional: false` explicitly. */
  meta?: ObjectNode;
  /** `data` may be absent (meta-only requests). */
  dataOptional?: boolean;
}

/** Root schema `{ data: { type, id?, attributes?, relationships? }, meta? }`. */
export function jsonApiEnvelope(o: EnvelopeOpts): ObjectNode {
  const data: Record<string, Node> = { type: p.string({ inclusion: o.type }) };
  if (o.id) {
    data.id = o.id;
  }
  if (o.attributes) {
    data.attributes = defaultOptional(o.attributes);
  }
  if (o.relationships) {
    data.relationships = defaultOptional(o.relationships);
  }
  const root: Record<string, Node> = { data: p.object(data, { optional: !!o.dataOptional }) };
  if (o.meta) {
    root.meta = defaultOptional(o.meta);
  }
  return p.object(root);
}

/** Options of {@link linkage}/{@link linkageMany}. */
export interface LinkageOpts {
  optional?: boolean;
  /** `{"data": null}` accepted (clears the relationship). */
  nullable?: boolean;
  alias?: string;
  if?: Cond;
  unless?: Cond;
}

function linkageItem(types: readonly string[]): ObjectNode {
  return p.object({ type: p.string({ inclusion: types }), id: p.uuid() });
}

/** To-one relationship node `{ data: { type, id } }` (`data` nullable when `opts.nullable`). */
export function linkage(types: readonly string[], opts: LinkageOpts = {}): ObjectNode {
  const { nullable, ...rest } = opts;
  const data = linkageItem(types);
  return p.object({ data: nullable ? { ...data, nullable: true } : data }, rest);
}

/** To-many relationship node `{ data: [{ type, id }, …] }`. */
export function linkageMany(types: readonly string[], opts: LinkageOpts = {}): ObjectNode {
  const { nullable, ...rest } = opts;
  return p.object({ data: p.array(linkageItem(types), { nullable }) }, rest);
}
