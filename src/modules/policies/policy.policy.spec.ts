import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import type { Caller } from '@app/modules/tokens/token.policy';
import { policyEntitlementsPolicy, policyPolicy, type PolicyFacts } from './policy.policy';

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

function caller(role: Role, opts: { permissions?: string[]; scope?: AccountScope } = {}): Caller {
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
    permissions: opts.permissions ?? [...DEFAULT_PERMISSIONS[role]],
    environmentId: null,
    record: null,
  };
  return {
    bearer,
    tokenPermissions: null,
    tokenEnvironmentId: null,
    scope: opts.scope ?? { accountId: 'acct', environmentId: envId, shared: false },
  };
}

const facts = (c: Caller, productId = 'other-product'): PolicyFacts => ({
  id: 'pol-1',
  environmentId: c.scope.environmentId,
  productId,
});
const ok = (d: true | { reason: string }): boolean => d === true;

describe('policyPolicy truth tables (default permissions)', () => {
  it.each([
    ['index', [true, true, true, true, true, true, true, false, false]],
    ['show', [true, true, true, true, true, true, false, false, false]],
    ['create', [true, true, true, false, false, true, false, false, false]],
    ['update', [true, true, true, false, false, true, false, false, false]],
    ['destroy', [true, true, false, false, false, true, false, false, false]],
  ] as const)('%s on another product’s policy', (action, expected) => {
    const results = ROLES.map((role) => {
      const c = caller(role);
      const p = facts(c);
      switch (action) {
        case 'index':
          return ok(policyPolicy.index(c, role === 'product' ? [] : [p], []));
        case 'show':
          return ok(policyPolicy.show(c, p, []));
        default:
          return ok(policyPolicy[action](c, p));
      }
    });
    expect(results).toEqual(expected);
  });

  it('lets a product manage its own policies, but not create for another product', () => {
    const c = caller('product');
    const own = facts(c, 'product-1');
    expect(policyPolicy.show(c, own, [])).toBe(true);
    expect(policyPolicy.create(c, own)).toBe(true);
    expect(policyPolicy.update(c, own)).toBe(true);
    expect(policyPolicy.destroy(c, own)).toBe(true);
    expect(ok(policyPolicy.create(c, facts(c)))).toBe(false);
    expect(ok(policyPolicy.index(c, [own, facts(c)], []))).toBe(false);
  });

  it('lets users and licenses granted policy.read see their licenses’ policies', () => {
    const user = caller('user', { permissions: ['policy.read'] });
    expect(policyPolicy.show(user, facts(user), ['pol-1'])).toBe(true);
    expect(policyPolicy.index(user, [], [])).toBe(true);
    const license = caller('license', { permissions: ['policy.read'] });
    expect(policyPolicy.index(license, [facts(license)], ['pol-1'])).toBe(true);
    // compat: a license's page must be exactly its policy.
    expect(ok(policyPolicy.index(license, [], ['pol-1']))).toBe(false);
  });

  it('scopes bearers', () => {
    expect(policyPolicy.scope(caller('support-agent').bearer, [])).toEqual({ kind: 'all' });
    expect(policyPolicy.scope(caller('product').bearer, [])).toEqual({
      kind: 'product',
      productId: 'product-1',
    });
    expect(policyPolicy.scope(caller('user').bearer, ['x'])).toEqual({ kind: 'ids', ids: ['x'] });
  });
});

describe('policyEntitlementsPolicy', () => {
  const shared: AccountScope = { accountId: 'acct', environmentId: 'env-s', shared: true };

  it('is strict for a global policy and lax for an environment one', () => {
    const admin = caller('admin', { scope: shared });
    const globalPolicy = { id: 'p', environmentId: null, productId: 'x' };
    const sharedPolicy = { id: 'p', environmentId: 'env-s', productId: 'x' };
    expect(policyEntitlementsPolicy.attach(admin, globalPolicy, [{ environmentId: 'env-s' }])).toBe(
      true,
    );
    expect(policyEntitlementsPolicy.attach(admin, globalPolicy, [{ environmentId: null }])).toEqual(
      {
        reason: "a record's environment is not compatible with the current environment",
      },
    );
    expect(policyEntitlementsPolicy.attach(admin, sharedPolicy, [{ environmentId: null }])).toBe(
      true,
    );
    expect(policyEntitlementsPolicy.detach(admin, globalPolicy, [])).toEqual({
      reason: 'records are not compatible with the current environment',
    });
  });

  it('lets admin, developer, sales agent, environment and the owning product attach', () => {
    const results = ROLES.map((role) => {
      const c = caller(role);
      return ok(
        policyEntitlementsPolicy.attach(
          c,
          { id: 'p', environmentId: c.scope.environmentId, productId: 'product-1' },
          [],
        ),
      );
    });
    expect(results).toEqual([true, true, true, false, false, true, true, false, false]);
  });
});
