import type { Role } from './roles';
import { ADMIN_FAMILY } from './roles';

export type BearerType = 'users' | 'products' | 'licenses' | 'environments';

/** The authenticated principal. `record` is the loaded user/product/license/environment. */
export interface Bearer {
  type: BearerType;
  id: string;
  role: Role;
  /** Permissions stored on the bearer (may contain `*`). */
  permissions: readonly string[];
  environmentId: string | null;
  bannedAt?: Date | null;
  record: unknown;
}

export function isAdminFamily(b: Bearer | null | undefined): boolean {
  return !!b && ADMIN_FAMILY.has(b.role);
}

export function hasRole(b: Bearer | null | undefined, ...roles: Role[]): boolean {
  return !!b && roles.includes(b.role);
}
