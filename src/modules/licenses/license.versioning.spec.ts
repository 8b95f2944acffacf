import {
  applyResponseMigrations,
  type MigrationInput,
} from '@app/common/versioning/response-migrations';
import { licenseRouteKind, renameOwnerToUser } from './license.versioning';

const A = '/v1/accounts/:account';
const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const ID = '22222222-2222-4222-8222-222222222222';

const license = (id = ID) => ({
  id,
  type: 'licenses',
  attributes: { name: null },
  relationships: {
    account: {
      links: { related: `/v1/accounts/${ACCOUNT}` },
      data: { type: 'accounts', id: ACCOUNT },
    },
    owner: {
      links: { related: `/v1/accounts/${ACCOUNT}/licenses/${id}/owner` },
      data: { type: 'users', id: 'u' },
    },
    users: { links: { related: `/v1/accounts/${ACCOUNT}/licenses/${id}/users` } },
  },
});

const input = (over: Partial<MigrationInput>): MigrationInput => ({
  method: 'GET',
  route: `${A}/licenses/:id`,
  status: 200,
  body: { data: license() },
  headers: {},
  ...over,
});

describe('license response migrations (≤1.5)', () => {
  it('renames owner to user at the end, linking the legacy route', () => {
    const r = license();
    renameOwnerToUser(r);
    expect(Object.keys(r.relationships)).toEqual(['account', 'users', 'user']);
    expect((r.relationships as Record<string, unknown>).user).toEqual({
      links: { related: `/v1/accounts/${ACCOUNT}/licenses/${ID}/user` },
      data: { type: 'users', id: 'u' },
    });
  });

  it('leaves other resource types alone', () => {
    const r = { ...license(), type: 'machines' };
    renameOwnerToUser(r);
    expect(r.relationships).toHaveProperty('owner');
  });

  it.each(['1.0', '1.4', '1.5'])('migrates a shown license for %s', (v) => {
    const i = input({});
    applyResponseMigrations(v, i);
    const rels = (i.body!.data as { relationships: Record<string, unknown> }).relationships;
    expect(rels).toHaveProperty('user');
    expect(rels).not.toHaveProperty('owner');
  });

  it.each(['1.6', '1.7'])('keeps owner for %s', (v) => {
    const i = input({});
    applyResponseMigrations(v, i);
    expect(
      (i.body!.data as { relationships: Record<string, unknown> }).relationships,
    ).toHaveProperty('owner');
  });

  it('migrates lists (data and included) on index routes', () => {
    const i = input({
      route: `${A}/products/:product/licenses`,
      body: {
        data: [license(), license('33333333-3333-4333-8333-333333333333')],
        included: [license()],
      },
    });
    applyResponseMigrations('1.5', i);
    const body = i.body as {
      data: Array<{ relationships: object }>;
      included: Array<{ relationships: object }>;
    };
    expect(body.data.every((l) => 'user' in l.relationships)).toBe(true);
    expect('user' in body.included[0].relationships).toBe(true);
  });

  it('leaves errors and 204s alone', () => {
    const i = input({ status: 404, body: { errors: [] } });
    applyResponseMigrations('1.5', i);
    expect(i.body).toEqual({ errors: [] });
  });

  it('renames OWNER_NOT_FOUND on create/update 422s only', () => {
    const errors = () => ({
      errors: [
        {
          title: 'Unprocessable resource',
          code: 'OWNER_NOT_FOUND',
          detail: 'must exist',
          source: { pointer: '/data/relationships/owner' },
        },
        {
          title: 'Unprocessable resource',
          code: 'GROUP_NOT_FOUND',
          detail: 'must exist',
          source: { pointer: '/data/relationships/group' },
        },
      ],
    });
    const create = input({ method: 'POST', route: `${A}/licenses`, status: 422, body: errors() });
    applyResponseMigrations('1.5', create);
    expect((create.body!.errors as Array<Record<string, unknown>>)[0]).toEqual({
      title: 'Unprocessable resource',
      code: 'USER_NOT_FOUND',
      detail: 'must exist',
      source: { pointer: '/data/relationships/user' },
    });
    expect((create.body!.errors as Array<Record<string, unknown>>)[1].code).toBe('GROUP_NOT_FOUND');
    const owner = input({
      method: 'PUT',
      route: `${A}/licenses/:id/owner`,
      status: 422,
      body: errors(),
    });
    applyResponseMigrations('1.5', owner);
    expect((owner.body!.errors as Array<Record<string, unknown>>)[0].code).toBe('OWNER_NOT_FOUND');
    const newer = input({ method: 'POST', route: `${A}/licenses`, status: 422, body: errors() });
    applyResponseMigrations('1.6', newer);
    expect((newer.body!.errors as Array<Record<string, unknown>>)[0].code).toBe('OWNER_NOT_FOUND');
  });

  it('classifies routes', () => {
    expect(licenseRouteKind('GET', `${A}/licenses`)).toBe('list');
    expect(licenseRouteKind('POST', `${A}/licenses`)).toBe('single');
    expect(licenseRouteKind('GET', `${A}/licenses/:id/actions/validate`)).toBe('single');
    expect(licenseRouteKind('POST', `${A}/licenses/actions/validate-key`)).toBe('single');
    expect(licenseRouteKind('GET', `${A}/machines/:id/license`)).toBe('single');
    expect(licenseRouteKind('GET', `${A}/licenses/:id/owner`)).toBeNull();
    expect(licenseRouteKind('DELETE', `${A}/licenses/:id`)).toBeNull();
  });
});
