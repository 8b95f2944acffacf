import { isUuidLike, normalizeUuid } from '@app/common/ids';

/**
 * `GET /processes` filters (spec 03 §3.2) as plain clauses the repository turns into
 * SQL (ANDed). Like Keygen's has_scope: a blank or non-string value is ignored; a
 * value that cannot match (a non-UUID id, an unknown status) matches nothing.
 */
export type ProcessClause =
  | { kind: 'none' }
  | { kind: 'machine'; id: string }
  /** A column of the process's machine. */
  | { kind: 'machine-column'; column: 'license_id' | 'product_id' | 'owner_id'; id: string }
  /** Processes on machines of licenses the user owns or is a licensee of. */
  | { kind: 'user'; id: string | null; email: string | null }
  | { kind: 'status'; status: 'ALIVE' | 'DEAD'; now: Date };

export type ProcessFilterName = 'machine' | 'license' | 'product' | 'owner' | 'user' | 'status';

const ALL: readonly ProcessFilterName[] = [
  'machine',
  'license',
  'product',
  'owner',
  'user',
  'status',
];
const NONE: ProcessClause = { kind: 'none' };

/** has_scope's default type: a non-blank string (arrays and hashes are ignored). */
function scalar(v: unknown): string | null {
  if (typeof v === 'number') {
    return String(v);
  }
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

export function parseProcessFilters(
  query: Record<string, unknown>,
  now: Date,
  allowed: readonly ProcessFilterName[] = ALL,
): ProcessClause[] {
  const clauses: ProcessClause[] = [];
  const take = (name: ProcessFilterName): string | null =>
    allowed.includes(name) ? scalar(query[name]) : null;
  const machine = take('machine');
  if (machine !== null) {
    clauses.push(isUuidLike(machine) ? { kind: 'machine', id: normalizeUuid(machine) } : NONE);
  }
  for (const [name, column] of [
    ['license', 'license_id'],
    ['product', 'product_id'],
    ['owner', 'owner_id'],
  ] as const) {
    const v = take(name);
    if (v !== null) {
      clauses.push(isUuidLike(v) ? { kind: 'machine-column', column, id: normalizeUuid(v) } : NONE);
    }
  }
  const user = take('user');
  if (user !== null) {
    clauses.push(
      isUuidLike(user)
        ? { kind: 'user', id: normalizeUuid(user), email: null }
        : { kind: 'user', id: null, email: user },
    );
  }
  const status = take('status');
  if (status !== null) {
    const s = status.toUpperCase();
    clauses.push(s === 'ALIVE' || s === 'DEAD' ? { kind: 'status', status: s, now } : NONE);
  }
  return clauses;
}
