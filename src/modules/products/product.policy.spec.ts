import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import type { Caller } from '@app/modules/tokens/token.policy';
import { productPolicy, productTokensPolicy, type ProductFacts } from './product.policy';

const GLOBAL: AccountScope = { accountId: 'acct', environmentId: null, shared: false };

function caller(
  role: Role,
  opts: { id?: string; permissions?: string[]; scope?: AccountScope } = {},
): Caller {
  const type =
    role === 'product'
      ? 'products'
      : role === 'environment'
        ? 'environments'
        : role === 'license'
          ? 'licenses'
          : 'users';
  const bearer: Bearer = {
    type,
    id: opts.id ?? `${role}-1`,
    role,
    permissions: opts.permissions ?? [...DEFAULT_PERMISSIONS[role]],
    environmentId: null,
    record: null,
  };
  // An environment bearer acts from inside its own environment.
  const ownScope: AccountScope =
    role === 'environment'
      ? { accountId: 'acct', environmentId: bearer.id, shared: false }
      : GLOBAL;
  return {
    bearer,
    tokenPermissions: null,
    tokenEnvironmentId: null,
    scope: opts.scope ?? ownScope,
  };
}

const product = (over: Partial<ProductFacts> = {}, envId: string | null = null): ProductFacts => ({
  id: 'p-1',
  environmentId: envId,
  distributionStrategy: 'LICENSED',
  ...over,
});
const allowed = (d: true | { reason: string }): boolean => d === true;

describe('productPolicy', () => {
  const roles: Role[] = [
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

  it.each([
    ['index', [true, true, true, true, true, true, false, false, false]],
    ['create', [true, true, false, false, false, true, false, false, false]],
    ['update', [true, true, false, false, false, true, false, false, false]],
    ['destroy', [true, true, false, false, false, true, false, false, false]],
  ] as const)('%s truth table (default permissions, another product)', (action, expected) => {
    const results = roles.map((role) => {
      const c = caller(role);
      const record = product({}, c.scope.environmentId);
      switch (action) {
        case 'index':
          return allowed(productPolicy.index(c, [record], []));
        case 'create':
          return allowed(productPolicy.create(c, record));
        case 'update':
          return allowed(productPolicy.update(c, record));
        case 'destroy':
          return allowed(productPolicy.destroy(c, record));
      }
    });
    expect(results).toEqual(expected);
  });

  it('lets a product show and update itself but not delete itself', () => {
    const c = caller('product', { id: 'p-1' });
    expect(productPolicy.show(c, product(), [])).toBe(true);
    expect(productPolicy.update(c, product())).toBe(true);
    expect(productPolicy.destroy(c, product())).toEqual({
      reason: 'product lacks permission to perform action',
    });
  });

  it('lets users with product.read see OPEN and held LICENSED products, never CLOSED ones', () => {
    const c = caller('user', { permissions: ['product.read'] });
    expect(productPolicy.show(c, product({ distributionStrategy: 'OPEN' }), [])).toBe(true);
    expect(allowed(productPolicy.show(c, product(), []))).toBe(false);
    expect(productPolicy.show(c, product(), ['p-1'])).toBe(true);
    expect(productPolicy.show(c, product({ distributionStrategy: null }), ['p-1'])).toBe(true);
    expect(
      allowed(productPolicy.show(c, product({ distributionStrategy: 'CLOSED' }), ['p-1'])),
    ).toBe(false);
    expect(
      allowed(productPolicy.index(c, [product({ distributionStrategy: 'CLOSED' })], ['p-1'])),
    ).toBe(false);
  });

  it('checks the permission, then the environment, then the role', () => {
    const shared: AccountScope = { accountId: 'acct', environmentId: 'env', shared: true };
    const ro = caller('read-only', { scope: shared });
    expect(productPolicy.update(ro, product())).toEqual({
      reason: 'read only lacks permission to perform action',
    });
    const sales = caller('sales-agent', { scope: shared });
    expect(productPolicy.update(sales, product())).toEqual({
      reason: 'record environment is not compatible with the current environment',
    });
  });

  it('scopes staff to everything, a product to itself and others to OPEN plus held', () => {
    expect(productPolicy.scope(caller('read-only').bearer, [])).toEqual({ kind: 'all' });
    expect(productPolicy.scope(caller('environment').bearer, [])).toEqual({ kind: 'all' });
    expect(productPolicy.scope(caller('product', { id: 'p' }).bearer, [])).toEqual({
      kind: 'self',
      id: 'p',
    });
    expect(productPolicy.scope(caller('user').bearer, ['x'])).toEqual({
      kind: 'open',
      held: ['x'],
      heldLicensedOnly: false,
    });
    expect(productPolicy.scope(caller('license').bearer, ['x'])).toMatchObject({
      heldLicensedOnly: true,
    });
  });
});

describe('productTokensPolicy', () => {
  const token = { environmentId: null, bearerType: 'products', bearerId: 'p-1' };

  it('lets staff read and admin, developer, environment generate', () => {
    expect(productTokensPolicy.index(caller('read-only'), { id: 'p-1' })).toBe(true);
    expect(productTokensPolicy.create(caller('developer'), token)).toBe(true);
    const env = caller('environment');
    expect(productTokensPolicy.create(env, { environmentId: env.scope.environmentId })).toBe(true);
    expect(allowed(productTokensPolicy.create(caller('sales-agent'), token))).toBe(false);
  });

  it('lets a product read only its own tokens and never generate', () => {
    const self = caller('product', { id: 'p-1' });
    expect(productTokensPolicy.index(self, { id: 'p-1' })).toBe(true);
    expect(productTokensPolicy.show(self, { id: 'p-1' }, token)).toBe(true);
    expect(
      allowed(productTokensPolicy.show(self, { id: 'p-1' }, { ...token, bearerType: 'users' })),
    ).toBe(false);
    expect(productTokensPolicy.create(self, token)).toEqual({
      reason: 'product lacks permission to perform action',
    });
  });

  it('is strict about the environment of a new token', () => {
    const inEnv = caller('admin', {
      scope: { accountId: 'acct', environmentId: 'env', shared: true },
    });
    expect(productTokensPolicy.create(inEnv, { environmentId: null })).toEqual({
      reason: 'record environment is not compatible with the current environment',
    });
    expect(productTokensPolicy.create(inEnv, { environmentId: 'env' })).toBe(true);
  });
});
