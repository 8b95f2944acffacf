import { underscoreKey } from '@libs/jsonapi';
import { redact } from './redaction';

/** What the metadata rules read from a domain event. */
export interface MetadataSource {
  name: string;
  /** JSON:API type of the emitted record. */
  type: string;
  record: unknown;
  meta?: Record<string, unknown>;
  changes?: Record<string, readonly [unknown, unknown]>;
}

/**
 * Event-log metadata (spec 06 §2.6 rule 5), stored with Keygen's snake_case keys and
 * camelized when rendered. Entitlement codes need the database, so attach/detach
 * events hand back the entitlement ids for the writer to resolve.
 */
export interface EventMetadata {
  metadata: Record<string, unknown>;
  entitlementIds?: string[];
}

/** Records whose `.updated` events carry a diff (Keygen's Diffable models). */
const DIFFABLE: ReadonlySet<string> = new Set([
  'licenses',
  'machines',
  'users',
  'products',
  'policies',
  'entitlements',
  'environments',
  'keys',
  'releases',
  'packages',
]);

export function eventMetadata(src: MetadataSource): EventMetadata {
  const { name } = src;
  if (name === 'license.validation.succeeded' || name === 'license.validation.failed') {
    return { metadata: { code: jsonSafe(src.meta?.code ?? null) } };
  }
  if (/^(?:license|policy)\.entitlements\.(?:attached|detached)$/.test(name)) {
    return { metadata: { codes: [] }, entitlementIds: entitlementIds(src.record) };
  }
  if (name.endsWith('.updated')) {
    return { metadata: DIFFABLE.has(src.type) ? { diff: diff(src.changes ?? {}) } : {} };
  }
  if (name === 'artifact.downloaded' || name === 'release.downloaded') {
    const r = asRecord(src.record);
    return {
      metadata: {
        product: jsonSafe(r.productId ?? null),
        package: jsonSafe(r.packageId ?? null),
        version: jsonSafe(r.version ?? src.meta?.version ?? null),
      },
    };
  }
  if (name === 'release.upgraded') {
    const r = asRecord(src.record);
    return {
      metadata: {
        product: jsonSafe(r.productId ?? null),
        package: jsonSafe(r.packageId ?? null),
        prev: version(src.meta?.current ?? src.meta?.prev),
        next: version(src.meta?.next),
      },
    };
  }
  return { metadata: {} };
}

/**
 * `{attr: [before, after]}` as Keygen's Diffable renders it: names snake_cased with the
 * `_digest` / `_at` suffix dropped (`password_digest` → `password`, `updated_at` →
 * `updated`), values JSON-encoded and redacted by the original attribute name.
 */
export function diff(
  changes: Record<string, readonly [unknown, unknown]>,
): Record<string, unknown> {
  const snake: Record<string, unknown> = {};
  for (const [attr, pair] of Object.entries(changes)) {
    snake[underscoreKey(attr)] = jsonSafe([pair[0], pair[1]]);
  }
  const filtered = redact(snake) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filtered)) {
    out[key.replace(/_digest$/, '').replace(/_at$/, '')] = value;
  }
  return out;
}

function entitlementIds(record: unknown): string[] {
  const rows = Array.isArray(record) ? (record as unknown[]) : [record];
  return rows
    .map((r) => asRecord(r).entitlementId)
    .filter((id): id is string => typeof id === 'string');
}

function version(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && 'version' in v) {
    return jsonSafe((v as { version: unknown }).version);
  }
  return jsonSafe(v ?? null);
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

/** The value as JSON would carry it (Dates as ISO strings, bigints as strings). */
function jsonSafe(v: unknown): unknown {
  if (v === undefined) {
    return null;
  }
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null',
  ) as unknown;
}
