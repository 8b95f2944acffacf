import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { MachineChildClause } from './machine-children.repository';

/** The list filters components and processes share. */
export type MachineChildFilterName = 'machine' | 'license' | 'product' | 'owner' | 'user';

const NONE: MachineChildClause = { kind: 'none' };

/** has_scope's default type: a non-blank string (arrays and hashes are ignored). */
export function scalarFilter(v: unknown): string | null {
  if (typeof v === 'number') {
    return String(v);
  }
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/**
 * The shared filters (spec 03 §2.3, §3.2) as plain clauses the repository turns into
 * SQL (ANDed); `take` gives a filter's value, null when absent, blank or not allowed.
 * A value that cannot match (a non-UUID id) matches nothing; `user` is a UUID or an email.
 */
export function parseMachineChildFilters(
  take: (name: MachineChildFilterName) => string | null,
): MachineChildClause[] {
  const clauses: MachineChildClause[] = [];
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
  return clauses;
}
