import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

describe('GET /v1/accounts/:account/profile', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const url = (): string => `${a.base}/profile`;

  describe('200', () => {
    it('renders an admin with meta.tokenId and nothing included', async () => {
      const res = await t.http.get(url()).set(a.auth).expect(200);
      expect(Object.keys(res.body)).toEqual(['data', 'meta']);
      expect(res.body.data).toMatchObject({
        id: a.admin.id,
        type: 'users',
        attributes: { role: 'admin' },
      });
      expect(res.body.meta).toEqual({ tokenId: res.headers['keygen-token'] });
      expect(res.body.meta.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('renders a user', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http.get(url()).set(u.auth).expect(200);
      expect(res.body.data).toMatchObject({ id: u.user.id, type: 'users' });
    });

    it('renders an environment from inside a shared environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .get(`${url()}?environment=${env.environment.code}`)
        .set('Authorization', `Bearer ${env.token}`)
        .expect(200);
      expect(res.body.data).toMatchObject({ id: env.environment.id, type: 'environments' });
      expect(res.body.meta.tokenId).toBe(res.headers['keygen-token']);
    });

    it('renders a global admin from inside a shared environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      await t.http
        .get(url())
        .set(a.auth)
        .set('Keygen-Environment', env.environment.code)
        .expect(200);
    });
  });

  describe('403', () => {
    it('needs admin.read to read an admin', async () => {
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await t.http.get(url()).set('Authorization', `Bearer ${tok.raw}`).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
      // /me only needs user.read
      await t.http.get(`${a.base}/me`).set('Authorization', `Bearer ${tok.raw}`).expect(200);
    });

    it('refuses a global admin seen from inside an isolated environment', async () => {
      const env = await given(t).environment(a.account);
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { environmentId: env.environment.id },
      );
      const headers = {
        Authorization: `Bearer ${tok.raw}`,
        'Keygen-Environment': env.environment.code,
      };
      const res = await t.http.get(url()).set(headers).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (record environment is not compatible with the current environment)',
      );
      await t.http.get(`${a.base}/me`).set(headers).expect(200);
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const res = await t.http.get(url()).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });
});
