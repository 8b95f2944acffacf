import type { Bearer } from '@app/common/auth/bearer';
import { ALLOWED_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import {
  TOKEN_DURATION_MS,
  bearerFitsTokenEnvironment,
  defaultExpiry,
  displayedPermissions,
  hasUnsupportedPermissions,
  permissionsWithinBearer,
  recordFitsEnvironment,
  regeneratedExpiry,
  tokenBytes,
  tokenKind,
  tokenPrefix,
} from './token-rules';

const b = (
  role: Role,
  permissions: string[] = ['*'],
  environmentId: string | null = null,
  type: Bearer['type'] = 'users',
): Bearer => ({
  type,
  id: 'b1',
  role,
  permissions,
  environmentId,
  record: {},
});
const NOW = new Date('2024-06-04T16:18:36.789Z');

describe('token rules', () => {
  it('defaults only user-role tokens to a 14 day expiry', () => {
    expect(defaultExpiry('user', NOW)).toEqual(new Date(NOW.getTime() + 14 * 24 * 3600 * 1000));
    for (const role of ['admin', 'developer', 'environment', 'product', 'license'] as Role[]) {
      expect(defaultExpiry(role, NOW)).toBeNull();
    }
    expect(defaultExpiry(null, NOW)).toBeNull();
  });

  it('moves a set expiry on regenerate and keeps a null one', () => {
    expect(regeneratedExpiry(null, NOW)).toBeNull();
    expect(regeneratedExpiry(new Date(0), NOW)).toEqual(
      new Date(NOW.getTime() + TOKEN_DURATION_MS),
    );
  });

  it.each([
    ['admin', 'admin-token', 'admin', 32],
    ['developer', 'developer-token', 'dev', 32],
    ['sales-agent', 'sales-token', 'sales', 32],
    ['support-agent', 'support-token', 'spprt', 32],
    ['read-only', 'read-only-token', 'read', 32],
    ['user', 'user-token', 'user', 32],
    ['environment', 'environment-token', 'env', 32],
    ['product', 'product-token', 'prod', 32],
    ['license', 'activation-token', 'activ', 16],
  ] as const)('%s bearers: kind %s, prefix %s, %i bytes', (role, kind, prefix, bytes) => {
    expect(tokenKind(b(role))).toBe(kind);
    expect(tokenPrefix(b(role))).toBe(prefix);
    expect(tokenBytes(b(role))).toBe(bytes);
  });

  it('calls a token without a bearer orphaned, and keeps the stored kind when the bearer is not loaded', () => {
    expect(tokenKind(null)).toBe('orphaned-token');
    expect(tokenPrefix(null)).toBe('token');
    expect(tokenKind(undefined, 'user-token')).toBe('user-token');
  });

  describe('displayed permissions (spec 01 §2.4.4)', () => {
    it('shows the bearer set for a wildcard token', () => {
      expect(displayedPermissions(['*'], b('user', ['user.read', 'license.read']))).toEqual([
        'license.read',
        'user.read',
      ]);
      expect(displayedPermissions(['*'], b('user', ['*']))).toEqual(['*']);
    });
    it("shows the token's own set for a wildcard bearer", () => {
      expect(displayedPermissions(['machine.read', 'license.read'], b('user'))).toEqual([
        'license.read',
        'machine.read',
      ]);
    });
    it('shows the intersection otherwise', () => {
      expect(
        displayedPermissions(['machine.read', 'license.read'], b('user', ['license.read'])),
      ).toEqual(['license.read']);
    });
  });

  it('flags unknown and duplicate permissions', () => {
    expect(hasUnsupportedPermissions([])).toBe(false);
    expect(hasUnsupportedPermissions(['*', 'license.read'])).toBe(false);
    expect(hasUnsupportedPermissions(['license.nope'])).toBe(true);
    expect(hasUnsupportedPermissions(['license.read', 'license.read'])).toBe(true);
  });

  it('keeps token permissions within the bearer (its role set when it holds *)', () => {
    expect(permissionsWithinBearer(['*'], b('user', ['license.read']))).toBe(true);
    expect(permissionsWithinBearer(['license.read'], b('user', ['license.read']))).toBe(true);
    expect(permissionsWithinBearer(['license.create'], b('user', ['license.read']))).toBe(false);
    expect(permissionsWithinBearer([...ALLOWED_PERMISSIONS.user], b('user'))).toBe(true);
    expect(permissionsWithinBearer(['admin.create'], b('user'))).toBe(false);
    expect(
      permissionsWithinBearer(
        ['environment.create'],
        b('environment', ALLOWED_PERMISSIONS.environment.slice(), 'e1', 'environments'),
      ),
    ).toBe(false);
  });

  describe('token environment vs bearer', () => {
    const env = (id: string | null, strategy: 'ISOLATED' | 'SHARED' | null = 'ISOLATED') => ({
      environmentId: id,
      isolationStrategy: id ? strategy : null,
    });
    it.each([
      ['global token, global bearer', env(null), b('user'), true],
      ['global token, bearer in an environment', env(null), b('user', ['*'], 'e1'), false],
      ['isolated token, bearer there', env('e1'), b('user', ['*'], 'e1'), true],
      ['isolated token, global user', env('e1'), b('user'), false],
      ['isolated token, global admin', env('e1'), b('admin'), true],
      [
        'isolated token, the environment itself',
        env('e1'),
        { ...b('environment', ['*'], 'e1', 'environments'), id: 'e1' },
        true,
      ],
      ['shared token, global user', env('e1', 'SHARED'), b('user'), true],
      [
        'shared token, user of another environment',
        env('e1', 'SHARED'),
        b('user', ['*'], 'e2'),
        false,
      ],
    ])('%s → %s', (_label, token, bearer, expected) => {
      expect(bearerFitsTokenEnvironment(token, bearer)).toBe(expected);
    });
  });

  describe('record environment (verify_environment!)', () => {
    const global: AccountScope = { accountId: 'a', environmentId: null, shared: false };
    const isolated: AccountScope = { accountId: 'a', environmentId: 'e1', shared: false };
    const shared: AccountScope = { accountId: 'a', environmentId: 'e1', shared: true };
    it.each([
      [global, null, true, true],
      [global, 'e1', true, false],
      [global, 'e1', false, true],
      [isolated, 'e1', true, true],
      [isolated, null, false, false],
      [shared, null, false, true],
      [shared, null, true, false],
      [shared, 'e2', false, false],
    ])('%j record %s strict %s → %s', (scope, recordEnv, strict, expected) => {
      expect(recordFitsEnvironment(scope, recordEnv, strict)).toBe(expected);
    });
  });
});
