import type { Bearer, BearerType } from '@app/common/auth/bearer';
import type { AccountScope } from '@app/common/context/request-context';

/** `<type>.read` for a bearer type: `users` → `user.read`. */
export function readPermission(type: BearerType): string {
  return `${type.slice(0, -1)}.read`;
}

/** `/me` (Keygen's `me?`): the bearer's read permission on itself. */
export function mePermissions(bearer: Bearer): string[] {
  return [readPermission(bearer.type)];
}

/** `/profile` (the bearer's `show?`): reading an admin also needs `admin.read`. */
export function profilePermissions(bearer: Bearer): string[] {
  const perms = [readPermission(bearer.type)];
  if (bearer.type === 'users' && bearer.role === 'admin') {
    perms.push('admin.read');
  }
  return perms;
}

/**
 * `/profile` runs the bearer's normal `show` rule, whose non-strict environment check
 * can fail: a global user seen from inside an isolated environment (spec 01 §7).
 * Environments carry no environment of their own, so they always pass.
 */
export function profileVisible(scope: AccountScope, bearer: Bearer): boolean {
  if (bearer.type === 'environments' || scope.environmentId === null) {
    return true;
  }
  return (
    bearer.environmentId === scope.environmentId || (scope.shared && bearer.environmentId === null)
  );
}
