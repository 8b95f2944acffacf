import { NO_REASON, type Decision } from '@app/common/auth/policy';
import type { Bearer, BearerType } from '@app/common/auth/bearer';
import type { Role } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import {
  RECORD_ENVIRONMENT_MISMATCH,
  environmentTokensPolicy,
  subjectOf,
  tokenPolicy,
  userTokensPolicy,
  type Caller,
  type TokenRecord,
} from './token.policy';

const GLOBAL: AccountScope = { accountId: 'acct', environmentId: null, shared: false };
const ISOLATED: AccountScope = { accountId: 'acct', environmentId: 'env-1', shared: false };
const SHARED: AccountScope = { accountId: 'acct', environmentId: 'env-1', shared: true };

const TYPE: Record<Role, BearerType> = {
  admin: 'users',
  developer: 'users',
  'sales-agent': 'users',
  'support-agent': 'users',
  'read-only': 'users',
  user: 'users',
  environment: 'environments',
  product: 'products',
  license: 'licenses',
};

function bearer(role: Role, id: string = role, opts: Partial<Bearer> = {}): Bearer {
  return {
    type: TYPE[role],
    id,
    role,
    permissions: ['*'],
    environmentId: role === 'environment' ? id : null,
    bannedAt: null,
    record: {},
    ...opts,
  };
}

/** By default the request is made where the bearer lives (an environment inside itself). */
function caller(b: Bearer, scope?: AccountScope, tokenPermissions: string[] | null = null): Caller {
  const s = scope ?? (b.environmentId ? { ...ISOLATED, environmentId: b.environmentId } : GLOBAL);
  return {
    bearer: b,
    scope: s,
    tokenPermissions: tokenPermissions && new Set(tokenPermissions),
    tokenEnvironmentId: s.environmentId,
  };
}

function record(
  target: Bearer | null,
  ref?: { type: BearerType; id: string },
  environmentId: string | null = null,
  productIds: string[] = [],
): TokenRecord {
  const r = ref ?? { type: target!.type, id: target!.id };
  return { environmentId, subject: subjectOf(target, r, productIds) };
}

const allowed = (d: Decision): boolean => d === true;
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

describe('tokenPolicy.generate', () => {
  // the new token lives where the request is made
  const targets: Record<string, (actor: Bearer) => TokenRecord> = {
    itself: (actor) => record(actor, undefined, actor.environmentId),
    'a user-role user': (actor) =>
      record(bearer('user', 'someone'), undefined, actor.environmentId),
    'another admin': (actor) =>
      record(bearer('admin', 'other-admin'), undefined, actor.environmentId),
    'an environment': (actor) =>
      record(bearer('environment', 'env-9'), undefined, actor.environmentId),
    'a product': (actor) => record(bearer('product', 'prod-9'), undefined, actor.environmentId),
    'a license': (actor) => record(bearer('license', 'lic-9'), undefined, actor.environmentId),
    'an unknown bearer': (actor) =>
      record(null, { type: 'users', id: 'ghost' }, actor.environmentId),
  };
  const table: Record<Role, string[]> = {
    admin: ['itself', 'a user-role user'],
    developer: ['itself', 'a user-role user'],
    'sales-agent': ['itself'],
    'support-agent': ['itself'],
    'read-only': ['itself'],
    environment: ['itself', 'a user-role user'],
    product: [],
    user: ['itself'],
    license: [],
  };

  for (const role of ROLES) {
    for (const [name, target] of Object.entries(targets)) {
      const expected = table[role].includes(name);
      it(`${role} → ${name}: ${expected ? 'allow' : 'deny'}`, () => {
        const actor = bearer(role);
        expect(allowed(tokenPolicy.generate(caller(actor), target(actor)))).toBe(expected);
      });
    }
  }

  it('lets a product reach users and licenses of its own product only', () => {
    const product = bearer('product', 'p1');
    expect(
      tokenPolicy.generate(caller(product), record(bearer('user', 'u'), undefined, null, ['p1'])),
    ).toBe(true);
    expect(
      tokenPolicy.generate(
        caller(product),
        record(bearer('license', 'l'), undefined, null, ['p1']),
      ),
    ).toBe(true);
    expect(
      tokenPolicy.generate(
        caller(product),
        record(bearer('license', 'l'), undefined, null, ['p2']),
      ),
    ).toEqual({ reason: NO_REASON });
  });

  it('names a banned user', () => {
    const actor = bearer('user', 'u', { bannedAt: new Date() });
    expect(tokenPolicy.generate(caller(actor), record(actor))).toEqual({
      reason: 'user is banned',
    });
  });

  it('checks permissions first, bearer then token', () => {
    const actor = bearer('user', 'u', { permissions: ['token.read'] });
    expect(tokenPolicy.generate(caller(actor), record(actor))).toEqual({
      reason: 'user lacks permission to perform action',
    });
    const admin = bearer('admin');
    expect(tokenPolicy.generate(caller(admin, GLOBAL, ['token.read']), record(admin))).toEqual({
      reason: 'token lacks permission to perform action',
    });
  });

  it('is lax about the record environment only in the global environment', () => {
    const admin = bearer('admin');
    expect(tokenPolicy.generate(caller(admin), record(admin, undefined, 'env-1'))).toBe(true);
    expect(tokenPolicy.generate(caller(admin, SHARED), record(admin, undefined, null))).toEqual({
      reason: RECORD_ENVIRONMENT_MISMATCH,
    });
    expect(
      tokenPolicy.generate(caller(admin, ISOLATED), record(admin, undefined, 'env-2')),
    ).toEqual({ reason: RECORD_ENVIRONMENT_MISMATCH });
    expect(tokenPolicy.generate(caller(admin, ISOLATED), record(admin, undefined, 'env-1'))).toBe(
      true,
    );
  });

  it('refuses a bearer of another environment', () => {
    const dev = bearer('developer', 'd', { environmentId: 'env-2' });
    expect(tokenPolicy.generate(caller(dev, ISOLATED), record(dev, undefined, 'env-1'))).toEqual({
      reason: 'developer environment is not compatible with the current environment',
    });
    // a global admin may step into an isolated environment
    const admin = bearer('admin');
    expect(
      tokenPolicy.generate(
        { ...caller(admin, ISOLATED), tokenPermissions: null },
        record(admin, undefined, 'env-1'),
      ),
    ).toBe(true);
  });
});

