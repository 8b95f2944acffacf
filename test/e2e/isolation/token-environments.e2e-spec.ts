import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const TOKEN_INVALID = {
  title: 'Unauthorized',
  detail: 'You must be authenticated to complete the request',
  code: 'TOKEN_INVALID',
  links: { about: 'https://keygen.sh/docs/api/authentication/#token-authentication' },
};

/**
 * Spec 01 §3.3: tokens are looked up among the current environment's tokens
 * (global: global only; isolated: that environment only; shared: it plus global).
 */
describe('tokens across environments', () => {
  let t: TestApp;
  let a: GivenAccount;
  const envPath = (id: string) => `${a.base}/environments/${id}`;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('environment tokens', () => {
    it('work with their environment selected, by header or param', async () => {
      const env = await given(t).environment(a.account);
      await t.http.get(envPath(env.environment.id)).set(env.auth).expect(200);
      await t.http
        .get(`${envPath(env.environment.id)}?environment=${env.environment.id}`)
        .set('Authorization', `Bearer ${env.token}`)
        .expect(200);
    });

    it.each(['ISOLATED', 'SHARED'] as const)(
      'are invalid without the header (%s)',
      async (isolationStrategy) => {
        const env = await given(t).environment(a.account, { isolationStrategy });
        const res = await t.http
          .get(envPath(env.environment.id))
          .set('Authorization', `Bearer ${env.token}`)
          .expect(401);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: [TOKEN_INVALID],
        });
        expect(res.headers['www-authenticate']).toBe('Bearer realm="keygen"');
      },
    );

    it('are invalid in another environment', async () => {
      const env = await given(t).environment(a.account);
      const other = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .get(envPath(env.environment.id))
        .set({ Authorization: `Bearer ${env.token}`, 'Keygen-Environment': other.environment.code })
        .expect(401);
      expect(res.body.errors).toEqual([TOKEN_INVALID]);
    });
  });

  describe('global tokens', () => {
    it('are invalid inside an isolated environment, even an admin token', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http
        .get(`${a.base}/environments`)
        .set({ ...a.auth, 'Keygen-Environment': env.environment.code })
        .expect(401);
      expect(res.body.errors).toEqual([TOKEN_INVALID]);
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
    });

    it('work inside a shared environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .get(envPath(env.environment.id))
        .set({ ...a.auth, 'Keygen-Environment': env.environment.code })
        .expect(200);
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
    });

    it('work inside a shared environment for a user too (its own second factors)', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await given(t).user(a.account);
      const res = await t.http
        .get(`${a.base}/users/${u.user.id}/second-factors`)
        .set({ ...u.auth, 'Keygen-Environment': env.environment.code })
        .expect(200);
      expect(res.body.data).toEqual([]);
    });
  });

  describe('tokens of environment users', () => {
    it('are invalid in the global environment and valid in their own', async () => {
      const env = await given(t).environment(a.account);
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      const res = await t.http.get(`${a.base}/environments`).set(admin.auth).expect(401);
      expect(res.body.errors).toEqual([TOKEN_INVALID]);
      await t.http
        .get(`${a.base}/environments`)
        .set({ ...admin.auth, 'Keygen-Environment': env.environment.code })
        .expect(200);
    });

    it('are invalid in a shared environment they do not belong to', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const other = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      await t.http
        .get(`${a.base}/environments`)
        .set({ ...admin.auth, 'Keygen-Environment': other.environment.code })
        .expect(401);
    });
  });
});
