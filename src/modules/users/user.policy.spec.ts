import type { Bearer } from '@app/common/auth/bearer';
import {
  DEFAULT_PERMISSIONS,
  ENVIRONMENT_PERMISSIONS,
  PRODUCT_PERMISSIONS,
} from '@app/common/auth/permissions';
import type { Role, UserRole } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import type { ForbiddenError } from '@app/common/errors/api-error';
import {
  enforce,
  privileges,
  userPolicy,
  userScope,
  type Decision,
  type PolicyContext,
  type UserFacts,
} from './user.policy';

const GLOBAL: AccountScope = { accountId: 'acct', environmentId: null, shared: false };
const ISOLATED: AccountScope = { accountId: 'acct', environmentId: 'env-1', shared: false };
const SHARED: AccountScope = { accountId: 'acct', environmentId: 'env-1', shared: true };

function bearer(
  role: Role,
  opts: { id?: string; permissions?: readonly string[]; env?: string | null } = {},
): Bearer {
  const type =
    role === 'environment'
      ? 'environments'
      : role === 'product'
        ? 'products'
        : role === 'license'
          ? 'licenses'
          : 'users';
  const permissions =
    opts.permissions ??
    (role === 'environment'
      ? ENVIRONMENT_PERMISSIONS
      : role === 'product'
        ? PRODUCT_PERMISSIONS
        : DEFAULT_PERMISSIONS[role]);
  return {
    type,
    id: opts.id ?? `${role}-id`,
    role,
    permissions,
    environmentId: opts.env ?? null,
    record: {},
  };
}

function user(role: UserRole, opts: Partial<UserFacts> = {}): UserFacts {
  return {
    id: `target-${role}`,
    role,
    permissions: DEFAULT_PERMISSIONS[role],
    environmentId: null,
    hasPassword: true,
    ...opts,
  };
}

function ctx(b: Bearer | null, opts: Partial<PolicyContext> = {}): PolicyContext {
  return { bearer: b, tokenPermissions: null, scope: GLOBAL, accountProtected: false, ...opts };
}

const ok = (d: Decision): boolean => d.allow;
const reason = (d: Decision): string | null | undefined => (d.allow ? undefined : d.reason);

const STAFF: Role[] = ['admin', 'developer', 'sales-agent', 'support-agent', 'read-only'];
const ALL_BEARERS: Role[] = [...STAFF, 'environment', 'product', 'user', 'license'];

