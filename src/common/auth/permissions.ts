import type { Role } from './roles';

/** The full permission catalogue (spec 01 §2.2): 144 actions plus the wildcard. */
export const ALL_PERMISSIONS = [
  'account.analytics.read', 'account.billing.read', 'account.billing.update', 'account.plan.read',
  'account.plan.update', 'account.read', 'account.subscription.read', 'account.subscription.update',
  'account.update',
  'admin.create', 'admin.delete', 'admin.invite', 'admin.read', 'admin.update',
  'arch.read',
  'artifact.create', 'artifact.delete', 'artifact.read', 'artifact.update',
  'component.create', 'component.delete', 'component.read', 'component.update',
  'channel.read', 'constraint.read', 'engine.read',
  'entitlement.create', 'entitlement.delete', 'entitlement.read', 'entitlement.update',
  'environment.create', 'environment.delete', 'environment.read', 'environment.tokens.generate',
  'environment.update',
  'event-log.read',
  'group.create', 'group.delete', 'group.licenses.read', 'group.machines.read', 'group.owners.attach',
  'group.owners.detach', 'group.owners.read', 'group.read', 'group.update', 'group.users.read',
  'key.create', 'key.delete', 'key.read', 'key.update',
  'license.check-in', 'license.check-out', 'license.create', 'license.delete',
  'license.entitlements.attach', 'license.entitlements.detach', 'license.group.update',
  'license.owner.update', 'license.policy.update', 'license.read', 'license.reinstate',
  'license.renew', 'license.revoke', 'license.suspend', 'license.tokens.generate', 'license.update',
  'license.usage.decrement', 'license.usage.increment', 'license.usage.reset', 'license.user.update',
  'license.users.attach', 'license.users.detach', 'license.validate',
  'machine.check-out', 'machine.create', 'machine.delete', 'machine.group.update',
  'machine.heartbeat.ping', 'machine.heartbeat.reset', 'machine.owner.update',
  'machine.proofs.generate', 'machine.read', 'machine.update',
  'package.create', 'package.delete', 'package.read', 'package.update',
  'platform.read',
  'policy.create', 'policy.delete', 'policy.entitlements.attach', 'policy.entitlements.detach',
  'policy.pool.pop', 'policy.read', 'policy.update',
  'process.create', 'process.delete', 'process.heartbeat.ping', 'process.read', 'process.update',
  'product.create', 'product.delete', 'product.read', 'product.tokens.generate', 'product.update',
  'release.constraints.attach', 'release.constraints.detach', 'release.create', 'release.delete',
  'release.download', 'release.package.update', 'release.publish', 'release.read',
  'release.update', 'release.upgrade', 'release.upload', 'release.yank',
  'request-log.read',
  'token.generate', 'token.read', 'token.regenerate', 'token.revoke',
  'user.ban', 'user.create', 'user.delete', 'user.group.update', 'user.invite',
  'user.password.reset', 'user.password.update', 'user.read', 'user.second-factors.create',
  'user.second-factors.delete', 'user.second-factors.read', 'user.second-factors.update',
  'user.tokens.generate', 'user.unban', 'user.update',
  'webhook-endpoint.create', 'webhook-endpoint.delete', 'webhook-endpoint.read',
  'webhook-endpoint.update',
  'webhook-event.delete', 'webhook-event.read', 'webhook-event.retry',
] as const;

export type Permission = (typeof ALL_PERMISSIONS)[number];
export const WILDCARD = '*';

const ALL_SET: ReadonlySet<string> = new Set(ALL_PERMISSIONS);

export function isKnownPermission(p: string): boolean {
  return p === WILDCARD || ALL_SET.has(p);
}

function minus(base: readonly string[], removed: readonly string[]): string[] {
  const r = new Set(removed);
  return base.filter((p) => !r.has(p));
}

