import { isPlainObject, metadataFilterCandidates, snakeKey } from '@libs/jsonapi';
import { isUuidLike, normalizeUuid } from '@app/common/ids';

/**
 * `GET /machines` filters (spec 03 §1.4) as plain clauses the repository turns into
 * SQL (ANDed). Like Keygen's has_scope: a blank or non-string value is ignored; a
 * value that cannot match (an unknown status, a non-UUID id) matches nothing.
 */
export type MachineClause =
  | { kind: 'none' }
  | { kind: 'column'; column: 'fingerprint' | 'ip' | 'hostname'; value: string }
  | {
      kind: 'id';
      column: 'license_id' | 'product_id' | 'policy_id' | 'group_id';
      value: string;
    }
  | { kind: 'key'; value: string }
  | { kind: 'owner'; id: string | null; email: string | null }
  /** Machines of licenses the user owns or is a licensee of. */
  | { kind: 'user'; id: string | null; email: string | null }
  | { kind: 'status'; status: 'ALIVE' | 'DEAD'; now: Date }
  | { kind: 'metadata'; candidates: Array<Record<string, unknown>> };

export type MachineFilterName =
  | 'metadata'
  | 'fingerprint'
  | 'ip'
  | 'hostname'
  | 'status'
  | 'product'
  | 'policy'
  | 'license'
  | 'key'
  | 'owner'
  | 'user'
  | 'group';

export const ALL_MACHINE_FILTERS: readonly MachineFilterName[] = [
  'metadata',
  'fingerprint',
  'ip',
  'hostname',
  'status',
  'product',
  'policy',
  'license',
  'key',
  'owner',
  'user',
  'group',
];

const NONE: MachineClause = { kind: 'none' };

/** has_scope's default type: a non-blank string (arrays and hashes are ignored). */
function scalar(v: unknown): string | null {
  if (typeof v === 'number') {
    return String(v);
  }
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function idClause(
  column: 'license_id' | 'product_id' | 'policy_id' | 'group_id',
  v: string,
): MachineClause {
  return isUuidLike(v) ? { kind: 'id', column, value: normalizeUuid(v) } : NONE;
}

function userRef(v: string): { id: string | null; email: string | null } {
  return isUuidLike(v) ? { id: normalizeUuid(v), email: null } : { id: null, email: v };
}

/** Parses the query for the filters a route accepts. */
export function parseMachineFilters(
  query: Record<string, unknown>,
  now: Date,
  allowed: readonly MachineFilterName[] = ALL_MACHINE_FILTERS,
): MachineClause[] {
  const clauses: MachineClause[] = [];
  const take = (name: MachineFilterName): string | null =>
    allowed.includes(name) ? scalar(query[name]) : null;

  if (allowed.includes('metadata') && isPlainObject(query.metadata)) {
    // compat: each key matches its raw string or its cast value; keys are ANDed.
    for (const [k, raw] of Object.entries(query.metadata)) {
      const v = scalar(raw);
      if (v !== null) {
        const key = snakeKey(k);
        clauses.push({
          kind: 'metadata',
          candidates: metadataFilterCandidates(v).map((c) => ({ [key]: c })),
        });
      }
    }
  }
  for (const column of ['fingerprint', 'ip', 'hostname'] as const) {
    const v = take(column);
    if (v !== null) {
      clauses.push({ kind: 'column', column, value: v });
    }
  }
  const status = take('status');
  if (status !== null) {
    const s = status.toUpperCase();
    clauses.push(s === 'ALIVE' || s === 'DEAD' ? { kind: 'status', status: s, now } : NONE);
  }
  const product = take('product');
  if (product !== null) {
    clauses.push(idClause('product_id', product));
  }
  const policy = take('policy');
  if (policy !== null) {
    clauses.push(idClause('policy_id', policy));
  }
  const license = take('license');
  if (license !== null) {
    clauses.push(idClause('license_id', license));
  }
  const key = take('key');
  if (key !== null) {
    clauses.push({ kind: 'key', value: key });
  }
  const owner = take('owner');
  if (owner !== null) {
    clauses.push({ kind: 'owner', ...userRef(owner) });
  }
  const user = take('user');
  if (user !== null) {
    clauses.push({ kind: 'user', ...userRef(user) });
  }
  const group = take('group');
  if (group !== null) {
    clauses.push(idClause('group_id', group));
  }
  return clauses;
}
