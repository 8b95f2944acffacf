import type { Bearer } from '@app/common/auth/bearer';
import { ALLOWED_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import type { Caller } from '@app/modules/tokens/token.policy';
import { logPolicy } from './log.policy';

const ENV = '2f6a2c1e-8a34-4c55-9a4f-0d8b3c1e2f10';

function caller(
  role: Role,
  opts: { env?: string | null; shared?: boolean; token?: string[] } = {},
): Caller {
  const type =
    role === 'product'
      ? 'products'
      : role === 'license'
        ? 'licenses'
        : role === 'environment'
          ? 'environments'
          : 'users';
  const bearer: Bearer = {
    type,
    id: role === 'environment' ? ENV : '00000000-0000-4000-8000-000000000001',
    role,
    permissions: ['*'],
    environmentId: role === 'environment' ? ENV : null,
    record: {},
  };
  const env = opts.env === undefined ? (role === 'environment' ? ENV : null) : opts.env;
  return {
    bearer,
    tokenPermissions: opts.token ? new Set(opts.token) : null,
    tokenEnvironmentId: role === 'environment' ? ENV : null,
    scope: { accountId: 'a', environmentId: env, shared: opts.shared ?? false },
  };
}

describe('logPolicy truth table (spec 06 §1.1, §2.1)', () => {
  it.each([
    ['admin', true, true],
    ['developer', true, true],
    ['read-only', true, true],
    ['environment', true, true],
    ['sales-agent', true, false],
    ['support-agent', true, false],
    ['product', false, false],
    ['user', false, false],
    ['license', false, false],
  ] as const)('%s: visible %s, may read %s', (role, visible, allowed) => {
    const c = caller(role);
    expect(logPolicy.visible(c.bearer)).toBe(visible);
    for (const permission of ['request-log.read', 'event-log.read'] as const) {
      expect(logPolicy.index(c, permission) === true).toBe(allowed);
      expect(logPolicy.show(c, permission, { environmentId: c.scope.environmentId }) === true).toBe(
        allowed,
      );
    }
  });

  it('names the missing permission before the role rule', () => {
    expect(logPolicy.index(caller('product'), 'request-log.read')).toEqual({
      reason: 'product lacks permission to perform action',
    });
    expect(logPolicy.index(caller('admin', { token: ['license.read'] }), 'event-log.read')).toEqual(
      {
        reason: 'token lacks permission to perform action',
      },
    );
    expect(logPolicy.index(caller('sales-agent'), 'request-log.read')).toEqual({
      reason: 'ensure the token or license is allowed to access all resources',
    });
  });

  it('roles that hold the permissions are exactly the allowed sets', () => {
    expect(ALLOWED_PERMISSIONS.product).not.toContain('request-log.read');
    expect(ALLOWED_PERMISSIONS.environment).toContain('event-log.read');
  });

  it('reads global logs from a shared environment, not from an isolated one', () => {
    const shared = caller('environment', { shared: true });
    expect(logPolicy.show(shared, 'request-log.read', { environmentId: null })).toBe(true);
    const isolated = caller('environment');
    expect(logPolicy.show(isolated, 'request-log.read', { environmentId: null })).not.toBe(true);
  });
});