export const READ_ONLY_PERMISSIONS: readonly string[] = [
  'account.analytics.read', 'account.billing.read', 'account.plan.read', 'account.read',
  'account.subscription.read', 'admin.read', 'arch.read', 'artifact.read', 'component.read',
  'channel.read', 'constraint.read', 'engine.read', 'entitlement.read', 'environment.read',
  'event-log.read', 'group.licenses.read', 'group.machines.read', 'group.owners.read', 'group.read',
  'group.users.read', 'key.read', 'license.read', 'license.validate', 'machine.read', 'package.read',
  'platform.read', 'policy.read', 'process.read', 'product.read', 'release.download', 'release.read',
  'release.upgrade', 'request-log.read', 'token.generate', 'token.read', 'user.password.reset',
  'user.password.update', 'user.read', 'user.second-factors.read', 'webhook-endpoint.read',
  'webhook-event.read',
];

export const ENVIRONMENT_PERMISSIONS: readonly string[] = minus(ALL_PERMISSIONS, [
  ...ALL_PERMISSIONS.filter((p) => p.startsWith('account.') && p !== 'account.read'),
  ...ALL_PERMISSIONS.filter((p) => p.startsWith('admin.')),
  'environment.create', 'environment.delete', 'environment.update', 'environment.tokens.generate',
]);

export const PRODUCT_PERMISSIONS: readonly string[] = minus(ENVIRONMENT_PERMISSIONS, [
  'entitlement.create', 'entitlement.delete', 'entitlement.update', 'environment.read',
  'event-log.read', 'product.create', 'product.delete', 'product.tokens.generate',
  'request-log.read', 'user.invite', 'user.password.reset', 'user.password.update',
  'user.second-factors.create', 'user.second-factors.delete', 'user.second-factors.read',
  'user.second-factors.update', 'webhook-event.delete', 'webhook-event.retry',
]);

export const USER_PERMISSIONS: readonly string[] = [
  'account.read', 'arch.read', 'artifact.read', 'component.create', 'component.delete',
  'component.read', 'component.update', 'channel.read', 'constraint.read', 'engine.read',
  'entitlement.read', 'group.licenses.read', 'group.machines.read', 'group.owners.read',
  'group.read', 'group.users.read', 'license.check-in', 'license.check-out', 'license.create',
  'license.delete', 'license.policy.update', 'license.read', 'license.renew', 'license.revoke',
  'license.usage.increment', 'license.validate', 'license.users.attach', 'license.users.detach',
  'machine.check-out', 'machine.create', 'machine.delete', 'machine.heartbeat.ping',
  'machine.proofs.generate', 'machine.read', 'machine.update', 'package.read', 'platform.read',
  'policy.read', 'process.create', 'process.delete', 'process.heartbeat.ping', 'process.read',
  'process.update', 'product.read', 'release.download', 'release.read', 'release.upgrade',
  'token.generate', 'token.read', 'token.regenerate', 'token.revoke', 'user.password.reset',
  'user.password.update', 'user.read', 'user.second-factors.create', 'user.second-factors.delete',
  'user.second-factors.read', 'user.second-factors.update', 'user.update',
];

export const LICENSE_PERMISSIONS: readonly string[] = [
  'account.read', 'arch.read', 'artifact.read', 'component.create', 'component.delete',
  'component.read', 'component.update', 'channel.read', 'constraint.read', 'engine.read',
  'entitlement.read', 'group.owners.read', 'group.read', 'license.check-in', 'license.check-out',
  'license.read', 'license.usage.increment', 'license.validate', 'machine.check-out',
  'machine.create', 'machine.delete', 'machine.heartbeat.ping', 'machine.proofs.generate',
  'machine.read', 'machine.update', 'package.read', 'platform.read', 'policy.read',
  'process.create', 'process.delete', 'process.heartbeat.ping', 'process.read', 'process.update',
  'product.read', 'release.download', 'release.read', 'release.upgrade', 'token.read',
  'token.regenerate', 'token.revoke', 'user.read',
];

