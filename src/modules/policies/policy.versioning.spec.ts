import { applyResponseMigrations } from '@app/common/versioning/response-migrations';
import { policyRoute, renameAttribute } from './policy.versioning';

const policyBody = () => ({
  data: {
    id: 'p',
    type: 'policies',
    attributes: {
      name: 'P',
      machineUniquenessStrategy: 'UNIQUE_PER_LICENSE',
      machineMatchingStrategy: 'MATCH_ANY',
      processLeasingStrategy: 'PER_MACHINE',
      overageStrategy: 'NO_OVERAGE',
      metadata: {},
      created: 'c',
      updated: 'u',
    },
  },
});

function migrate(
  version: string,
  method: string,
  route: string,
  body: Record<string, unknown>,
  status = 200,
) {
  applyResponseMigrations(version, { method, route, status, body, headers: {} });
  return body;
}

describe('policy response migrations', () => {
  it('leaves the current version alone', () => {
    const body = migrate('1.8', 'GET', '/v1/accounts/:account/policies/:id', policyBody());
    expect(body).toEqual(policyBody());
  });

  it('renames processLeasingStrategy at 1.6 and moves it last', () => {
    const body = migrate(
      '1.6',
      'GET',
      '/v1/accounts/:account/policies/:id',
      policyBody(),
    ) as ReturnType<typeof policyBody>;
    expect(Object.keys(body.data.attributes).slice(-1)).toEqual(['leasingStrategy']);
  });

  it('applies every older rename and adds concurrent at 1.1', () => {
    const body = migrate(
      '1.1',
      'PATCH',
      '/v1/accounts/:account/policies/:id',
      policyBody(),
    ) as unknown as {
      data: { attributes: Record<string, unknown> };
    };
    expect(Object.keys(body.data.attributes)).toEqual([
      'name',
      'overageStrategy',
      'metadata',
      'created',
      'updated',
      'leasingStrategy',
      'fingerprintUniquenessStrategy',
      'fingerprintMatchingStrategy',
      'concurrent',
    ]);
    expect(body.data.attributes.concurrent).toBe(false);
  });

  it('migrates lists and their included policies on index routes only', () => {
    const list = { data: [policyBody().data], included: [policyBody().data] };
    migrate('1.6', 'GET', '/v1/accounts/:account/products/:product/policies', list);
    expect(list.data[0].attributes).toHaveProperty('leasingStrategy');
    expect(list.included[0].attributes).toHaveProperty('leasingStrategy');
  });

  it('skips errors, other routes and key policies for renames', () => {
    const error = policyBody();
    migrate('1.0', 'GET', '/v1/accounts/:account/policies/:id', error, 404);
    expect(error).toEqual(policyBody());
    const user = policyBody();
    migrate('1.0', 'GET', '/v1/accounts/:account/users/:id', user);
    expect(user).toEqual(policyBody());
    const key = policyBody() as unknown as { data: { attributes: Record<string, unknown> } };
    migrate('1.0', 'GET', '/v1/accounts/:account/keys/:key/policy', key);
    expect(key.data.attributes).toHaveProperty('processLeasingStrategy');
    expect(key.data.attributes.concurrent).toBe(false);
  });

  it('matches the routes Keygen migrates', () => {
    expect(policyRoute('GET', '/v1/accounts/:account/policies')).toEqual({
      list: true,
      renames: true,
    });
    expect(policyRoute('POST', '/v1/accounts/:account/policies')).toEqual({
      list: false,
      renames: true,
    });
    expect(policyRoute('GET', '/v1/accounts/:account/licenses/:license/policy')).toEqual({
      list: false,
      renames: true,
    });
    expect(policyRoute('DELETE', '/v1/accounts/:account/policies/:id')).toBeNull();
    expect(policyRoute('GET', '/v1/accounts/:account/policies/:policy/product')).toBeNull();
  });

  it('renames only string values', () => {
    const attrs: Record<string, unknown> = { a: null, b: 'x' };
    renameAttribute(attrs, 'a', 'c');
    renameAttribute(attrs, 'b', 'd');
    expect(attrs).toEqual({ a: null, d: 'x' });
  });
});
