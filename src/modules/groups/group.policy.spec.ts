import { NO_REASON, type Decision } from '@app/common/auth/policy';
import type { Bearer } from '@app/common/auth/bearer';
import { ALLOWED_PERMISSIONS, DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import {
  groupOwnerPolicy,
  groupPolicy,
  groupUserPolicy,
  userGroupPolicy,
  type GroupPolicyFacts,
} from './group.policy';

const ENV = '00000000-0000-4000-8000-00000000000e';
const GROUP = { id: '00000000-0000-4000-8000-00000000000a', environmentId: null };
const OTHER = { id: '00000000-0000-4000-8000-00000000000b', environmentId: null };

function facts(
  role: Role,
  over: Partial<GroupPolicyFacts> = {},
  b: Partial<Bearer> = {},
): GroupPolicyFacts {
  const type =
    role === 'product'
      ? 'products'
      : role === 'environment'
        ? 'environments'
        : role === 'license'
          ? 'licenses'
          : 'users';
  return {
    bearer: {
      type,
      id: '00000000-0000-4000-8000-000000000001',
      role,
      permissions: [...DEFAULT_PERMISSIONS[role]],
      environmentId: role === 'environment' ? ENV : null,
      record: {},
      ...b,
    },
    token: null,
    environment: role === 'environment' ? { id: ENV, isolationStrategy: 'ISOLATED' } : null,
    memberOf: null,
    owns: [],
    ...over,
  };
}

const allowed = (d: Decision): boolean => d === true;
const reason = (d: Decision): string | null => (d === true ? null : d.reason);

describe('groupPolicy', () => {
  const ROLES: Role[] = [
    'admin',
    'developer',
    'sales-agent',
    'support-agent',
    'read-only',
    'product',
    'user',
    'license',
  ];

  it.each([
    ['admin', true, true],
    ['developer', true, true],
    ['sales-agent', true, false],
    ['support-agent', true, false],
    ['read-only', true, false],
    ['product', true, true],
    ['user', false, false],
    ['license', false, false],
  ] as const)('%s: reads any group %s, manages groups %s', (role, reads, manages) => {
    const f = facts(role, {}, { permissions: [...ALLOWED_PERMISSIONS[role]] });
    expect(allowed(groupPolicy.show(f, GROUP))).toBe(reads);
    for (const action of ['create', 'update', 'destroy'] as const) {
      expect(allowed(groupPolicy[action](f, GROUP))).toBe(manages);
    }
  });

  it('lets an environment manage groups of its environment only', () => {
    const f = facts('environment');
    const own = { id: GROUP.id, environmentId: ENV };
    expect(groupPolicy.update(f, own)).toBe(true);
    expect(reason(groupPolicy.update(f, GROUP))).toBe(
      'record environment is not compatible with the current environment',
    );
  });

  it('lets users read the groups they belong to or own, licenses their group', () => {
    expect(groupPolicy.show(facts('user', { memberOf: GROUP.id }), GROUP)).toBe(true);
    expect(groupPolicy.show(facts('user', { owns: [GROUP.id] }), GROUP)).toBe(true);
    expect(reason(groupPolicy.show(facts('user', { memberOf: OTHER.id }), GROUP))).toBe(NO_REASON);
    expect(groupPolicy.show(facts('license', { memberOf: GROUP.id }), GROUP)).toBe(true);
    expect(groupPolicy.index(facts('user', { memberOf: GROUP.id }), [GROUP, OTHER])).not.toBe(true);
    expect(
      groupPolicy.index(facts('user', { memberOf: GROUP.id, owns: [OTHER.id] }), [GROUP, OTHER]),
    ).toBe(true);
  });

  it('scopes users and licenses to their groups, everyone else to all', () => {
    for (const role of ROLES.filter((r) => r !== 'user' && r !== 'license')) {
      expect(groupPolicy.scope(facts(role))).toEqual({ kind: 'all' });
    }
    expect(groupPolicy.scope(facts('user', { memberOf: GROUP.id, owns: [OTHER.id] }))).toEqual({
      kind: 'ids',
      ids: [GROUP.id, OTHER.id],
    });
    expect(groupPolicy.scope(facts('license'))).toEqual({ kind: 'ids', ids: [] });
  });

  it('checks permissions first, then the token', () => {
    expect(
      reason(groupPolicy.create(facts('admin', {}, { permissions: ['group.read'] }), GROUP)),
    ).toBe('admin lacks permission to perform action');
    const token = { permissions: new Set(['group.read']), environmentId: null };
    expect(reason(groupPolicy.create(facts('admin', { token }), GROUP))).toBe(
      'token lacks permission to perform action',
    );
  });
});

describe('groupOwnerPolicy', () => {
  it('lets members and owners read owners; only managers attach', () => {
    const member = facts('user', { memberOf: GROUP.id });
    expect(groupOwnerPolicy.index(member, GROUP, [])).toBe(true);
    expect(groupOwnerPolicy.attach(facts('admin'), GROUP, [{ environmentId: null }])).toBe(true);
    expect(
      reason(groupOwnerPolicy.attach(facts('sales-agent'), GROUP, [{ environmentId: null }])),
    ).toBe(NO_REASON);
  });

  it('is strict on global groups and lenient on shared ones', () => {
    const shared = facts('environment', { environment: { id: ENV, isolationStrategy: 'SHARED' } });
    const globalUser = { environmentId: null };
    expect(reason(groupOwnerPolicy.attach(shared, GROUP, [globalUser]))).toBe(
      "a record's environment is not compatible with the current environment",
    );
    expect(
      groupOwnerPolicy.attach(shared, { id: GROUP.id, environmentId: ENV }, [globalUser]),
    ).toBe(true);
    expect(reason(groupOwnerPolicy.attach(shared, GROUP, []))).toBe(
      'records are not compatible with the current environment',
    );
  });
});

describe('groupUserPolicy', () => {
  const member = { id: 'u', role: 'user' as const, groupId: GROUP.id, environmentId: null };

  it('lets owners read members, not mere members', () => {
    expect(groupUserPolicy.index(facts('user', { owns: [GROUP.id] }), GROUP, [member])).toBe(true);
    expect(reason(groupUserPolicy.index(facts('user', { memberOf: GROUP.id }), GROUP, []))).toBe(
      NO_REASON,
    );
    expect(groupUserPolicy.scope(facts('user', { owns: [GROUP.id] }), GROUP)).toEqual({
      kind: 'all',
    });
    expect(groupUserPolicy.scope(facts('user', { owns: [OTHER.id] }), GROUP)).toEqual({
      kind: 'none',
    });
  });
});

describe('userGroupPolicy', () => {
  const user = {
    id: '00000000-0000-4000-8000-000000000001',
    role: 'user' as const,
    groupId: null,
    environmentId: null,
  };

  it.each([
    ['admin', true],
    ['developer', true],
    ['sales-agent', true],
    ['support-agent', false],
    ['read-only', false],
    ['product', true],
    ['user', false],
  ] as const)('%s may change a user group: %s', (role, allow) => {
    const f = facts(role, {}, { permissions: [...ALLOWED_PERMISSIONS[role]] });
    expect(allowed(userGroupPolicy.update(f, user))).toBe(allow);
  });

  it('lets a user read its own group only', () => {
    expect(userGroupPolicy.show(facts('user'), user, null)).toBe(true);
    expect(userGroupPolicy.show(facts('user'), { ...user, id: 'other' }, null)).not.toBe(true);
  });

  it('lets products read and change user-role users only', () => {
    const admin = { ...user, role: 'admin' as const };
    expect(userGroupPolicy.show(facts('product'), admin, null)).not.toBe(true);
    expect(userGroupPolicy.update(facts('product'), admin)).not.toBe(true);
  });
});