describe('tokenPolicy.regenerate', () => {
  const subjects: Record<string, Role | 'itself'> = {
    itself: 'itself',
    admin: 'admin',
    developer: 'developer',
    'sales-agent': 'sales-agent',
    environment: 'environment',
    product: 'product',
    license: 'license',
    user: 'user',
  };
  const table: Record<Role, string[]> = {
    admin: ['itself', 'environment', 'product', 'license', 'user'],
    developer: ['itself', 'environment', 'product', 'license', 'user'],
    'sales-agent': ['itself'],
    'support-agent': ['itself'],
    'read-only': [],
    environment: ['itself', 'product', 'license', 'user'],
    product: ['itself'],
    user: ['itself'],
    license: ['itself'],
  };
  for (const role of ROLES) {
    for (const [name, subject] of Object.entries(subjects)) {
      const expected = table[role].includes(name);
      it(`${role} → ${name} token: ${expected ? 'allow' : 'deny'}`, () => {
        const actor = bearer(role);
        const target = subject === 'itself' ? actor : bearer(subject, `other-${subject}`);
        const scope = role === 'environment' ? { ...ISOLATED, environmentId: actor.id } : GLOBAL;
        const env = role === 'environment' ? actor.id : null;
        const target2 =
          target.role === 'environment' && target !== actor
            ? { ...target, environmentId: env }
            : target;
        expect(
          allowed(tokenPolicy.regenerate(caller(actor, scope), record(target2, undefined, env))),
        ).toBe(expected);
      });
    }
  }
});

describe('tokenPolicy.revoke and show', () => {
  it.each(ROLES)('%s may revoke and show its own token', (role) => {
    const actor = bearer(role);
    const own = record(actor, undefined, actor.environmentId);
    expect(tokenPolicy.show(caller(actor), own)).toBe(true);
    if (role !== 'read-only') {
      expect(tokenPolicy.revoke(caller(actor), own)).toBe(true);
    }
  });

  it.each([
    ['admin', true, true],
    ['developer', true, true],
    ['environment', true, true],
    ['sales-agent', true, false],
    ['support-agent', true, false],
    ['read-only', true, false],
    ['product', false, false],
    ['user', false, false],
    ['license', false, false],
  ] as const)("%s on another user's token: show %s, revoke %s", (role, show, revoke) => {
    const actor = bearer(role);
    const target = record(
      bearer('user', 'someone', { environmentId: actor.environmentId }),
      undefined,
      actor.environmentId,
    );
    expect(allowed(tokenPolicy.show(caller(actor), target))).toBe(show);
    expect(allowed(tokenPolicy.revoke(caller(actor), target))).toBe(revoke);
  });

  it('requires the strict environment for revoke but not for show', () => {
    const admin = bearer('admin');
    const globalToken = record(bearer('user', 'u'), undefined, null);
    expect(tokenPolicy.show(caller(admin, SHARED), globalToken)).toBe(true);
    expect(tokenPolicy.revoke(caller(admin, SHARED), globalToken)).toEqual({
      reason: RECORD_ENVIRONMENT_MISMATCH,
    });
  });
});

