import type { Environment } from '@app/modules/environments/environment.entity';
import { bootApp, type TestApp } from '../../support/app';
import { basic, given, type GivenAccount } from '../../support/factories';

const EMAIL_INVALID = {
  title: 'Unauthorized',
  detail: 'email must be valid',
  code: 'EMAIL_INVALID',
  source: { header: 'Authorization' },
};

/**
 * Spec 01 §1.5 / §3.3: password login inside an environment finds that
 * environment's users (shared: plus global users) and every global admin.
 */
describe('password login inside environments', () => {
  let t: TestApp;
  let a: GivenAccount;
  let isolated: Environment;
  let shared: Environment;

  beforeAll(async () => {
    t = await bootApp({ NO_RACK_ATTACK: '1' });
    a = await given(t).account();
    isolated = (await given(t).environment(a.account)).environment;
    shared = (await given(t).environment(a.account, { isolationStrategy: 'SHARED' })).environment;
  });
  afterAll(() => t.close());

  const login = (env: Environment | null, email: string, password: string) => {
    const req = t.http.post(`${a.base}/tokens`).set('Authorization', basic(email, password));
    return env ? req.set('Keygen-Environment', env.code) : req;
  };

  describe('201', () => {
    it('lets a global admin log in inside an isolated environment', async () => {
      const res = await login(isolated, a.admin.email, a.adminPassword).expect(201);
      expect(res.headers['keygen-environment']).toBe(isolated.code);
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
      expect(res.body.data.relationships.bearer.data).toEqual({ type: 'users', id: a.admin.id });
      // The new token belongs to the isolated environment and works there.
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: isolated.id,
      });
      const token = res.body.data.attributes.token as string;
      await t.http
        .get(`${a.base}/environments`)
        .set({ Authorization: `Bearer ${token}`, 'Keygen-Environment': isolated.code })
        .expect(200);
    });

    it("lets an isolated environment's user log in there", async () => {
      const u = await given(t).user(a.account, { environment: isolated });
      const res = await login(isolated, u.user.email, u.password).expect(201);
      expect(res.body.data.relationships.bearer.data).toEqual({ type: 'users', id: u.user.id });
    });

    it('lets a global user log in inside a shared environment', async () => {
      const u = await given(t).user(a.account);
      const res = await login(shared, u.user.email, u.password).expect(201);
      expect(res.body.data.relationships.bearer.data).toEqual({ type: 'users', id: u.user.id });
    });
  });

  describe('401', () => {
    it('does not find a global non-admin inside an isolated environment', async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const res = await login(isolated, dev.user.email, dev.password).expect(401);
      expect(res.body.errors).toEqual([EMAIL_INVALID]);
    });

    it("does not find an environment's user in the global environment", async () => {
      const u = await given(t).user(a.account, { environment: isolated });
      const res = await login(null, u.user.email, u.password).expect(401);
      expect(res.body.errors).toEqual([EMAIL_INVALID]);
    });

    it("does not find an environment's admin in another environment", async () => {
      const admin = await given(t).user(a.account, { role: 'admin', environment: isolated });
      const res = await login(shared, admin.user.email, admin.password).expect(401);
      expect(res.body.errors).toEqual([EMAIL_INVALID]);
    });
  });
});
