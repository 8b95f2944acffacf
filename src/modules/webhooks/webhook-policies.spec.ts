import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { Caller } from '@app/modules/tokens/token.policy';
import { webhookEndpointPolicy } from './webhook-endpoint.policy';
import { webhookEventPolicy } from './webhook-event.policy';

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

const allowed = (d: unknown): boolean => d === true;

describe('webhookEndpointPolicy truth tables (default permissions)', () => {
  const record = (role: Role, own = false) => ({
    environmentId: caller(role).scope.environmentId,
    productId: own ? 'product-1' : null,
  });

  it.each([
    ['show', [true, true, false, false, true, true, false, false, false]],
    ['create', [true, true, false, false, false, true, false, false, false]],
    ['update', [true, true, false, false, false, true, false, false, false]],
    ['destroy', [true, true, false, false, false, true, false, false, false]],
  ] as const)('%s (not bound to the bearer)', (action, expected) => {
    expect(ROLES.map((r) => allowed(webhookEndpointPolicy[action](caller(r), record(r))))).toEqual(
      expected,
    );
  });

  it('lets a product create, show and change only endpoints bound to it', () => {
    const p = caller('product');
    for (const action of ['show', 'create', 'update', 'destroy'] as const) {
      expect(allowed(webhookEndpointPolicy[action](p, record('product', true)))).toBe(true);
      expect(
        allowed(webhookEndpointPolicy[action](p, { environmentId: null, productId: 'other' })),
      ).toBe(false);
    }
  });

  it('lists to readers and, for products, only their own endpoints', () => {
    expect(ROLES.map((r) => allowed(webhookEndpointPolicy.index(caller(r), [])))).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(
      allowed(
        webhookEndpointPolicy.index(caller('product'), [{ environmentId: null, productId: null }]),
      ),
    ).toBe(false);
  });

  it('scopes products, users and licenses to nothing', () => {
    expect(ROLES.map((r) => webhookEndpointPolicy.scope(caller(r).bearer).kind)).toEqual([
      'all',
      'all',
      'all',
      'all',
      'all',
      'all',
      'none',
      'none',
      'none',
    ]);
  });

  it('names the missing permission', () => {
    expect(webhookEndpointPolicy.create(caller('read-only'), record('read-only'))).toEqual({
      reason: 'read only lacks permission to perform action',
    });
    expect(webhookEndpointPolicy.create(caller('sales-agent'), record('sales-agent'))).toEqual({
      reason: 'ensure the token or license is allowed to access all resources',
    });
  });
});

describe('webhookEventPolicy truth tables (default permissions)', () => {
  const record = (role: Role, productId: string | null = null) => ({
    environmentId: caller(role).scope.environmentId,
    productId,
  });

  it.each([
    ['show', [true, true, false, false, true, true, false, false, false]],
    ['destroy', [true, true, false, false, false, true, false, false, false]],
    ['retry', [true, true, false, false, false, true, false, false, false]],
  ] as const)('%s', (action, expected) => {
    expect(ROLES.map((r) => allowed(webhookEventPolicy[action](caller(r), record(r))))).toEqual(
      expected,
    );
  });

  it("lets a product read its endpoints' events but never delete or retry them", () => {
    const p = caller('product');
    const own = record('product', 'product-1');
    expect(allowed(webhookEventPolicy.show(p, own))).toBe(true);
    expect(allowed(webhookEventPolicy.show(p, record('product', 'other')))).toBe(false);
    expect(webhookEventPolicy.destroy(p, own)).toEqual({
      reason: 'product lacks permission to perform action',
    });
    expect(webhookEventPolicy.retry(p, own)).toEqual({
      reason: 'product lacks permission to perform action',
    });
  });

  it('scopes a product to its own endpoints', () => {
    expect(webhookEventPolicy.scope(caller('product').bearer)).toEqual({
      kind: 'product',
      productId: 'product-1',
    });
    expect(webhookEventPolicy.scope(caller('user').bearer)).toEqual({ kind: 'none' });
  });
});