const ALL_LIST: readonly string[] = ALL_PERMISSIONS;

/** What a role may ever hold (spec 01 §2.3, "Allowed"). `*` is always assignable on top. */
export const ALLOWED_PERMISSIONS: Record<Role, readonly string[]> = {
  admin: ALL_LIST,
  developer: ALL_LIST,
  'sales-agent': ALL_LIST,
  'support-agent': ALL_LIST,
  'read-only': READ_ONLY_PERMISSIONS,
  environment: ENVIRONMENT_PERMISSIONS,
  product: PRODUCT_PERMISSIONS,
  user: USER_PERMISSIONS,
  license: LICENSE_PERMISSIONS,
};

/** Assigned at creation when none are given (account settings may override user/license). */
export const DEFAULT_PERMISSIONS: Record<Role, readonly string[]> = {
  ...ALLOWED_PERMISSIONS,
  user: minus(USER_PERMISSIONS, [
    'account.read', 'license.users.attach', 'license.users.detach', 'policy.read', 'product.read',
  ]),
  license: minus(LICENSE_PERMISSIONS, ['account.read', 'product.read', 'policy.read', 'user.read']),
};

const ALLOWED_SETS = Object.fromEntries(
  Object.entries(ALLOWED_PERMISSIONS).map(([r, ps]) => [r, new Set(ps)]),
) as unknown as Record<Role, ReadonlySet<string>>;

// Per-list caches: interned lists (see internPermissions) are the same array on every
// request, so their Set and sorted rendering are built once.
const SETS = new WeakMap<readonly string[], ReadonlySet<string>>();
const RENDERED = new WeakMap<readonly string[], readonly string[]>();
const INTERNED = new Map<string, readonly string[]>();

/**
 * Parses a Postgres `text[]` literal of permission names (`{a.read,b.read}`; names
 * never need quoting) into a frozen list shared by every caller with the same text.
 * Keeps the auth hot path from re-parsing 144-element arrays on each request.
 */
export function internPermissions(literal: string): readonly string[] {
  let list = INTERNED.get(literal);
  if (!list) {
    const inner = literal.slice(1, -1);
    list = Object.freeze(inner === '' ? [] : inner.split(','));
    if (INTERNED.size >= 1000) {
      INTERNED.delete(INTERNED.keys().next().value as string);
    }
    INTERNED.set(literal, list);
  }
  return list;
}

function setOf(held: readonly string[]): ReadonlySet<string> {
  let set = SETS.get(held);
  if (!set) {
    set = new Set(held);
    SETS.set(held, set);
  }
  return set;
}

/** The set a bearer really holds: `*` means exactly the role's allowed set. */
export function effectiveBearerPermissions(role: Role, held: readonly string[]): ReadonlySet<string> {
  return held.includes(WILDCARD) ? ALLOWED_SETS[role] : setOf(held);
}

/**
 * A token's effective set (spec 01 §2.4.4): token `*` → bearer's set; bearer `*` →
 * token's own set (capped by the role); else the intersection.
 */
export function effectiveTokenPermissions(
  role: Role,
  bearerHeld: readonly string[],
  tokenHeld: readonly string[],
): ReadonlySet<string> {
  const bearer = effectiveBearerPermissions(role, bearerHeld);
  if (tokenHeld.includes(WILDCARD)) {
    return bearer;
  }
  return new Set(tokenHeld.filter((p) => bearer.has(p)));
}

export function isAllowedForRole(role: Role, permission: string): boolean {
  return permission === WILDCARD || ALLOWED_SETS[role].has(permission);
}

/** Serialisation order: ascending, `*` alone when wildcard (spec 01 §2.3). */
export function renderPermissions(held: readonly string[]): string[] {
  let sorted = RENDERED.get(held);
  if (!sorted) {
    sorted = held.includes(WILDCARD) ? [WILDCARD] : [...new Set(held)].sort();
    RENDERED.set(held, sorted);
  }
  return sorted.slice();
}
