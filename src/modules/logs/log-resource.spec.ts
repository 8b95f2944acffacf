import { eventLogResource, requestLogResource } from './log-resource';
import { normalizeType, pathSegments, relatedPath, routeTarget } from './log-types';

const U = '3b4ad9c6-1f2e-4c6b-9d0a-5e7f8a9b0c1d';
const V = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('normalizeType (spec 06 §1.4)', () => {
  it.each([
    ['user', 'users'],
    ['users', 'users'],
    ['User', 'users'],
    ['USERS', 'users'],
    ['license', 'licenses'],
    ['policy', 'policies'],
    ['Policies', 'policies'],
    ['release-artifact', 'artifacts'],
    ['ReleaseArtifact', 'artifacts'],
    ['artifacts', 'artifacts'],
    ['machine-component', 'components'],
    ['machine_processes', 'processes'],
    ['process', 'processes'],
    ['release-package', 'packages'],
    ['arch', 'arches'],
    ['environment', 'environments'],
    ['request-logs', 'request-logs'],
    ['second_factors', 'second-factors'],
    ['key', 'keys'],
  ])('%s → %s', (term, type) => {
    expect(normalizeType(term)).toBe(type);
  });

  it.each(['', 'foo', 'licensez', 'user-foo'])('%j is unknown', (term) => {
    expect(normalizeType(term)).toBeNull();
  });
});

describe('relatedPath', () => {
  it('links routable types, accounts by id, and nothing else', () => {
    expect(relatedPath('a', { type: 'users', id: U })).toBe(`/v1/accounts/a/users/${U}`);
    expect(relatedPath('a', { type: 'accounts', id: 'a' })).toBe('/v1/accounts/a');
    expect(relatedPath('a', { type: 'artifacts', id: U })).toBe(`/v1/accounts/a/artifacts/${U}`);
    expect(relatedPath('a', { type: 'policy-entitlements', id: U })).toBeNull();
    expect(relatedPath('a', { type: 'second-factors', id: U })).toBeNull();
  });
});

describe('routeTarget / pathSegments', () => {
  it.each([
    [`/v1/accounts/acme/users/${U}/tokens`, { kind: 'record', type: 'users', value: U }],
    [`/v1/users/${U}`, { kind: 'record', type: 'users', value: U }],
    [
      '/v1/accounts/acme/licenses/actions/validate-key',
      { kind: 'collection-action', type: 'licenses' },
    ],
    [
      '/v1/accounts/acme/licenses/KEY%2D1/actions/validate',
      { kind: 'record', type: 'licenses', value: 'KEY-1' },
    ],
    ['/v1/accounts/acme/licenses', null],
    ['/v1/accounts/acme/licenses/', null],
    ['/v1/accounts/acme/me', null],
    ['/v1/accounts/acme', null],
    ['/v1/accounts/acme/settings/x', null],
  ])('%s', (path, target) => {
    expect(routeTarget(pathSegments(path))).toEqual(target);
  });
});

describe('requestLogResource (spec 06 §1.5 rule 4)', () => {
  const record = routeTarget(['users', U]);
  const alias = routeTarget(['users', 'jane@example.com']);
  const action = routeTarget(['licenses', 'actions', 'validate-key']);

  it('is the addressed record, by id', () => {
    expect(requestLogResource(record, 200, [], null)).toEqual({ type: 'users', id: U });
    expect(requestLogResource(record, 403, [], null)).toEqual({ type: 'users', id: U });
  });

  it('is null when the record was not found, and for index and create routes', () => {
    expect(requestLogResource(record, 404, [], null)).toBeNull();
    expect(
      requestLogResource(null, 201, [{ type: 'users', id: U }], { type: 'users', id: U }),
    ).toBeNull();
  });

  it('resolves an alias through an emitted event or the response document', () => {
    expect(requestLogResource(alias, 200, [{ type: 'users', id: V }], null)).toEqual({
      type: 'users',
      id: V,
    });
    expect(requestLogResource(alias, 200, [], { type: 'users', id: V })).toEqual({
      type: 'users',
      id: V,
    });
    expect(requestLogResource(alias, 200, [{ type: 'tokens', id: V }], null)).toBeNull();
    expect(requestLogResource(alias, 422, [], { type: 'users', id: V })).toBeNull();
  });

  it('is the license a validate-key found, else null', () => {
    expect(requestLogResource(action, 200, [], { type: 'licenses', id: V })).toEqual({
      type: 'licenses',
      id: V,
    });
    expect(requestLogResource(action, 200, [{ type: 'licenses', id: V }], null)).toEqual({
      type: 'licenses',
      id: V,
    });
    expect(requestLogResource(action, 200, [], null)).toBeNull();
  });
});

describe('eventLogResource (spec 06 §2.6 rule 1)', () => {
  const ev = (name: string, type: string, id: string, record: unknown = {}) => ({
    name,
    type,
    id,
    record,
  });

  it('is the route record when the request addressed one', () => {
    expect(
      eventLogResource(routeTarget(['users', U, 'tokens']), ev('token.generated', 'tokens', V)),
    ).toEqual({
      type: 'users',
      id: U,
    });
  });

  it('uses the event record for an alias of the same type, else its own record', () => {
    expect(
      eventLogResource(routeTarget(['users', 'a@b.c']), ev('user.updated', 'users', V)),
    ).toEqual({
      type: 'users',
      id: V,
    });
    expect(
      eventLogResource(
        routeTarget(['users', 'a@b.c', 'tokens']),
        ev('token.generated', 'tokens', V),
      ),
    ).toEqual({
      type: 'tokens',
      id: V,
    });
    expect(eventLogResource(null, ev('license.created', 'licenses', V))).toEqual({
      type: 'licenses',
      id: V,
    });
    expect(
      eventLogResource(
        routeTarget(['licenses', 'actions', 'validate-key']),
        ev('license.validation.failed', 'licenses', V),
      ),
    ).toEqual({
      type: 'licenses',
      id: V,
    });
  });

  it('points attach/detach events at the parent', () => {
    expect(
      eventLogResource(
        null,
        ev('policy.entitlements.attached', 'policy-entitlements', U, [
          { policyId: V, entitlementId: U },
        ]),
      ),
    ).toEqual({ type: 'policies', id: V });
    expect(eventLogResource(null, ev('group.owners.detached', 'group-owners', U, []))).toEqual({
      type: 'groups',
      id: U,
    });
    expect(eventLogResource(null, ev('license.users.attached', 'licenses', V))).toEqual({
      type: 'licenses',
      id: V,
    });
  });
});
