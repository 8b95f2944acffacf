import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { ISO_MS } from '../tokens/helpers';

describe('GET /v1/accounts/:account/me', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const url = (): string => `${a.base}/me`;

  describe('200', () => {
    it('renders an admin as a user with the token in use included, without its raw value', async () => {
      const res = await t.http.get(url()).set(a.auth).expect(200);
      expect(Object.keys(res.body)).toEqual(['data', 'included']);
      expect(res.body.data).toMatchObject({
        id: a.admin.id,
        type: 'users',
        attributes: { email: a.admin.email, role: 'admin', status: 'ACTIVE' },
        links: { self: `/v1/accounts/${a.id}/users/${a.admin.id}` },
      });
      expect(res.body.included).toHaveLength(1);
      const [token] = res.body.included;
      expect(token).toMatchObject({
        id: res.headers['keygen-token'],
        type: 'tokens',
        attributes: { kind: 'admin-token', expiry: null, name: null },
        relationships: {
          bearer: {
            links: { related: `/v1/accounts/${a.id}/users/${a.admin.id}` },
            data: { type: 'users', id: a.admin.id },
          },
        },
        links: { self: `/v1/accounts/${a.id}/tokens/${res.headers['keygen-token']}` },
      });
      expect(token.attributes.token).toBeUndefined();
      expect(token.attributes.created).toMatch(ISO_MS);
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
    });

    it('renders a user', async () => {
      const u = await given(t).user(a.account, { firstName: 'Ada', lastName: 'Lovelace' });
      const res = await t.http.get(url()).set(u.auth).expect(200);
      expect(res.body.data).toMatchObject({
        id: u.user.id,
        type: 'users',
        attributes: { fullName: 'Ada Lovelace', role: 'user' },
      });
      expect(res.body.included[0].attributes.kind).toBe('user-token');
    });

    it('renders an environment as an environment', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http.get(url()).set(env.auth).expect(200);
      expect(res.body.data).toMatchObject({
        id: env.environment.id,
        type: 'environments',
        attributes: { code: env.environment.code, isolationStrategy: 'ISOLATED' },
        links: { self: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
      });
      expect(res.body.included[0]).toMatchObject({
        type: 'tokens',
        attributes: { kind: 'environment-token' },
        relationships: { environment: { data: { type: 'environments', id: env.environment.id } } },
      });
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
    });

    it('is not logged as an event', async () => {
      const before = t.events.named('token.generated', a.id).length;
      await t.http.get(url()).set(a.auth).expect(200);
      expect(t.events.named('token.generated', a.id)).toHaveLength(before);
    });
  });

  describe('403', () => {
    it('needs user.read on the bearer', async () => {
      const u = await given(t).user(a.account, { permissions: ['token.read'] });
      const res = await t.http.get(url()).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (user lacks permission to perform action)',
        },
      ]);
    });

    it('needs user.read on the token', async () => {
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['token.read'] },
      );
      const res = await t.http.get(url()).set('Authorization', `Bearer ${tok.raw}`).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const res = await t.http.get(url()).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });

    it('does not accept a password', async () => {
      const res = await t.http
        .get(url())
        .set(
          'Authorization',
          `Basic ${Buffer.from(`${a.admin.email}:${a.adminPassword}`).toString('base64')}`,
        )
        .expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });
  });
});

describe('GET /me as a product', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  it('renders the product and the token in use', async () => {
    const a = await given(t).account();
    const p = await given(t).product(a.account, { name: 'Desktop' });
    const res = await t.http.get(`${a.base}/me`).set(p.auth).expect(200);
    expect(res.body.data).toMatchObject({ id: p.product.id, type: 'products', attributes: { name: 'Desktop' } });
    expect(res.body.included).toHaveLength(1);
    expect(res.body.included[0]).toMatchObject({ type: 'tokens', attributes: { kind: 'product-token' } });
    expect(res.body.included[0].attributes.token).toBeUndefined();
    expect(res.headers['keygen-bearer']).toBe(p.product.id);
  });
});
