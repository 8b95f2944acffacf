/**
 * Strict JSON request-body parsing (spec §2.4.4) and null-byte detection (§2.4.5).
 */

/** Result of {@link parseJsonBody}: `value` is `undefined` for an empty/blank body. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false };

/** Maximum container nesting accepted (Ruby's JSON `max_nesting` default). */
export const MAX_JSON_NESTING = 100;

const FAIL: JsonParseResult = Object.freeze({ ok: false });
const EMPTY: JsonParseResult = Object.freeze({ ok: true, value: undefined });

// `fatal` rejects invalid UTF-8 (incl. encoded surrogates); a leading BOM is stripped.
const decoder = new TextDecoder('utf-8', { fatal: true });

const BLANK_RE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type WellFormedString = string & { isWellFormed?: () => boolean };

function isWellFormed(s: string): boolean {
  const f = (s as WellFormedString).isWellFormed;
  return typeof f === 'function' ? f.call(s) : !LONE_SURROGATE_RE.test(s);
}

/** Bracket depth scan that skips string contents; true when nesting exceeds `max`. */
function exceedsNesting(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++;
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        return true;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') {
    return !isWellFormed(value);
  }
  if (Array.isArray(value)) {
    return value.some(hasLoneSurrogate);
  }
  if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (!isWellFormed(k) || hasLoneSurrogate((value as Record<string, unknown>)[k])) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Parse a request body strictly: invalid UTF-8, any JSON syntax error, lone surrogate escapes
 * or nesting deeper than 100 fail; an empty or whitespace-only body is `{ ok: true, value:
 * undefined }`.
 */
export function parseJsonBody(buf: Buffer): JsonParseResult {
  if (buf.length === 0) {
    return EMPTY;
  }
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return FAIL;
  }
  if (BLANK_RE.test(text)) {
    return EMPTY;
  }
  // A document nested deeper than MAX needs more than MAX characters.
  if (text.length > MAX_JSON_NESTING && exceedsNesting(text, MAX_JSON_NESTING)) {
    return FAIL;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return FAIL;
  }
  // Decoded UTF-8 cannot hold lone surrogates, so they can only come from `\u` escapes.
  if (text.includes('\\u') && hasLoneSurrogate(value)) {
    return FAIL;
  }
  return { ok: true, value };
}

/** True when any string (object key or value) at any depth contains U+0000. */
export function containsNullByte(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('\u0000');
  }
  if (Array.isArray(value)) {
    return value.some(containsNullByte);
  }
  if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (k.includes('\u0000') || containsNullByte((value as Record<string, unknown>)[k])) {
        return true;
      }
    }
  }
  return false;
}
