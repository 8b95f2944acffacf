/**
 * Key casing helpers mirroring Keygen's (Rails') request/response key normalisation.
 *
 * Request bodies: every key goes through `key.underscore.parameterize(separator: '_')`
 * (ActiveSupport), reproduced by {@link snakeKey}. Responses: keys go through
 * `key.camelize(:lower)`, reproduced by {@link camelKey}.
 */

const MEMO_LIMIT = 10_000;

/** A Map that forgets everything once it holds `limit` entries (cheap bounded memo). */
class BoundedMemo {
  private readonly map = new Map<string, string>();

  constructor(private readonly limit: number) {}

  get(key: string): string | undefined {
    return this.map.get(key);
  }

  set(key: string, value: string): void {
    if (this.map.size >= this.limit) {
      this.map.clear();
    }
    this.map.set(key, value);
  }
}

/**
 * I18n's default ASCII approximations (the table ActiveSupport's `transliterate` uses);
 * any other non-ASCII character becomes `?`, i.e. a separator after `parameterize`.
 */
// prettier-ignore
const APPROXIMATIONS: Readonly<Record<string, string>> = {
  À: 'A', Á: 'A', Â: 'A', Ã: 'A', Ä: 'A', Å: 'A', Æ: 'AE', Ç: 'C', È: 'E', É: 'E', Ê: 'E',
  Ë: 'E', Ì: 'I', Í: 'I', Î: 'I', Ï: 'I', Ð: 'D', Ñ: 'N', Ò: 'O', Ó: 'O', Ô: 'O', Õ: 'O',
  Ö: 'O', '×': 'x', Ø: 'O', Ù: 'U', Ú: 'U', Û: 'U', Ü: 'U', Ý: 'Y', Þ: 'Th', ß: 'ss',
  ẞ: 'SS', à: 'a', á: 'a', â: 'a', ã: 'a', ä: 'a', å: 'a', æ: 'ae', ç: 'c', è: 'e', é: 'e',
  ê: 'e', ë: 'e', ì: 'i', í: 'i', î: 'i', ï: 'i', ð: 'd', ñ: 'n', ò: 'o', ó: 'o', ô: 'o',
  õ: 'o', ö: 'o', ø: 'o', ù: 'u', ú: 'u', û: 'u', ü: 'u', ý: 'y', þ: 'th', ÿ: 'y', Ā: 'A',
  ā: 'a', Ă: 'A', ă: 'a', Ą: 'A', ą: 'a', Ć: 'C', ć: 'c', Ĉ: 'C', ĉ: 'c', Ċ: 'C', ċ: 'c',
  Č: 'C', č: 'c', Ď: 'D', ď: 'd', Đ: 'D', đ: 'd', Ē: 'E', ē: 'e', Ĕ: 'E', ĕ: 'e', Ė: 'E',
  ė: 'e', Ę: 'E', ę: 'e', Ě: 'E', ě: 'e', Ĝ: 'G', ĝ: 'g', Ğ: 'G', ğ: 'g', Ġ: 'G', ġ: 'g',
  Ģ: 'G', ģ: 'g', Ĥ: 'H', ĥ: 'h', Ħ: 'H', ħ: 'h', Ĩ: 'I', ĩ: 'i', Ī: 'I', ī: 'i', Ĭ: 'I',
  ĭ: 'i', Į: 'I', į: 'i', İ: 'I', ı: 'i', Ĳ: 'IJ', ĳ: 'ij', Ĵ: 'J', ĵ: 'j', Ķ: 'K', ķ: 'k',
  ĸ: 'k', Ĺ: 'L', ĺ: 'l', Ļ: 'L', ļ: 'l', Ľ: 'L', ľ: 'l', Ŀ: 'L', ŀ: 'l', Ł: 'L', ł: 'l',
  Ń: 'N', ń: 'n', Ņ: 'N', ņ: 'n', Ň: 'N', ň: 'n', ŉ: "'n", Ŋ: 'NG', ŋ: 'ng', Ō: 'O', ō: 'o',
  Ŏ: 'O', ŏ: 'o', Ő: 'O', ő: 'o', Œ: 'OE', œ: 'oe', Ŕ: 'R', ŕ: 'r', Ŗ: 'R', ŗ: 'r', Ř: 'R',
  ř: 'r', Ś: 'S', ś: 's', Ŝ: 'S', ŝ: 's', Ş: 'S', ş: 's', Š: 'S', š: 's', Ţ: 'T', ţ: 't',
  Ť: 'T', ť: 't', Ŧ: 'T', ŧ: 't', Ũ: 'U', ũ: 'u', Ū: 'U', ū: 'u', Ŭ: 'U', ŭ: 'u', Ů: 'U',
  ů: 'u', Ű: 'U', ű: 'u', Ų: 'U', ų: 'u', Ŵ: 'W', ŵ: 'w', Ŷ: 'Y', ŷ: 'y', Ÿ: 'Y', Ź: 'Z',
  ź: 'z', Ż: 'Z', ż: 'z', Ž: 'Z', ž: 'z', Ǫ: 'O', ǫ: 'o', Ǭ: 'O', ǭ: 'o',
};

