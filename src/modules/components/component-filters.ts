import { isUuidLike, normalizeUuid } from '@app/common/ids';

/**
 * `GET /components` filters (spec 03 §2.3) as plain clauses the repository turns into
 * SQL (ANDed). Like Keygen's has_scope: a blank or non-string value is ignored; a
 * value that cannot match (a non-UUID id) matches nothing.
 */
export type ComponentClause =
  | { kind: 'none' }
  | { kind: 'machine'; id: string }
  /** A column of the component's machine. */
  | { kind: 'machine-column'; column: 'license_id' | 'product_id' | 'owner_id'; id: string }
  /** Components of machines of licenses the user owns or is a licensee of. */
  | { kind: 'user'; id: string | null; email: string | null };

const NONE: ComponentClause = { kind: 'none' };

/** has_scope's default type: a non-blank string (arrays and hashes are ignored). */
export function scalarFilter(v: unknown): string | null {
  if (typeof v === 'number') {
    return String(v);
  }
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

export function parseComponentFilters(query: Record<string, unknown>): ComponentClause[] {
  const clauses: ComponentClause[] = [];
  const machine = scalarFilter(query.machine);
  if (machine !== null) {
    clauses.push(isUuidLike(machine) ? { kind: 'machine', id: normalizeUuid(machine) } : NONE);
  }
  for (const [name, column] of [
    ['license', 'license_id'],
    ['product', 'product_id'],
    ['owner', 'owner_id'],
  ] as const) {
    const v = scalarFilter(query[name]);
    if (v !== null) {
      clauses.push(isUuidLike(v) ? { kind: 'machine-column', column, id: normalizeUuid(v) } : NONE);
    }
  }
  const user = scalarFilter(query.user);
  if (user !== null) {
    clauses.push(
      isUuidLike(user)
        ? { kind: 'user', id: normalizeUuid(user), email: null }
        : { kind: 'user', id: null, email: user },
    );
  }
  return clauses;
}
