import type { Bearer } from '@app/common/auth/bearer';
import { ALLOWED_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import type { Caller } from '@app/modules/tokens/token.policy';
import { nestedReadsPolicy, type NestedLicense } from './nested-reads.policy';

const GLOBAL: AccountScope = { accountId: 'a', environmentId: null, shared: false };
const ISOLATED: AccountScope = { accountId: 'a', environmentId: 'e1', shared: false };

function caller(role: Role, id = 'b1', scope = GLOBAL, permissions?: string[]): Caller {
  const bearer: Bearer = {
    type:
      role === 'product'
        ? 'products'
        : role === 'license'
          ? 'licenses'
          : role === 'environment'
            ? 'environments'
            : 'users',
    id,
    role,
    permissions: permissions ?? [...ALLOWED_PERMISSIONS[role]],
    environmentId: role === 'environment' ? scope.environmentId : null,
    record: {},
  };
  return { bearer, tokenPermissions: null, tokenEnvironmentId: null, scope };
}

const allowed = (d: unknown): boolean => d === true;
const STAFF: Role[] = ['admin', 'developer', 'sales-agent', 'support-agent', 'read-only'];
const license = (over: Partial<NestedLicense> = {}): NestedLicense => ({
  environmentId: null,
  productId: 'p1',
  groupId: 'g1',
  ...over,
});

describe('nested read rules', () => {
  describe('userLicenses', () => {
    const user = { id: 'u1', role: 'user' };
    const rule = (c: Caller, l: NestedLicense | null = null) =>
      allowed(nestedReadsPolicy.userLicenses(c, user, l, c.scope.environmentId));

    it.each(STAFF)('allows %s', (role) => expect(rule(caller(role))).toBe(true));

    it('allows an environment in its environment', () => {
      expect(rule(caller('environment', 'e1', ISOLATED))).toBe(true);
    });

    it('allows a product its own licenses of a user-role user only', () => {
      expect(rule(caller('product', 'p1'))).toBe(true);
      expect(rule(caller('product', 'p1'), license())).toBe(true);
      expect(rule(caller('product', 'p2'), license())).toBe(false);
      expect(
        allowed(
          nestedReadsPolicy.userLicenses(
            caller('product', 'p1'),
            { id: 'u1', role: 'admin' },
            null,
            null,
          ),
        ),
      ).toBe(false);
    });

    it('allows the user itself, not other users or licenses', () => {
      expect(rule(caller('user', 'u1'))).toBe(true);
      expect(rule(caller('user', 'u2'))).toBe(false);
      expect(rule(caller('license', 'l1'))).toBe(false);
    });

    it('checks license.read first', () => {
      expect(rule(caller('user', 'u1', GLOBAL, ['user.read']))).toBe(false);
    });
  });

  describe('userProducts', () => {
    const user = { id: 'u1', role: 'user' };
    const rule = (c: Caller, productId: string | null = null) =>
      allowed(nestedReadsPolicy.userProducts(c, user, productId, null));

    it.each(STAFF)('allows %s', (role) => expect(rule(caller(role))).toBe(true));

    it('allows a product itself only', () => {
      expect(rule(caller('product', 'p1'))).toBe(true);
      expect(rule(caller('product', 'p1'), 'p1')).toBe(true);
      expect(rule(caller('product', 'p1'), 'p2')).toBe(false);
    });

    it('allows the user itself with product.read', () => {
      expect(rule(caller('user', 'u1'))).toBe(true);
      expect(rule(caller('user', 'u2'))).toBe(false);
      expect(rule(caller('user', 'u1', GLOBAL, ['license.read']))).toBe(false);
    });
  });

  describe('groupLicenses', () => {
    const rule = (c: Caller, owns: string[], ls: NestedLicense[]) =>
      allowed(nestedReadsPolicy.groupLicenses(c, owns, ls, null));

    it.each(STAFF)('allows %s', (role) => expect(rule(caller(role), [], [license()])).toBe(true));

    it('allows a product its own licenses', () => {
      expect(rule(caller('product', 'p1'), [], [license()])).toBe(true);
      expect(rule(caller('product', 'p2'), [], [license()])).toBe(false);
    });

    it('allows owners, not mere members, and never licenses', () => {
      expect(rule(caller('user', 'u1'), ['g1'], [license()])).toBe(true);
      expect(rule(caller('user', 'u1'), ['g2'], [license()])).toBe(false);
      expect(rule(caller('user', 'u1'), ['g2'], [])).toBe(true);
      expect(rule(caller('user', 'u1'), [], [])).toBe(false);
      expect(rule(caller('license', 'l1'), [], [license()])).toBe(false);
    });

    it('scopes owners to the group, members and licenses to nothing', () => {
      const none = { kind: 'self', licenseId: '00000000-0000-0000-0000-000000000000' };
      expect(nestedReadsPolicy.groupLicensesAccess(caller('user', 'u1').bearer, true)).toEqual({
        kind: 'all',
      });
      expect(nestedReadsPolicy.groupLicensesAccess(caller('user', 'u1').bearer, false)).toEqual(
        none,
      );
      expect(nestedReadsPolicy.groupLicensesAccess(caller('license', 'l1').bearer, true)).toEqual(
        none,
      );
      expect(nestedReadsPolicy.groupLicensesAccess(caller('product', 'p1').bearer, false)).toEqual({
        kind: 'product',
        productId: 'p1',
      });
    });
  });

  describe('productUsers', () => {
    const rule = (c: Caller) => allowed(nestedReadsPolicy.productUsers(c, 'p1', null));

    it.each(STAFF)('allows %s', (role) => expect(rule(caller(role))).toBe(true));

    it('allows the product itself only; never users or licenses', () => {
      expect(rule(caller('product', 'p1'))).toBe(true);
      expect(rule(caller('product', 'p2'))).toBe(false);
      expect(rule(caller('user', 'u1'))).toBe(false);
      expect(rule(caller('license', 'l1'))).toBe(false);
    });
  });
});
