/** Role wire names (spec 01 §2.1). */
export const USER_ROLES = ['admin', 'developer', 'sales-agent', 'support-agent', 'read-only', 'user'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type Role = UserRole | 'environment' | 'product' | 'license';

export const ROLE_RANK: Record<Role, number> = {
  admin: 7,
  environment: 6,
  developer: 5,
  product: 4,
  'sales-agent': 3,
  'support-agent': 2,
  'read-only': 1,
  user: 0,
  license: 0,
};

/** admin-family roles: staff users that see the whole account. */
export const ADMIN_FAMILY: ReadonlySet<Role> = new Set<Role>([
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'read-only',
]);

/** Words used in 403 details, e.g. "(read only lacks permission to perform action)". */
export function roleWords(role: Role): string {
  return role.replace(/-/g, ' ');
}

/** Token prefix per bearer role (spec 01 §1.2). */
export const TOKEN_PREFIX: Record<Role, string> = {
  environment: 'env',
  product: 'prod',
  admin: 'admin',
  user: 'user',
  license: 'activ',
  developer: 'dev',
  'sales-agent': 'sales',
  'support-agent': 'spprt',
  'read-only': 'read',
};

/** Token `kind` per bearer role (spec 01 §6.2). */
export const TOKEN_KIND: Record<Role, string> = {
  environment: 'environment-token',
  product: 'product-token',
  admin: 'admin-token',
  user: 'user-token',
  license: 'activation-token',
  developer: 'developer-token',
  'sales-agent': 'sales-token',
  'support-agent': 'support-token',
  'read-only': 'read-only-token',
};

/** Normalises `sales_agent` / `Sales-Agent` to the wire name, or null when unknown. */
export function parseUserRole(value: string): UserRole | null {
  const v = value.trim().toLowerCase().replace(/_/g, '-');
  return (USER_ROLES as readonly string[]).includes(v) ? (v as UserRole) : null;
}
