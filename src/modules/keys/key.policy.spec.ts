import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { Caller } from '@app/modules/tokens/token.policy';
import { keyPolicy, keyRelationshipsPolicy, poolPolicy, type KeyFacts } from './key.policy';

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

function caller(role: Role, permissions?: string[]): Caller {
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
    permissions: permissions ?? [...DEFAULT_PERMISSIONS[role]],
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

const key = (c: Caller, productId = 'other-product'): KeyFacts => ({
  id: 'key-1',
  environmentId: c.scope.environmentId,
  productId,
});
const policy = (c: Caller, productId = 'other-product') => ({
  id: 'pol-1',
  environmentId: c.scope.environmentId,
  productId,
});
const ok = (d: true | { reason: string }): boolean => d === true;
const table = (
  f: (c: Caller, productId: string) => true | { reason: string },
  productId?: string,
) =>
  ROLES.map((role) => {
    const c = caller(role);
    return ok(f(c, productId ?? 'other-product'));
  });

describe('keyPolicy truth tables (default permissions)', () => {
  it.each([
    ['index', [true, true, true, true, true, true, false, false, false]],
    ['show', [true, true, true, true, true, true, false, false, false]],
    ['create', [true, true, false, false, false, true, false, false, false]],
    ['update', [true, true, false, false, false, true, false, false, false]],
    ['destroy', [true, true, false, false, false, true, false, false, false]],
  ] as const)('%s on another product’s key', (action, expected) => {
    const results = table((c, productId) => {
      const k = key(c, productId);
      return action === 'index' ? keyPolicy.index(c, [k]) : keyPolicy[action](c, k);
    });
    expect(results).toEqual(expected);
  });

  it('lets a product read and write its own keys only', () => {
    const c = caller('product');
    const own = key(c, 'product-1');
    expect(keyPolicy.index(c, [own])).toBe(true);
    expect(keyPolicy.index(c, [])).toBe(true);
    expect(keyPolicy.show(c, own)).toBe(true);
    expect(keyPolicy.create(c, own)).toBe(true);
    expect(keyPolicy.update(c, own)).toBe(true);
    expect(keyPolicy.destroy(c, own)).toBe(true);
    expect(ok(keyPolicy.index(c, [own, key(c)]))).toBe(false);
    expect(ok(keyPolicy.create(c, { environmentId: null, productId: null }))).toBe(false);
  });

  it('denies users and licenses for lack of permission, whatever they are granted', () => {
    expect(keyPolicy.index(caller('user'), [])).toEqual({
      reason: 'user lacks permission to perform action',
    });
    // key.* is outside what a user or license may ever hold.
    expect(keyPolicy.index(caller('license', ['*']), [])).toEqual({
      reason: 'license lacks permission to perform action',
    });
  });

  it('writes only into the current environment', () => {
    const c = caller('environment');
    expect(keyPolicy.update(c, { id: 'k', environmentId: null, productId: 'p' })).toEqual({
      reason: 'record environment is not compatible with the current environment',
    });
  });

  it('scopes bearers', () => {
    expect(keyPolicy.scope(caller('read-only').bearer)).toEqual({ kind: 'all' });
    expect(keyPolicy.scope(caller('environment').bearer)).toEqual({ kind: 'all' });
    expect(keyPolicy.scope(caller('product').bearer)).toEqual({
      kind: 'product',
      productId: 'product-1',
    });
    expect(keyPolicy.scope(caller('user').bearer)).toEqual({ kind: 'none' });
    expect(keyPolicy.scope(caller('license').bearer)).toEqual({ kind: 'none' });
  });
});

describe('keyRelationshipsPolicy', () => {
  it('lets readers see the policy and product; products only their own (needs policy.read / product.read)', () => {
    const rule = (rel: 'policy' | 'product', productId: string) =>
      table(
        (c) =>
          keyRelationshipsPolicy[rel](c, key(c, productId), {
            environmentId: c.scope.environmentId,
          }),
        productId,
      );
    const expectedOther = [true, true, true, true, true, true, false, false, false];
    expect(rule('policy', 'other-product')).toEqual(expectedOther);
    expect(rule('product', 'other-product')).toEqual(expectedOther);
    expect(rule('policy', 'product-1')).toEqual([...expectedOther.slice(0, 6), true, false, false]);
    expect(rule('product', 'product-1')).toEqual([
      ...expectedOther.slice(0, 6),
      true,
      false,
      false,
    ]);
  });
});

describe('poolPolicy', () => {
  it.each([
    ['index', [true, true, true, true, true, true, false, false, false]],
    ['show', [true, true, true, true, true, true, false, false, false]],
    ['pop', [true, true, false, false, false, true, false, false, false]],
  ] as const)('%s on another product’s policy', (action, expected) => {
    const results = table((c) => {
      const p = policy(c);
      switch (action) {
        case 'index':
          return poolPolicy.index(c, p, [key(c)]);
        case 'show':
          return poolPolicy.show(c, p, key(c));
        case 'pop':
          return poolPolicy.pop(c, p);
      }
    });
    expect(results).toEqual(expected);
  });

  it('lets a product list, show and pop its own policy’s pool', () => {
    const c = caller('product');
    const p = policy(c, 'product-1');
    expect(poolPolicy.index(c, p, [key(c, 'product-1')])).toBe(true);
    expect(poolPolicy.show(c, p, key(c, 'product-1'))).toBe(true);
    expect(poolPolicy.pop(c, p)).toBe(true);
  });

  it('refuses users and licenses even on a policy they hold', () => {
    for (const role of ['user', 'license'] as const) {
      const c = caller(role);
      expect(ok(poolPolicy.index(c, policy(c), []))).toBe(false);
      expect(ok(poolPolicy.pop(c, policy(c)))).toBe(false);
    }
  });
});