describe('userPolicy', () => {
  describe('show', () => {
    // bearer role → may read a `user`-role user it is not
    const table: Record<Role, boolean> = {
      admin: true,
      developer: true,
      'sales-agent': true,
      'support-agent': true,
      'read-only': true,
      environment: true,
      product: true,
      user: false,
      license: false,
    };
    it.each(ALL_BEARERS)('%s reading another user', (role) => {
      expect(ok(userPolicy.show(ctx(bearer(role)), user('user')))).toBe(table[role]);
    });

    it('lets a user read itself', () => {
      const b = bearer('user', { id: 'me' });
      expect(ok(userPolicy.show(ctx(b), user('user', { id: 'me' })))).toBe(true);
    });

    it('refuses product and environment bearers staff records', () => {
      expect(ok(userPolicy.show(ctx(bearer('product')), user('read-only')))).toBe(false);
      expect(ok(userPolicy.show(ctx(bearer('environment')), user('developer')))).toBe(false);
    });

    it('requires admin.read for admins', () => {
      const limited = bearer('developer', { permissions: ['user.read'] });
      expect(reason(userPolicy.show(ctx(limited), user('admin')))).toBe(
        'developer lacks permission to perform action',
      );
      expect(ok(userPolicy.show(ctx(limited), user('developer')))).toBe(true);
    });

    it('checks the token after the bearer', () => {
      const d = userPolicy.show(
        ctx(bearer('admin'), { tokenPermissions: new Set(['license.read']) }),
        user('user'),
      );
      expect(reason(d)).toBe('token lacks permission to perform action');
    });
  });

  describe('index', () => {
    it('lets staff list anything', () => {
      for (const role of STAFF) {
        expect(ok(userPolicy.index(ctx(bearer(role)), [user('user'), user('developer')]))).toBe(
          true,
        );
      }
    });

    it('lets product and environment bearers list only user roles', () => {
      for (const role of ['product', 'environment'] as const) {
        expect(ok(userPolicy.index(ctx(bearer(role)), [user('user')]))).toBe(true);
        expect(ok(userPolicy.index(ctx(bearer(role)), [user('user'), user('read-only')]))).toBe(
          false,
        );
        expect(ok(userPolicy.index(ctx(bearer(role)), []))).toBe(true);
      }
    });

    it('needs admin.read when admins are listed', () => {
      const noAdminRead = bearer('admin', { permissions: ['user.read'] });
      expect(ok(userPolicy.index(ctx(noAdminRead), [user('user')]))).toBe(true);
      expect(reason(userPolicy.index(ctx(noAdminRead), [user('admin')]))).toBe(
        'admin lacks permission to perform action',
      );
    });

    it('lets a user list itself only', () => {
      const b = bearer('user', { id: 'me' });
      expect(ok(userPolicy.index(ctx(b), [user('user', { id: 'me' })]))).toBe(true);
      expect(ok(userPolicy.index(ctx(b), [user('user')]))).toBe(false);
    });
  });

  describe('create', () => {
    // bearer role → may create a `user`-role user
    const table: Record<Role, boolean> = {
      admin: true,
      developer: true,
      'sales-agent': true,
      'support-agent': false,
      'read-only': false,
      environment: true,
      product: true,
      user: false,
      license: false,
    };
    it.each(ALL_BEARERS)('%s creating a user', (role) => {
      expect(ok(userPolicy.create(ctx(bearer(role)), user('user')))).toBe(table[role]);
    });

    it('lets anonymous create users on unprotected accounts only', () => {
      expect(ok(userPolicy.create(ctx(null), user('user')))).toBe(true);
      const d = userPolicy.create(ctx(null, { accountProtected: true }), user('user'));
      expect(d).toEqual({ allow: false, reason: null });
    });

    it('never lets anonymous create staff', () => {
      expect(reason(userPolicy.create(ctx(null), user('admin')))).toBe(
        'anon lacks privileges to perform action on user',
      );
    });

    it('lets only admins and developers create staff', () => {
      expect(ok(userPolicy.create(ctx(bearer('admin')), user('admin')))).toBe(true);
      expect(ok(userPolicy.create(ctx(bearer('developer')), user('developer')))).toBe(true);
      expect(ok(userPolicy.create(ctx(bearer('sales-agent')), user('read-only')))).toBe(false);
      expect(reason(userPolicy.create(ctx(bearer('developer')), user('admin')))).toBe(
        'developer lacks privileges to perform action on user',
      );
    });

    it('requires admin.create to create an admin', () => {
      const b = bearer('admin', { permissions: ['user.create'] });
      expect(reason(userPolicy.create(ctx(b), user('admin', { permissions: [] })))).toBe(
        'admin lacks permission to perform action',
      );
    });

    it('refuses records outside the current environment', () => {
      expect(
        reason(userPolicy.create(ctx(bearer('admin'), { scope: ISOLATED }), user('user'))),
      ).toBe('record environment is not compatible with the current environment');
      expect(
        ok(
          userPolicy.create(
            ctx(bearer('admin'), { scope: ISOLATED }),
            user('user', { environmentId: 'env-1' }),
          ),
        ),
      ).toBe(true);
      expect(ok(userPolicy.create(ctx(bearer('admin'), { scope: SHARED }), user('user')))).toBe(
        false,
      );
    });
  });

  describe('update', () => {
    // bearer role → may update another `user`-role user
    const table: Record<Role, boolean> = {
      admin: true,
      developer: true,
      'sales-agent': true,
      'support-agent': false,
      'read-only': false,
      environment: true,
      product: true,
      user: false,
      license: false,
    };
    it.each(ALL_BEARERS)('%s updating a user', (role) => {
      expect(ok(userPolicy.update(ctx(bearer(role)), user('user')))).toBe(table[role]);
    });

    it('lets users update themselves only', () => {
      const b = bearer('user', { id: 'me' });
      expect(ok(userPolicy.update(ctx(b), user('user', { id: 'me' })))).toBe(true);
      expect(
        ok(
          userPolicy.update(
            ctx(bearer('support-agent', { id: 'me' })),
            user('support-agent', { id: 'me' }),
          ),
        ),
      ).toBe(false);
    });

    it('refuses a sales agent acting on an admin by rank', () => {
      expect(reason(userPolicy.update(ctx(bearer('sales-agent')), user('admin')))).toBe(
        'sales agent lacks privileges to perform action on user',
      );
    });

    it('refuses granting permissions the bearer lacks to its own role', () => {
      const limited = bearer('admin', {
        permissions: ['admin.read', 'admin.update', 'user.create', 'user.update'],
      });
      const target = user('admin', {
        permissions: ['admin.create', 'admin.read', 'admin.update', 'admin.delete'],
      });
      expect(reason(userPolicy.update(ctx(limited), target))).toBe(
        'admin lacks privileges to perform action on user',
      );
      const narrower = user('admin', { permissions: ['admin.read'] });
      expect(ok(userPolicy.update(ctx(limited), narrower))).toBe(true);
    });

    it('lets a root admin grant anything', () => {
      expect(
        ok(
          userPolicy.update(
            ctx(bearer('admin', { permissions: ['*'] })),
            user('admin', { permissions: ['*'] }),
          ),
        ),
      ).toBe(true);
    });

    it('refuses writes to global records from a shared environment', () => {
      expect(reason(userPolicy.update(ctx(bearer('admin'), { scope: SHARED }), user('user')))).toBe(
        'record environment is not compatible with the current environment',
      );
    });
  });

  describe('destroy', () => {
    const table: Record<Role, boolean> = {
      admin: true,
      developer: true,
      'sales-agent': false,
      'support-agent': false,
      'read-only': false,
      environment: true,
      product: true,
      user: false,
      license: false,
    };
    it.each(ALL_BEARERS)('%s deleting a user', (role) => {
      expect(ok(userPolicy.destroy(ctx(bearer(role)), user('user')))).toBe(table[role]);
    });

    it("refuses a product deleting another product's user", () => {
      const d = userPolicy.destroy(ctx(bearer('product', { id: 'p1' })), user('user'), [
        'p1',
        'p2',
      ]);
      expect(reason(d)).toBe('user cannot belong to another product');
      expect(
        ok(userPolicy.destroy(ctx(bearer('product', { id: 'p1' })), user('user'), ['p1'])),
      ).toBe(true);
    });

    it('refuses a developer deleting an admin', () => {
      expect(reason(userPolicy.destroy(ctx(bearer('developer')), user('admin')))).toBe(
        'developer lacks privileges to perform action on user',
      );
    });

    it('refuses an environment deleting staff', () => {
      expect(ok(userPolicy.destroy(ctx(bearer('environment')), user('read-only')))).toBe(false);
    });
  });

  describe('ban', () => {
    const table: Record<Role, boolean> = {
      admin: true,
      developer: true,
      'sales-agent': true,
      'support-agent': true,
      'read-only': false,
      environment: true,
      product: true,
      user: false,
      license: false,
    };
    it.each(ALL_BEARERS)('%s banning a user', (role) => {
      expect(ok(userPolicy.ban(ctx(bearer(role)), user('user'), 'ban'))).toBe(table[role]);
      expect(ok(userPolicy.ban(ctx(bearer(role)), user('user'), 'unban'))).toBe(table[role]);
    });

    it('only bans user roles', () => {
      expect(reason(userPolicy.ban(ctx(bearer('admin')), user('admin'), 'ban'))).toBe(
        'must have a user role',
      );
    });
  });

  describe('passwords', () => {
    it('lets only the user itself update its password', () => {
      const me = user('user', { id: 'me' });
      expect(ok(userPolicy.updatePassword(ctx(bearer('user', { id: 'me' })), me))).toBe(true);
      expect(ok(userPolicy.updatePassword(ctx(bearer('admin')), me))).toBe(false);
      expect(
        ok(
          userPolicy.updatePassword(
            ctx(bearer('read-only', { id: 'ro' })),
            user('read-only', { id: 'ro' }),
          ),
        ),
      ).toBe(true);
    });

    it('reports the user context before the record for environment mismatches', () => {
      const envUser = user('user', { id: 'me', environmentId: 'env-2' });
      expect(reason(userPolicy.resetPassword(ctx(null, { scope: ISOLATED }), envUser))).toBe(
        'user environment is not compatible with the current environment',
      );
      expect(reason(userPolicy.resetPassword(ctx(null, { scope: SHARED }), user('user')))).toBe(
        'record environment is not compatible with the current environment',
      );
    });

    it('refuses passwordless users a reset on protected accounts', () => {
      const passwordless = user('user', { hasPassword: false });
      expect(
        ok(userPolicy.resetPassword(ctx(null, { accountProtected: true }), passwordless)),
      ).toBe(false);
      expect(ok(userPolicy.resetPassword(ctx(null), passwordless))).toBe(true);
      expect(
        ok(
          userPolicy.resetPassword(
            ctx(null, { accountProtected: true }),
            user('admin', { hasPassword: false }),
          ),
        ),
      ).toBe(true);
    });
  });
});

