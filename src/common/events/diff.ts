/**
 * `{attribute: [before, after]}` for the attributes that differ between two versions
 * of a record (event-log diffs, spec 06). Ids, the creation time and password
 * digests are left out; dates compare by time and objects by their JSON.
 */
export function diffOf(before: object, after: object): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    if (SKIPPED.has(key) || typeof a[key] === 'function') {
      continue;
    }
    if (!sameValue(b[key], a[key])) {
      out[key] = [b[key] ?? null, a[key] ?? null];
    }
  }
  return out;
}

const SKIPPED = new Set(['id', 'accountId', 'createdAt', 'passwordDigest', 'digest']);

/** Value equality for record columns: dates by time, objects by their JSON, null ≡ undefined. */
export function sameValue(x: unknown, y: unknown): boolean {
  if (x instanceof Date || y instanceof Date) {
    return x instanceof Date && y instanceof Date && x.getTime() === y.getTime();
  }
  if (x !== null && y !== null && (typeof x === 'object' || typeof y === 'object')) {
    return JSON.stringify(x) === JSON.stringify(y);
  }
  return (x ?? null) === (y ?? null);
}
