import {
  ALL_PERMISSIONS,
  DEFAULT_PERMISSIONS,
  ENVIRONMENT_PERMISSIONS,
  LICENSE_PERMISSIONS,
  PRODUCT_PERMISSIONS,
  READ_ONLY_PERMISSIONS,
  USER_PERMISSIONS,
  effectiveBearerPermissions,
  effectiveTokenPermissions,
  internPermissions,
  renderPermissions,
} from './permissions';

describe('permission catalogue', () => {
  it('has the sizes the spec lists', () => {
    expect(new Set(ALL_PERMISSIONS).size).toBe(144);
    expect(READ_ONLY_PERMISSIONS).toHaveLength(41);
    expect(ENVIRONMENT_PERMISSIONS).toHaveLength(127);
    expect(PRODUCT_PERMISSIONS).toHaveLength(109);
    expect(USER_PERMISSIONS).toHaveLength(59);
    expect(LICENSE_PERMISSIONS).toHaveLength(41);
    expect(DEFAULT_PERMISSIONS.user).toHaveLength(54);
    expect(DEFAULT_PERMISSIONS.license).toHaveLength(37);
  });

  it('only lists known actions in every role set', () => {
    const all = new Set<string>(ALL_PERMISSIONS);
    for (const set of [READ_ONLY_PERMISSIONS, USER_PERMISSIONS, LICENSE_PERMISSIONS]) {
      expect(set.filter((p) => !all.has(p))).toEqual([]);
    }
  });

  it('caps a wildcard by the role', () => {
    const user = effectiveBearerPermissions('user', ['*']);
    expect(user.has('license.read')).toBe(true);
    expect(user.has('admin.create')).toBe(false);
  });

  it('intersects token and bearer permissions', () => {
    const set = effectiveTokenPermissions('admin', ['user.read', 'user.create'], ['user.read', 'license.read']);
    expect([...set]).toEqual(['user.read']);
    expect(effectiveTokenPermissions('admin', ['user.read'], ['*']).has('user.read')).toBe(true);
    expect(effectiveTokenPermissions('user', ['*'], ['admin.read']).size).toBe(0);
  });

  it('renders sorted, or the wildcard alone', () => {
    expect(renderPermissions(['user.read', 'account.read'])).toEqual(['account.read', 'user.read']);
    expect(renderPermissions(['user.read', '*'])).toEqual(['*']);
  });
});

describe('internPermissions', () => {
  it('parses a text[] literal once and shares the list, its set and its rendering', () => {
    const a = internPermissions('{user.read,account.read}');
    const b = internPermissions('{user.read,account.read}');
    expect(a).toEqual(['user.read', 'account.read']);
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(effectiveBearerPermissions('admin', a)).toBe(effectiveBearerPermissions('admin', b));
    expect(renderPermissions(a)).toEqual(['account.read', 'user.read']);
  });

  it('parses the empty list', () => {
    expect(internPermissions('{}')).toEqual([]);
  });
});