describe('tokenPolicy.scope', () => {
  it.each([
    ['admin', { kind: 'all' }],
    ['read-only', { kind: 'all' }],
    ['environment', { kind: 'environment', environmentId: 'environment' }],
    ['product', { kind: 'product', productId: 'product' }],
    ['user', { kind: 'own', type: 'users', id: 'user' }],
    ['license', { kind: 'own', type: 'licenses', id: 'license' }],
  ] as const)('%s', (role, access) => {
    expect(tokenPolicy.scope(bearer(role))).toEqual(access);
  });
});

describe('userTokensPolicy', () => {
  const user = { id: 'u1', role: 'user' as const, productIds: ['p1'] };
  const admin = { id: 'a1', role: 'admin' as const, productIds: [] };
  it.each([
    ['admin', true, true, true, false],
    ['developer', true, true, true, false],
    ['sales-agent', true, true, false, false],
    ['read-only', true, true, false, false],
    ['environment', true, false, true, false],
    ['product', true, false, false, false],
    ['license', false, false, false, false],
  ] as const)(
    '%s: index user %s, index admin %s, create for user %s, create for admin %s',
    (role, indexUser, indexAdmin, createUser, createAdmin) => {
      const c = caller(bearer(role, role === 'product' ? 'p2' : role));
      const here = { environmentId: c.scope.environmentId };
      expect(allowed(userTokensPolicy.index(c, user))).toBe(indexUser);
      expect(allowed(userTokensPolicy.index(c, admin))).toBe(indexAdmin);
      expect(allowed(userTokensPolicy.create(c, user, here))).toBe(createUser);
      expect(allowed(userTokensPolicy.create(c, admin, here))).toBe(createAdmin);
    },
  );

  it('lets an admin and a user reach their own tokens, a user not generate', () => {
    const a = bearer('admin', 'a1');
    expect(userTokensPolicy.create(caller(a), admin, { environmentId: null })).toBe(true);
    const u = bearer('user', 'u1');
    expect(userTokensPolicy.index(caller(u), user)).toBe(true);
    expect(userTokensPolicy.create(caller(u), user, { environmentId: null })).toEqual({
      reason: 'user lacks permission to perform action',
    });
  });

  it('lets a product show and create only for users of its product', () => {
    const p = caller(bearer('product', 'p1'));
    expect(userTokensPolicy.show(p, user, record(bearer('user', 'u1')))).toBe(true);
    expect(userTokensPolicy.create(p, user, { environmentId: null })).toBe(true);
  });
});

describe('environmentTokensPolicy', () => {
  it.each([
    ['admin', true, true],
    ['developer', true, true],
    ['sales-agent', true, false],
    ['environment', false, false],
  ] as const)('%s: index %s, create %s (inside the environment)', (role, index, create) => {
    const actor = bearer(
      role,
      role === 'environment' ? 'env-2' : role,
      role === 'environment' ? {} : { environmentId: 'env-1' },
    );
    const c = caller(actor, ISOLATED);
    expect(allowed(environmentTokensPolicy.index(c))).toBe(index);
    expect(allowed(environmentTokensPolicy.create(c, { environmentId: 'env-1' }))).toBe(create);
  });

  it('lets an environment list and show its own tokens', () => {
    const env = bearer('environment', 'env-1');
    const c = caller(env, ISOLATED);
    expect(environmentTokensPolicy.index(c)).toBe(true);
    expect(environmentTokensPolicy.show(c, record(env, undefined, 'env-1'))).toBe(true);
    expect(environmentTokensPolicy.create(c, { environmentId: 'env-1' })).toEqual({
      reason: 'environment lacks permission to perform action',
    });
  });

  it('needs the request to be made in that environment to create', () => {
    const c = caller(bearer('admin'));
    expect(environmentTokensPolicy.create(c, { environmentId: 'env-1' })).toEqual({
      reason: RECORD_ENVIRONMENT_MISMATCH,
    });
  });

  it('lets only admin-family and the environment itself address an environment', () => {
    expect(environmentTokensPolicy.canAddress(bearer('read-only'), 'env-1')).toBe(true);
    expect(environmentTokensPolicy.canAddress(bearer('environment', 'env-1'), 'env-1')).toBe(true);
    expect(environmentTokensPolicy.canAddress(bearer('environment', 'env-2'), 'env-1')).toBe(false);
    expect(environmentTokensPolicy.canAddress(bearer('user'), 'env-1')).toBe(false);
  });
});
