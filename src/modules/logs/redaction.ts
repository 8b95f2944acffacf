/**
 * Secret redaction for request-log bodies, URLs and event-log diffs (spec 06 §1.6),
 * reproducing Keygen's FILTER_KEYS with its HashFilter partial mask on top of Rails'
 * ParameterFilter traversal.
 */
import { setOwn } from '@libs/jsonapi';

/** Keygen's FILTER_KEYS: a key containing any of these (any case) is sensitive. */
const SENSITIVE_KEY_RE =
  /passw|digest|priv|key|token|secret|crypt|salt|certificate|otp|redirect|cvv|cvc|ssn|auth/i;

const ELLIPSIS = '...';
const EDGE = 4;
/** Up to this many characters keep one character at each end; longer strings keep four. */
const SHORT = EDGE * 4 + ELLIPSIS.length;

/** Response keys repeat endlessly (`id`, `type`, `attributes`...): remember the verdicts. */
const verdicts = new Map<string, boolean>();

export function isSensitiveKey(key: string): boolean {
  let sensitive = verdicts.get(key);
  if (sensitive === undefined) {
    sensitive = SENSITIVE_KEY_RE.test(key);
    if (verdicts.size >= 10_000) {
      verdicts.clear();
    }
    verdicts.set(key, sensitive);
  }
  return sensitive;
}

/**
 * The partial mask: null and booleans stay; any other scalar becomes its string form
 * cut to `x...y` (2–19 chars) or `abcd...wxyz` (20+), `...` when shorter; containers
 * keep their shape with every nested scalar masked.
 */
export function mask(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(mask);
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      setOwn(out, k, mask(value[k]));
    }
    return out;
  }
  const chars = Array.from(scalarString(value));
  if (chars.length <= 1) {
    return ELLIPSIS;
  }
  if (chars.length <= SHORT) {
    return `${chars[0]}${ELLIPSIS}${chars[chars.length - 1]}`;
  }
  return `${chars.slice(0, EDGE).join('')}${ELLIPSIS}${chars.slice(-EDGE).join('')}`;
}

/**
 * Masks the value of every sensitive key, at any depth (arrays of objects included).
 * Keys are never renamed; values under non-sensitive keys are kept as they are.
 */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(redact);
  }
  if (!isObject(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = value[k];
    setOwn(out, k, isSensitiveKey(k) ? mask(v) : redact(v));
  }
  return out;
}

/**
 * `JSON.stringify(redact(JSON.parse(text)))` for a compact JSON document (the bodies we
 * render), without building the object tree when it can: a body without backslashes
 * has no escapes, so its strings can be found by hopping from quote to quote and only
 * the values of sensitive keys are parsed and masked. Anything else takes the general
 * path. Null when the text is not JSON. The scan trusts a whole-looking document to be
 * valid JSON rather than parsing it all (this is the request-log hot path).
 */
export function redactJsonText(text: string): string | null {
  if (!text.includes('\\')) {
    const fast = redactPlainJson(text);
    if (fast !== null) {
      return fast;
    }
  }
  try {
    return JSON.stringify(redact(JSON.parse(text)));
  } catch {
    return null;
  }
}

const LITERAL_RE = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * The scanning path of {@link redactJsonText}. Without escapes, quotes strictly alternate
 * between opening and closing a string, so hopping from quote to quote visits every
 * string, and a string followed by `:` is a key. Null when the text is not plain JSON.
 */
function redactPlainJson(text: string): string | null {
  // Documents we render are whole; a cut-off or non-JSON text goes to JSON.parse.
  const first = text[0];
  const last = text[text.length - 1];
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) {
    return null;
  }
  let out = '';
  let copied = 0;
  let pos = 0;
  for (;;) {
    const open = text.indexOf('"', pos);
    if (open < 0) {
      break;
    }
    const close = text.indexOf('"', open + 1);
    if (close < 0) {
      return null;
    }
    const colon = skipSpace(text, close + 1);
    pos = close + 1;
    if (text[colon] !== ':' || !isSensitiveKey(text.slice(open + 1, close))) {
      continue;
    }
    const start = skipSpace(text, colon + 1);
    const end = valueEnd(text, start);
    if (end < 0) {
      return null;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end));
    } catch {
      return null;
    }
    out += text.slice(copied, start) + JSON.stringify(mask(value));
    copied = end;
    pos = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function skipSpace(text: string, i: number): number {
  let j = i;
  while (
    j < text.length &&
    (text[j] === ' ' || text[j] === '\n' || text[j] === '\t' || text[j] === '\r')
  ) {
    j++;
  }
  return j;
}

/** Index just past the JSON value starting at `i` (no escapes in the text); -1 if malformed. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') {
    const close = text.indexOf('"', i + 1);
    return close < 0 ? -1 : close + 1;
  }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const ch = text[j];
      if (ch === '"') {
        j = text.indexOf('"', j + 1);
        if (j < 0) {
          return -1;
        }
      } else if (ch === '{' || ch === '[') {
        depth++;
      } else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          return j + 1;
        }
      }
    }
    return -1;
  }
  LITERAL_RE.lastIndex = i;
  return LITERAL_RE.test(text) ? LITERAL_RE.lastIndex : -1;
}

/** `k=v` pairs as Rails' filtered_query_string sees them (`&` or `;` separated, non-empty). */
const QUERY_PAIR_RE = /([^&;=]+)=([^&;=]+)/g;

/**
 * The path with the value of each sensitive query parameter replaced by `[FILTERED]`
 * (`?token=[FILTERED]`). Names are matched as sent (percent-encoded brackets included).
 */
export function filterUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) {
    return url;
  }
  const query = url
    .slice(q + 1)
    .replace(QUERY_PAIR_RE, (pair: string, key: string) =>
      isSensitiveKey(key) ? `${key}=[FILTERED]` : pair,
    );
  return `${url.slice(0, q)}?${query}`;
}

function scalarString(value: unknown): string {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value as string | number | bigint | symbol);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
  );
}