const SNAKE_RE = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;
const UNDERSCORE_TRIGGER_RE = /[A-Z-]|::/;
const UNDERSCORE_BOUNDARY_RE = /(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z\d])(?=[A-Z])/g;
// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose: every non-ASCII character
const NON_ASCII_RE = /[^\x00-\x7f]/gu;
const NON_PARAM_RE = /[^a-z0-9\-_]+/gi;

const snakeMemo = new BoundedMemo(MEMO_LIMIT);
const camelMemo = new BoundedMemo(MEMO_LIMIT);
const underscoreMemo = new BoundedMemo(MEMO_LIMIT);

/** Rails `String#underscore` (no acronyms configured): `HTTPServer` → `http_server`. */
export function underscoreKey(word: string): string {
  if (!UNDERSCORE_TRIGGER_RE.test(word)) {
    return word;
  }
  const hit = underscoreMemo.get(word);
  if (hit !== undefined) {
    return hit;
  }
  const out = word
    .replace(/::/g, '/')
    .replace(UNDERSCORE_BOUNDARY_RE, '_')
    .replace(/-/g, '_')
    .toLowerCase();
  underscoreMemo.set(word, out);
  return out;
}

function transliterate(s: string): string {
  return s.normalize('NFC').replace(NON_ASCII_RE, (ch) => APPROXIMATIONS[ch] ?? '?');
}

/**
 * Normalise one request key to snake_case exactly like Keygen
 * (`key.underscore.parameterize(separator: '_')`).
 */
export function snakeKey(key: string): string {
  if (SNAKE_RE.test(key)) {
    return key;
  }
  const hit = snakeMemo.get(key);
  if (hit !== undefined) {
    return hit;
  }
  const out = transliterate(underscoreKey(key))
    .replace(NON_PARAM_RE, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();
  snakeMemo.set(key, out);
  return out;
}

/** Rails `String#camelize(:lower)`: `max_machines` → `maxMachines`, `a_b_c` → `aBC`. */
export function camelKey(key: string): string {
  const hit = camelMemo.get(key);
  if (hit !== undefined) {
    return hit;
  }
  const out = key
    .replace(/^[A-Za-z0-9_]/, (c) => c.toLowerCase())
    .replace(/(?:_|(\/))([a-z\d]*)/gi, (_m, slash: string | undefined, word: string) => {
      const cap = word.length > 0 ? word[0].toUpperCase() + word.slice(1).toLowerCase() : word;
      return slash ? `::${cap}` : cap;
    });
  camelMemo.set(key, out);
  return out;
}

/** True for `{}`-style objects (not arrays, Dates, Buffers or class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Assign without ever touching the prototype (`__proto__` becomes an own key). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

function mapKeysDeep(value: unknown, fn: (k: string) => string, depth: number): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => mapKeysDeep(v, fn, depth));
  }
  if (!isPlainObject(value) || depth <= 0) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    setOwn(out, fn(k), mapKeysDeep(value[k], fn, depth - 1));
  }
  return out;
}

/** Deeply snake_case every object key (arrays included); values untouched, last duplicate wins. */
export function snakeizeKeys(value: unknown): unknown {
  return mapKeysDeep(value, snakeKey, Infinity);
}

/**
 * Deeply camelize object keys. `depth` counts object levels (arrays do not consume a level):
 * `depth: 1` camelizes only the top-level object's keys (API ≤ 1.4 metadata rendering).
 */
export function camelizeKeys(value: unknown, opts?: { depth?: number }): unknown {
  return mapKeysDeep(value, camelKey, opts?.depth ?? Infinity);
}
