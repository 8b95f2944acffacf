import { applyResponseMigrations } from '@app/common/versioning/response-migrations';
import '../license.versioning';
import './validation.versioning';

const KEY_ROUTE = '/v1/accounts/:account/licenses/actions/validate-key';
const ID_ROUTE = '/v1/accounts/:account/licenses/:id/actions/validate';

function body(code: string, valid: boolean) {
  return {
    data: {
      id: 'l1',
      type: 'licenses',
      attributes: {},
      relationships: {
        account: { links: { related: '/v1/accounts/a1' }, data: { type: 'accounts', id: 'a1' } },
        owner: {
          links: { related: '/v1/accounts/a1/licenses/l1/owner' },
          data: { type: 'users', id: 'u1' },
        },
        users: { links: { related: '/v1/accounts/a1/licenses/l1/users' } },
      },
    },
    meta: { ts: 't', valid, detail: 'd', code, nonce: 1 },
  };
}

function migrate(version: string, b: Record<string, unknown>, route = KEY_ROUTE, method = 'POST') {
  applyResponseMigrations(version, { method, route, status: 200, body: b, headers: {} });
  return b;
}

describe('validation response migrations (spec 02 §6.6)', () => {
  it('leaves the current version alone', () => {
    expect(migrate('1.7', body('VALID', true))).toEqual(body('VALID', true));
  });

  it('≤1.5 renders owner as user, moved last, linked to /user', () => {
    const b = migrate('1.5', body('VALID', true));
    const rels = (b.data as { relationships: Record<string, unknown> }).relationships;
    expect(Object.keys(rels)).toEqual(['account', 'users', 'user']);
    expect(rels.user).toEqual({
      links: { related: '/v1/accounts/a1/licenses/l1/user' },
      data: { type: 'users', id: 'u1' },
    });
    expect((b.meta as Record<string, unknown>).code).toBe('VALID');
  });

  it('≤1.1 renames code to constant (last) and keeps VALID and EXPIRED validity', () => {
    expect(migrate('1.1', body('VALID', true)).meta).toEqual({
      ts: 't',
      valid: true,
      detail: 'd',
      nonce: 1,
      constant: 'VALID',
    });
    expect(migrate('1.0', body('EXPIRED', true), ID_ROUTE, 'GET').meta).toMatchObject({
      valid: true,
      constant: 'EXPIRED',
    });
  });

  it('≤1.1 makes overage-allowed codes invalid', () => {
    expect(migrate('1.1', body('TOO_MANY_MACHINES', true)).meta).toMatchObject({
      valid: false,
      constant: 'TOO_MANY_MACHINES',
    });
    expect(migrate('1.1', body('NO_MACHINE', false)).meta).toMatchObject({ valid: false });
  });

  it('applies to a NOT_FOUND validation without data', () => {
    const b = {
      data: null,
      meta: { ts: 't', valid: false, detail: 'does not exist', code: 'NOT_FOUND' },
    };
    expect(migrate('1.1', b).meta).toEqual({
      ts: 't',
      valid: false,
      detail: 'does not exist',
      constant: 'NOT_FOUND',
    });
  });

  it('does not touch other routes', () => {
    const b = body('VALID', true);
    migrate('1.0', b, '/v1/accounts/:account/licenses/:id/actions/check-in');
    expect(b.meta.code).toBe('VALID');
  });
});
