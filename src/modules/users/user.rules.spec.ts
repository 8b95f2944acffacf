import { ALL_PERMISSIONS, DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import {
  adminMinimumError,
  isRootSet,
  normalizeEmail,
  passwordErrors,
  permissionsAfterRoleChange,
  permissionsKnown,
  userValidationErrors,
  type AdminMinimumInput,
} from './user.rules';

const FULL = 'account must have at least 1 admin user with a full permission set';
const MIN = 'account must have at least 1 admin user';

describe('adminMinimumError', () => {
  const base: AdminMinimumInput = {
    wasAdmin: true,
    isAdmin: true,
    destroying: false,
    roleChanged: false,
    targetRoot: true,
    otherAdminsRoot: [],
  };

  it.each<[string, Partial<AdminMinimumInput>, string | null]>([
    ['ignores non-admins', { wasAdmin: false, isAdmin: false }, null],
    ['refuses deleting the last admin', { destroying: true }, MIN],
    [
      'allows deleting an admin when another remains',
      { destroying: true, otherAdminsRoot: [true] },
      null,
    ],
    [
      'refuses demoting the last admin',
      { isAdmin: false, roleChanged: true, targetRoot: false },
      MIN,
    ],
    [
      'allows demoting when another admin exists',
      { isAdmin: false, roleChanged: true, targetRoot: false, otherAdminsRoot: [false] },
      null,
    ],
    ['refuses narrowing the sole admin', { targetRoot: false }, FULL],
    [
      'refuses narrowing when no other admin holds a full set',
      { targetRoot: false, otherAdminsRoot: [false, false] },
      FULL,
    ],
    [
      'allows narrowing when another admin holds a full set',
      { targetRoot: false, otherAdminsRoot: [false, true] },
      null,
    ],
    [
      'allows promoting a user to admin',
      { wasAdmin: false, roleChanged: true, targetRoot: false },
      null,
    ],
    // compat: Keygen's arithmetic also refuses deleting a limited admin with exactly one other admin.
    [
      'refuses deleting a limited admin leaving one admin',
      { destroying: true, targetRoot: false, otherAdminsRoot: [true] },
      FULL,
    ],
  ])('%s', (_name, patch, expected) => {
    expect(adminMinimumError({ ...base, ...patch })).toBe(expected);
  });
});

describe('permissions', () => {
  it('knows actions and the wildcard, and refuses duplicates', () => {
    expect(permissionsKnown(['*', 'license.read'])).toBe(true);
    expect(permissionsKnown([])).toBe(true);
    expect(permissionsKnown(['foo.bar'])).toBe(false);
    expect(permissionsKnown(['license.read', 'license.read'])).toBe(false);
  });

  it('keeps only the new role defaults and the wildcard on a role change', () => {
    expect(
      permissionsAfterRoleChange(['*', 'admin.read', 'license.read'], DEFAULT_PERMISSIONS.user),
    ).toEqual(['*', 'license.read']);
    expect(
      permissionsAfterRoleChange([...DEFAULT_PERMISSIONS.user], DEFAULT_PERMISSIONS.admin),
    ).toEqual(DEFAULT_PERMISSIONS.user);
  });

  it('recognises root sets', () => {
    expect(isRootSet('admin', ['*'])).toBe(true);
    expect(isRootSet('admin', ALL_PERMISSIONS)).toBe(true);
    expect(isRootSet('admin', ['license.read'])).toBe(false);
    expect(isRootSet('developer', ['*'])).toBe(false);
  });
});

describe('userValidationErrors', () => {
  const valid = {
    role: 'user' as const,
    permissions: DEFAULT_PERMISSIONS.user,
    email: 'a@keygen.example',
    emailTaken: false,
    firstName: null,
    lastName: null,
    metadata: {},
  };

  it('accepts a valid user', () => {
    expect(userValidationErrors(valid)).toEqual([]);
  });

  it('reports every failure in Keygen order with pointers and docs links', () => {
    const errors = userValidationErrors({
      ...valid,
      permissions: ['admin.read'],
      groupMissing: true,
      email: 'foo.com',
      emailTaken: true,
      password: 'short',
      firstName: 'x'.repeat(256),
      lastName: 'y'.repeat(256),
      metadata: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])),
    });
    expect(errors.map((e) => [e.code, e.source?.pointer])).toEqual([
      ['PERMISSIONS_NOT_ALLOWED', '/data/attributes/permissions'],
      ['GROUP_NOT_FOUND', '/data/relationships/group'],
      ['EMAIL_INVALID', '/data/attributes/email'],
      ['EMAIL_TAKEN', '/data/attributes/email'],
      ['PASSWORD_TOO_SHORT', '/data/attributes/password'],
      ['FIRST_NAME_TOO_LONG', '/data/attributes/firstName'],
      ['LAST_NAME_TOO_LONG', '/data/attributes/lastName'],
      ['METADATA_TOO_LONG', '/data/attributes/metadata'],
    ]);
    expect(errors[0].links).toEqual({
      about: 'https://keygen.sh/docs/api/users/#users-object-attrs-permissions',
    });
    expect(errors[1].links).toEqual({
      about: 'https://keygen.sh/docs/api/users/#users-object-relationships-group',
    });
    expect(errors[7].detail).toBe('too many keys (exceeded limit of 64 keys)');
  });

  it('measures lengths in characters', () => {
    expect(passwordErrors('ééééé')).toHaveLength(1);
    expect(passwordErrors('éééééé')).toEqual([]);
    expect(passwordErrors('x'.repeat(72))).toEqual([]);
    expect(passwordErrors('x'.repeat(73))[0]).toMatchObject({
      code: 'PASSWORD_TOO_LONG',
      detail: 'is too long (maximum is 72 characters)',
    });
  });

  it('normalises e-mails by trimming and lower-casing', () => {
    expect(normalizeEmail('  Foo@Example.COM ')).toBe('foo@example.com');
  });
});
