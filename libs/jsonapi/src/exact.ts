/**
 * Exact 64-bit integers on the wire (spec 03 §1.2: machine `memory` and `disk` must
 * round-trip 9223372036854775807 exactly). JSON.parse and JSON.stringify go through
 * IEEE doubles, so requests are re-read for the integer literals' source text and
 * responses render {@link JsonInteger} values as bare digits.
 */
import { randomBytes } from 'node:crypto';

const DIGITS_RE = /^-?(?:0|[1-9]\d*)$/;

// A per-process marker no client can predict, so a stored string cannot pose as one.
const MARK = `kw-int-${randomBytes(12).toString('hex')}:`;
const MARK_RE = new RegExp(`"${MARK}(-?\\d+)"`, 'g');

let exactMode = false;
let marked = 0;

/**
 * An integer kept as its decimal digits. {@link stringifyJson} renders it as a bare
 * JSON number; plain JSON.stringify (outside it) falls back to a JS number.
 */
export class JsonInteger {
  readonly digits: string;

  constructor(digits: string | bigint) {
    const s = typeof digits === 'bigint' ? digits.toString() : digits;
    if (!DIGITS_RE.test(s)) {
      throw new TypeError(`not an integer: ${s}`);
    }
    this.digits = s;
  }

  toJSON(): unknown {
    if (exactMode) {
      marked++;
      return `${MARK}${this.digits}`;
    }
    return Number(this.digits);
  }
}

/** A JSON number for decimal digits: a plain number when exact as a double, else a {@link JsonInteger}. */
export function exactInteger(digits: string | null): number | JsonInteger | null {
  if (digits === null) {
    return null;
  }
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : new JsonInteger(digits);
}

/** JSON.stringify that writes {@link JsonInteger} values as exact bare integers. */
export function stringifyJson(value: unknown): string {
  const outer = exactMode;
  const before = marked;
  exactMode = true;
  try {
    const s = JSON.stringify(value);
    return marked === before || s === undefined ? s : s.replace(MARK_RE, '$1');
  } finally {
    exactMode = outer;
  }
}

/**
 * The source text of the JSON numbers found at `paths` in `text` (a document that
 * already parsed), keyed by the path joined with `.`. Object keys are compared after
 * `normalizeKey` (e.g. the body's snake_casing); a repeated key keeps the last value,
 * as JSON.parse does. Values that are not numbers are left out.
 */
export function jsonNumberLiterals(
  text: string,
  paths: ReadonlyArray<readonly string[]>,
  normalizeKey: (k: string) => string = (k) => k,
): Record<string, string> {
  const wanted = new Set(paths.map((p) => p.join('.')));
  const prefixes = new Set<string>();
  for (const p of paths) {
    for (let i = 1; i < p.length; i++) {
      prefixes.add(p.slice(0, i).join('.'));
    }
  }
  const out: Record<string, string> = {};
  let i = 0;
  const n = text.length;

  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) {
        return;
      }
      i++;
    }
  };
  const stringEnd = (): number => {
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x5c) {
        j += 2;
      } else if (c === 0x22) {
        return j + 1;
      } else {
        j++;
      }
    }
    return n;
  };
  const value = (path: string | null): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const end = stringEnd();
        const key = normalizeKey(JSON.parse(text.slice(i, end)) as string);
        i = end;
        ws();
        i++; // ':'
        const child = path === null ? null : path === '' ? key : `${path}.${key}`;
        value(child !== null && (wanted.has(child) || prefixes.has(child)) ? child : null);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // '}'
        return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(null);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // ']'
        return;
      }
    }
    if (c === '"') {
      i = stringEnd();
      if (path !== null && wanted.has(path)) {
        delete out[path];
      }
      return;
    }
    const start = i;
    while (i < n && /[-+0-9.eEa-z]/.test(text[i])) {
      i++;
    }
    if (path !== null && wanted.has(path)) {
      const literal = text.slice(start, i);
      if (/^-?\d/.test(literal)) {
        out[path] = literal;
      } else {
        delete out[path];
      }
    }
  };

  value('');
  return out;
}
