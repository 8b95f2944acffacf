import type { Bearer } from '@app/common/auth/bearer';
import type { Role } from '@app/common/auth/roles';
import {
  mePermissions,
  profilePermissions,
  profileVisible,
  readPermission,
} from './profile.policy';

const b = (type: Bearer['type'], role: Role, environmentId: string | null = null): Bearer => ({
  type,
  id: 'b1',
  role,
  permissions: ['*'],
  environmentId,
  record: {},
});

describe('profile policy', () => {
  it.each([
    ['users', 'user.read'],
    ['products', 'product.read'],
    ['licenses', 'license.read'],
    ['environments', 'environment.read'],
  ] as const)('%s read with %s', (type, permission) => {
    expect(readPermission(type)).toBe(permission);
  });

  it('/me needs only the read permission, /profile also admin.read for admins', () => {
    expect(mePermissions(b('users', 'admin'))).toEqual(['user.read']);
    expect(profilePermissions(b('users', 'admin'))).toEqual(['user.read', 'admin.read']);
    expect(profilePermissions(b('users', 'developer'))).toEqual(['user.read']);
    expect(profilePermissions(b('environments', 'environment', 'e1'))).toEqual([
      'environment.read',
    ]);
  });

  it.each([
    [
      'global request, any bearer',
      { environmentId: null, shared: false },
      b('users', 'admin', 'e1'),
      true,
    ],
    [
      'isolated, bearer there',
      { environmentId: 'e1', shared: false },
      b('users', 'user', 'e1'),
      true,
    ],
    ['isolated, global admin', { environmentId: 'e1', shared: false }, b('users', 'admin'), false],
    ['shared, global admin', { environmentId: 'e1', shared: true }, b('users', 'admin'), true],
    [
      'shared, other environment',
      { environmentId: 'e1', shared: true },
      b('users', 'user', 'e2'),
      false,
    ],
    [
      'isolated, an environment',
      { environmentId: 'e1', shared: false },
      b('environments', 'environment', 'e1'),
      true,
    ],
  ])('%s → %s', (_label, scope, bearer, visible) => {
    expect(profileVisible({ accountId: 'a', ...scope }, bearer)).toBe(visible);
  });
});
