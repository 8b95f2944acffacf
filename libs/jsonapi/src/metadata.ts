/**
 * Metadata model limits (spec §6.3, Keygen's JsonValidator) and filter value casting (§5.4).
 */
import { isPlainObject } from './keys';

/** Serialised JSON limit in bytes. */
export const METADATA_MAX_BYTES = 16384;
/** Nesting limit; the metadata object itself is level 1. */
export const METADATA_MAX_DEPTH = 4;
/** Key limit, counted recursively across nested objects (also inside arrays). */
export const METADATA_MAX_KEYS = 64;

/**
 * Keygen's `calculate_depth`: scalars 0, a container 1 + its deepest child, so `{}` is 1 and
 * `{"a":{"b":[1]}}` is 3. The message calls it "items" but it is a nesting depth.
 */
export function metadataDepth(value: unknown): number {
  if (Array.isArray(value)) {
    return 1 + value.reduce<number>((m, v) => Math.max(m, metadataDepth(v)), 0);
  }
  if (isPlainObject(value)) {
    let max = 0;
    for (const k of Object.keys(value)) {
      max = Math.max(max, metadataDepth(value[k]));
    }
    return 1 + max;
  }
  return 0;
}

/** Keygen's `count_keys`: keys of every object at any depth, including objects inside arrays. */
export function metadataKeyCount(value: unknown): number {
  if (Array.isArray(value)) {
    return value.reduce<number>((n, v) => n + metadataKeyCount(v), 0);
  }
  if (isPlainObject(value)) {
    let n = 0;
    for (const k of Object.keys(value)) {
      n += 1 + metadataKeyCount(value[k]);
    }
    return n;
  }
  return 0;
}

function isBlank(value: unknown): boolean {
  if (value === null || value === undefined) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.length === 0;
  }
  if (isPlainObject(value)) {
    return Object.keys(value).length === 0;
  }
  return false;
}

/**
 * The 422 detail (code `METADATA_TOO_LONG`, pointer `/data/attributes/metadata`) or null.
 * Checked in Keygen's order — bytes, depth, keys — and only the first is returned because the
 * others would collapse into it (same code and pointer).
 */
export function metadataModelError(metadata: unknown): string | null {
  if (isBlank(metadata)) {
    return null;
  }
  if (Buffer.byteLength(JSON.stringify(metadata), 'utf8') > METADATA_MAX_BYTES) {
    return `too large (exceeded limit of ${METADATA_MAX_BYTES} bytes)`;
  }
  if (metadataDepth(metadata) > METADATA_MAX_DEPTH) {
    return `too many items (exceeded limit of ${METADATA_MAX_DEPTH} items)`;
  }
  if (metadataKeyCount(metadata) > METADATA_MAX_KEYS) {
    return `too many keys (exceeded limit of ${METADATA_MAX_KEYS} keys)`;
  }
  return null;
}

/**
 * Values a `metadata[key]=value` filter matches: the raw string, plus its cast (`true`/`false`
 * → boolean, `null` → null, `^\d+$` → integer, `^\d+\.\d+$` → float) when one applies.
 */
export function metadataFilterCandidates(value: string): unknown[] {
  if (value === 'true') {
    return [value, true];
  }
  if (value === 'false') {
    return [value, false];
  }
  if (value === 'null') {
    return [value, null];
  }
  if (/^\d+$/.test(value)) {
    return [value, Number.parseInt(value, 10)];
  }
  if (/^\d+\.\d+$/.test(value)) {
    return [value, Number.parseFloat(value)];
  }
  return [value];
}
