import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { Caller } from '@app/modules/tokens/token.policy';
import { entitlementPolicy } from './entitlement.policy';

const ROLES: Role[] = [
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'read-only',
  'environment',
  'product',
  'user',
  'license',
];

function caller(role: Role): Caller {
  const envId = role === 'environment' ? 'env-1' : null;
  const bearer: Bearer = {
    type:
      role === 'product'
        ? 'products'
        : role === 'environment'
          ? 'environments'
          : role === 'license'
            ? 'licenses'
            : 'users',
    id: envId ?? `${role}-1`,
    role,
    permissions: [...DEFAULT_PERMISSIONS[role]],
    environmentId: null,
    record: null,
  };
  return {
    bearer,
    tokenPermissions: null,
    tokenEnvironmentId: null,
    scope: { accountId: 'acct', environmentId: envId, shared: false },
  };
}

describe('entitlementPolicy truth tables (default permissions)', () => {
  const allowed = (
    role: Role,
    action: 'show' | 'create' | 'update' | 'destroy',
    held: string[] = [],
  ) => {
    const c = caller(role);
    const record = { id: 'e-1', environmentId: c.scope.environmentId };
    return action === 'show'
      ? entitlementPolicy.show(c, record, held) === true
      : entitlementPolicy[action](c, record) === true;
  };

  it.each([
    ['show', [true, true, true, true, true, true, true, false, false]],
    ['create', [true, true, false, false, false, true, false, false, false]],
    ['update', [true, true, false, false, false, true, false, false, false]],
    ['destroy', [true, true, false, false, false, true, false, false, false]],
  ] as const)('%s', (action, expected) => {
    expect(ROLES.map((r) => allowed(r, action))).toEqual(expected);
  });

  it('lets users and licenses read the entitlements they hold', () => {
    expect(allowed('user', 'show', ['e-1'])).toBe(true);
    expect(allowed('license', 'show', ['e-1'])).toBe(true);
    expect(entitlementPolicy.scope(caller('user').bearer, ['e-1'])).toEqual({
      kind: 'ids',
      ids: ['e-1'],
    });
    expect(entitlementPolicy.scope(caller('product').bearer, [])).toEqual({ kind: 'all' });
  });
});