describe('privileges', () => {
  it('compares ranks', () => {
    expect(ok(privileges(bearer('environment'), user('developer')))).toBe(true);
    expect(ok(privileges(bearer('product'), user('developer')))).toBe(false);
    expect(ok(privileges(bearer('product'), user('sales-agent')))).toBe(true);
  });

  it('treats a wildcard bearer as holding its role allowed set', () => {
    const b = bearer('read-only', { permissions: ['*'] });
    expect(ok(privileges(b, user('read-only', { permissions: ['license.read'] })))).toBe(true);
    expect(ok(privileges(b, user('read-only', { permissions: ['license.create'] })))).toBe(false);
  });
});

describe('userScope', () => {
  it.each([
    ['admin', { kind: 'all' }],
    ['read-only', { kind: 'all' }],
    ['environment', { kind: 'all' }],
    ['product', { kind: 'role', role: 'user' }],
    ['user', { kind: 'ids', ids: ['user-id'] }],
    ['license', { kind: 'none' }],
  ] as const)('%s', (role, expected) => {
    expect(userScope(bearer(role))).toEqual(expected);
  });

  it('gives anonymous nothing', () => {
    expect(userScope(null)).toEqual({ kind: 'none' });
  });
});

describe('enforce', () => {
  const detail = (fn: () => void): string => {
    try {
      fn();
    } catch (e) {
      return (e as ForbiddenError).items[0].detail ?? '';
    }
    return 'allowed';
  };

  it('renders reasons and Keygen fallbacks', () => {
    expect(detail(() => enforce({ allow: true }, true))).toBe('allowed');
    expect(detail(() => enforce({ allow: false, reason: 'must have a user role' }, true))).toBe(
      'You do not have permission to complete the request (must have a user role)',
    );
    expect(detail(() => enforce({ allow: false, reason: null }, true))).toBe(
      'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)',
    );
    expect(detail(() => enforce({ allow: false, reason: null }, false))).toBe(
      'You do not have permission to complete the request (ensure a token or license is present and valid)',
    );
  });
});
