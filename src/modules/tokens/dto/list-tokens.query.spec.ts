import { parseBearerFilter } from './list-tokens.query';

describe('parseBearerFilter (spec 01 §6.6)', () => {
  it('ignores a missing or non-hash bearer param', () => {
    expect(parseBearerFilter({})).toBeNull();
    expect(parseBearerFilter({ bearer: 'users' })).toBeNull();
  });

  it('matches nothing when every value is blank', () => {
    expect(parseBearerFilter({ bearer: { type: '' } })).toEqual({ kind: 'none' });
    expect(parseBearerFilter({ bearer: { type: '', id: '', role: [] } })).toEqual({ kind: 'none' });
  });

  it.each([
    ['user', 'users'],
    ['users', 'users'],
    ['Users', 'users'],
    ['product', 'products'],
    ['licenses', 'licenses'],
    ['environment', 'environments'],
    ['accounts', null],
  ])('normalises type %s → %s', (type, expected) => {
    expect(parseBearerFilter({ bearer: { type } })).toEqual({ kind: 'match', type: expected });
  });

  it('normalises the id and refuses non-UUIDs', () => {
    expect(parseBearerFilter({ bearer: { id: '2845D39B050F417A8F06A50F31C2B792' } })).toEqual({
      kind: 'match',
      id: '2845d39b-050f-417a-8f06-a50f31c2b792',
    });
    expect(parseBearerFilter({ bearer: { id: 'nope' } })).toEqual({ kind: 'match', id: null });
  });

  it('splits roles into user roles and bearer types, dasherized or underscored', () => {
    expect(
      parseBearerFilter({
        bearer: { role: ['sales_agent', 'read-only', 'license', 'environment', 'owner', ''] },
      }),
    ).toEqual({
      kind: 'match',
      roles: { userRoles: ['sales-agent', 'read-only'], types: ['licenses', 'environments'] },
    });
    expect(parseBearerFilter({ bearer: { role: 'admin' } })).toEqual({
      kind: 'match',
      roles: { userRoles: ['admin'], types: [] },
    });
  });
});
