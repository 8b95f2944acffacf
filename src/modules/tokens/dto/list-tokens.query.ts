import { isPlainObject } from '@libs/jsonapi';
import { parseUserRole, type UserRole } from '@app/common/auth/roles';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { BearerType } from '../token.entity';

/**
 * `bearer[type]`, `bearer[id]`, `bearer[role]` / `bearer[role][]` (spec 01 §6.6), as
 * Keygen's `Token.for_bearer`: all blank → nothing matches; each present value narrows.
 */
export type TokenBearerFilter =
  | { kind: 'none' }
  | {
      kind: 'match';
      type?: BearerType | null;
      id?: string | null;
      roles?: { userRoles: UserRole[]; types: BearerType[] };
    };

const TYPES: Record<string, BearerType> = {
  user: 'users',
  product: 'products',
  license: 'licenses',
  environment: 'environments',
};

/** `users`/`user`/`Users` → `users`; anything else → null (matches nothing). */
function bearerType(value: string): BearerType | null {
  const v = value.trim().toLowerCase().replace(/-/g, '_');
  return TYPES[v.endsWith('s') ? v.slice(0, -1) : v] ?? null;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

/** Null when the query has no `bearer` hash (no filtering at all). */
export function parseBearerFilter(query: Record<string, unknown>): TokenBearerFilter | null {
  const raw = query.bearer;
  if (!isPlainObject(raw)) {
    return null;
  }
  const type = str(raw.type);
  const id = str(raw.id);
  const roleNames = (Array.isArray(raw.role) ? raw.role : [raw.role])
    .map(str)
    .filter((r) => r.trim() !== '');
  if (type === '' && id === '' && roleNames.length === 0) {
    return { kind: 'none' };
  }
  const filter: TokenBearerFilter = { kind: 'match' };
  if (type !== '') {
    filter.type = bearerType(type);
  }
  if (id !== '') {
    filter.id = isUuidLike(id) ? normalizeUuid(id) : null;
  }
  if (roleNames.length > 0) {
    const userRoles = new Set<UserRole>();
    const types = new Set<BearerType>();
    for (const name of roleNames) {
      const userRole = parseUserRole(name);
      if (userRole) {
        userRoles.add(userRole);
      } else if (['product', 'license', 'environment'].includes(name.trim().toLowerCase())) {
        types.add(TYPES[name.trim().toLowerCase()]);
      }
    }
    filter.roles = { userRoles: [...userRoles], types: [...types] };
  }
  return filter;
}
