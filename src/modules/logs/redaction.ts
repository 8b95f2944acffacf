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

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY_RE.test(key);
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
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}
