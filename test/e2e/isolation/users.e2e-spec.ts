import type { Environment } from '@app/modules/environments/environment.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../support/factories';

type EnvFixture = { environment: Environment; token: string; auth: Record<string, string> };

/**
 * Spec 01 §3.3 through the users routes: lists and lookups see global records
 * globally, only the environment's in an ISOLATED one, and both in a SHARED one.
 */
describe('users across global, isolated and shared environments', () => {
  let t: TestApp;
  let a: GivenAccount;
  let isolated: EnvFixture;
  let shared: EnvFixture;
  let globalUser: GivenUser;
  let isolatedUser: GivenUser;
  let sharedUser: GivenUser;
  let isolatedAdmin: GivenUser;

  const ids = (res: { body: { data: Array<{ id: string }> } }) =>
    res.body.data.map((u) => u.id).sort();
  const users = () => `${a.base}/users`;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    isolated = await given(t).environment(a.account);
    shared = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
    globalUser = await given(t).user(a.account);
    isolatedUser = await given(t).user(a.account, { environment: isolated.environment });
    sharedUser = await given(t).user(a.account, { environment: shared.environment });
    isolatedAdmin = await given(t).user(a.account, {
      role: 'admin',
      environment: isolated.environment,
    });
  });
  afterAll(() => t.close());

  describe('GET /users', () => {
    it('lists only global users in the global environment', async () => {
      const res = await t.http.get(users()).set(a.auth).expect(200);
      expect(ids(res)).toEqual([globalUser.user.id]);
      expect(res.body.data[0].relationships.environment).toEqual({
        links: { related: null },
        data: null,
      });
    });

    it("lists only an isolated environment's users (environment token)", async () => {
      const res = await t.http.get(users()).set(isolated.auth).expect(200);
      expect(ids(res)).toEqual([isolatedUser.user.id]);
      expect(res.body.data[0].relationships.environment.data).toEqual({
        type: 'environments',
        id: isolated.environment.id,
      });
    });

    it("lists only an isolated environment's users (the environment's own admin)", async () => {
      const res = await t.http
        .get(users())
        .set({ ...isolatedAdmin.auth, 'Keygen-Environment': isolated.environment.code })
        .expect(200);
      expect(ids(res)).toEqual([isolatedUser.user.id]);
    });

    it("lists a shared environment's users plus global ones (environment token)", async () => {
      const res = await t.http.get(users()).set(shared.auth).expect(200);
      expect(ids(res)).toEqual([globalUser.user.id, sharedUser.user.id].sort());
    });

    it('lists the same for a global admin token inside the shared environment', async () => {
      const res = await t.http
        .get(`${users()}?environment=${shared.environment.code}`)
        .set(a.auth)
        .expect(200);
      expect(ids(res)).toEqual([globalUser.user.id, sharedUser.user.id].sort());
    });

    it('refuses a global admin token inside the isolated environment (401 TOKEN_INVALID)', async () => {
      const res = await t.http
        .get(users())
        .set({ ...a.auth, 'Keygen-Environment': isolated.environment.code })
        .expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });
  });

  describe('GET /users/:id', () => {
    it('hides environment users from the global environment', async () => {
      for (const u of [isolatedUser, sharedUser]) {
        const res = await t.http.get(`${users()}/${u.user.id}`).set(a.auth).expect(404);
        expect(res.body.errors[0].detail).toBe(`The requested user '${u.user.id}' was not found`);
      }
    });

    it('hides global users from an isolated environment', async () => {
      await t.http.get(`${users()}/${globalUser.user.id}`).set(isolated.auth).expect(404);
      await t.http.get(`${users()}/${sharedUser.user.id}`).set(isolated.auth).expect(404);
      const res = await t.http
        .get(`${users()}/${isolatedUser.user.id}`)
        .set(isolated.auth)
        .expect(200);
      expect(res.body.data.id).toBe(isolatedUser.user.id);
    });

    it('shows global users inside a shared environment', async () => {
      for (const u of [globalUser, sharedUser]) {
        const res = await t.http.get(`${users()}/${u.user.id}`).set(shared.auth).expect(200);
        expect(res.body.data.id).toBe(u.user.id);
      }
      await t.http.get(`${users()}/${isolatedUser.user.id}`).set(shared.auth).expect(404);
    });
  });
});
