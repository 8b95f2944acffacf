import type { Bearer } from '@app/common/auth/bearer';
import { ALLOWED_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import type { Caller } from '@app/modules/tokens/token.policy';
import { licensePolicy, related, type LicenseFacts } from '../license.policy';

const GLOBAL: AccountScope = { accountId: 'a', environmentId: null, shared: false };
const ISOLATED: AccountScope = { accountId: 'a', environmentId: 'e1', shared: false };

function caller(
  role: Role,
  id = 'b1',
  scope = GLOBAL,
  environmentId: string | null = null,
): Caller {
  const bearer: Bearer = {
    type: role === 'product' ? 'products' : role === 'license' ? 'licenses' : 'users',
    id,
    role,
    permissions: [...ALLOWED_PERMISSIONS[role]],
    environmentId,
    record: {},
  };
  return { bearer, tokenPermissions: null, tokenEnvironmentId: null, scope };
}

const facts = (over: Partial<LicenseFacts> = {}): LicenseFacts => ({
  id: 'l1',
  environmentId: null,
  productId: 'p1',
  ownerId: 'u1',
  protected: false,
  policyProtected: false,
  bearerIsLicensee: false,
  ...over,
});

const detail = (d: unknown) => (d === true ? true : (d as { reason: string }).reason);

describe('license relationship rules', () => {
  describe('changePolicy', () => {
    const next = { productId: 'p1', protected: false, environmentId: null };

    it('lets a product move its license only to its own, existing policy', () => {
      const p = caller('product', 'p1');
      expect(licensePolicy.changePolicy(p, facts(), next, related.one(next))).toBe(true);
      expect(
        detail(
          licensePolicy.changePolicy(p, facts(), { ...next, productId: 'p2' }, related.one(next)),
        ),
      ).not.toBe(true);
      expect(detail(licensePolicy.changePolicy(p, facts(), null, related.one(null)))).not.toBe(
        true,
      );
    });

    it('lets the owner move an unprotected license to an unprotected (or unknown) policy', () => {
      const u = caller('user', 'u1');
      expect(licensePolicy.changePolicy(u, facts(), next, related.one(next))).toBe(true);
      expect(licensePolicy.changePolicy(u, facts(), null, related.one(null))).toBe(true);
      expect(licensePolicy.changePolicy(u, facts({ protected: true }), next)).not.toBe(true);
      expect(licensePolicy.changePolicy(u, facts(), { ...next, protected: true })).not.toBe(true);
      expect(
        licensePolicy.changePolicy(caller('user', 'u2'), facts({ bearerIsLicensee: true }), next),
      ).not.toBe(true);
    });
  });

  describe('related-record environments', () => {
    const env = caller('admin', 'b1', ISOLATED, 'e1');

    it('refuses a missing record only for writes inside an environment', () => {
      expect(
        detail(licensePolicy.changeGroup(env, facts({ environmentId: 'e1' }), related.one(null))),
      ).toBe('record is not compatible with the current environment');
      expect(licensePolicy.changeGroup(caller('admin'), facts(), related.one(null))).toBe(true);
      expect(
        licensePolicy.readRelated(
          env,
          facts({ environmentId: 'e1' }),
          'group.read',
          related.one(null),
        ),
      ).toBe(true);
    });

    it('checks the related record, not the license', () => {
      expect(
        detail(
          licensePolicy.changeGroup(
            env,
            facts({ environmentId: 'e1' }),
            related.one({ environmentId: null }),
          ),
        ),
      ).toBe('record environment is not compatible with the current environment');
    });

    it('checks attach lists strictly only for a global license', () => {
      const global = caller('admin');
      expect(
        detail(
          licensePolicy.attachUsers(
            global,
            facts(),
            'license.users.attach',
            related.many([{ environmentId: 'e1' }]),
          ),
        ),
      ).toBe("a record's environment is not compatible with the current environment");
      expect(
        licensePolicy.attachUsers(global, facts(), 'license.users.attach', related.many([])),
      ).toBe(true);
      expect(
        detail(
          licensePolicy.attachEntitlements(
            env,
            facts({ environmentId: 'e1' }),
            'license.entitlements.attach',
            related.many([]),
          ),
        ),
      ).toBe(true);
    });
  });

  describe('role grants (truth table)', () => {
    const roles: Array<[string, Caller]> = [
      ['admin', caller('admin')],
      ['support', caller('support-agent')],
      ['read-only', caller('read-only')],
      ['own product', caller('product', 'p1')],
      ['owner', caller('user', 'u1')],
      ['licensee', caller('user', 'u2')],
      ['license', caller('license', 'l1')],
    ];
    const table = (rule: (c: Caller, l: LicenseFacts) => unknown) =>
      Object.fromEntries(
        roles.map(([name, c]) => [
          name,
          rule(c, facts({ bearerIsLicensee: c.bearer.id === 'u2' })) === true,
        ]),
      );

    it('readTokens / generateToken', () => {
      expect(table((c, l) => licensePolicy.readTokens(c, l))).toEqual({
        admin: true,
        support: true,
        'read-only': true,
        'own product': true,
        owner: false,
        licensee: false,
        license: false,
      });
      expect(table((c, l) => licensePolicy.generateToken(c, l))).toEqual({
        admin: true,
        support: false,
        'read-only': false,
        'own product': true,
        owner: false,
        licensee: false,
        license: false,
      });
    });

    it('attachUsers: read-only passes the role rule but lacks the permission', () => {
      expect(table((c, l) => licensePolicy.attachUsers(c, l, 'license.users.attach'))).toEqual({
        admin: true,
        support: true,
        'read-only': false,
        'own product': true,
        owner: true,
        licensee: false,
        license: false,
      });
    });

    it('readLegacyUser: the owner among users', () => {
      expect(table((c, l) => licensePolicy.readLegacyUser(c, l))).toEqual({
        admin: true,
        support: true,
        'read-only': true,
        'own product': true,
        owner: true,
        licensee: false,
        license: true,
      });
    });
  });
});
