import type { Bearer } from '@app/common/auth/bearer';
import type { Role } from '@app/common/auth/roles';
import type { Caller } from '@app/modules/tokens/token.policy';
import type { LicenseFacts } from '../license.policy';
import { licenseFilePermissions, licenseFilePolicy } from './license-file.policy';

const LICENSE = '11111111-1111-4111-8111-111111111111';
const PRODUCT = '22222222-2222-4222-8222-222222222222';
const OWNER = '33333333-3333-4333-8333-333333333333';
const OTHER = '44444444-4444-4444-8444-444444444444';

const caller = (role: Role, id: string, permissions: string[] = ['*']): Caller => ({
  bearer: {
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
    permissions,
    environmentId: role === 'environment' ? id : null,
    bannedAt: null,
    record: {},
  } as Bearer,
  tokenPermissions: null,
  tokenEnvironmentId: null,
  // An environment bearer works inside its own environment.
  scope: { accountId: 'a', environmentId: role === 'environment' ? id : null, shared: false },
});

const facts = (over: Partial<LicenseFacts> = {}): LicenseFacts => ({
  id: LICENSE,
  environmentId: null,
  productId: PRODUCT,
  ownerId: OWNER,
  protected: true,
  policyProtected: true,
  bearerIsLicensee: false,
  ...over,
});

describe('licenseFilePolicy.show', () => {
  it.each([
    ['admin', OTHER, {}, true],
    ['read-only', OTHER, {}, true],
    ['environment', OTHER, { environmentId: OTHER }, true],
    ['product', PRODUCT, {}, true],
    ['product', OTHER, {}, false],
    ['user', OWNER, {}, true],
    ['user', OTHER, { bearerIsLicensee: true }, true],
    ['user', OTHER, {}, false],
    ['license', LICENSE, {}, true],
    ['license', OTHER, {}, false],
  ] as const)(
    '%s %s %j → %s (protection is the check-out rule’s business)',
    (role, id, over, allowed) => {
      expect(licenseFilePolicy.show(caller(role, id), facts(over), []) === true).toBe(allowed);
    },
  );

  it('needs license.read plus the read permission of each include', () => {
    expect(licenseFilePermissions(['owner', 'users', 'policy'])).toEqual([
      'license.read',
      'user.read',
      'policy.read',
    ]);
    const c = caller('license', LICENSE, ['license.read', 'license.check-out', 'entitlement.read']);
    expect(licenseFilePolicy.show(c, facts(), ['entitlements'])).toBe(true);
    expect(licenseFilePolicy.show(c, facts(), ['product'])).toEqual({
      reason: 'license lacks permission to perform action',
    });
  });
});
