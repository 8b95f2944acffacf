import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const GENERIC_403 =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';

describe('GET /v1/accounts/:account/users/:user/second-factors', () => {
  let t: TestApp;
  let a: GivenAccount;
  const path = (user: string) => `${a.base}/users/${user}/second-factors`;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it("lists the admin's own disabled factor with its provisioning uri and secret", async () => {
      const admin = await given(t).user(a.account, {
        role: 'admin',
        email: `Admin-${Date.now()}@Example.com`,
      });
      const sf = await given(t).secondFactor(admin.user);
      const res = await t.http.get(path(admin.user.id)).set(admin.auth).expect(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0]).toEqual({
        id: sf.factor.id,
        type: 'second-factors',
        attributes: {
          uri: `otpauth://totp/Keygen:${encodeURIComponent(admin.user.email)}?secret=${sf.secret}&issuer=Keygen`,
          secret: sf.secret,
          enabled: false,
          created: sf.factor.createdAt.toISOString(),
          updated: sf.factor.updatedAt.toISOString(),
        },
        relationships: {
          account: {
            links: { related: `/v1/accounts/${a.id}` },
            data: { type: 'accounts', id: a.id },
          },
          environment: { links: { related: null }, data: null },
          user: {
            links: { related: `/v1/accounts/${a.id}/users/${admin.user.id}` },
            data: { type: 'users', id: admin.user.id },
          },
        },
        links: {
          self: `/v1/accounts/${a.id}/users/${admin.user.id}/second-factors/${sf.factor.id}`,
        },
      });
    });

    it('hides uri and secret of an enabled factor', async () => {
      const admin = await given(t).user(a.account, { role: 'admin' });
      await given(t).secondFactor(admin.user, { enabled: true });
      const res = await t.http.get(path(admin.user.id)).set(admin.auth).expect(200);
      expect(res.body.data).toHaveLength(1);
      expect(Object.keys(res.body.data[0].attributes)).toEqual(['enabled', 'created', 'updated']);
      expect(res.body.data[0].attributes.enabled).toBe(true);
    });

    it('returns an empty list for a user without a factor', async () => {
      const res = await t.http.get(path(a.admin.id)).set(a.auth).expect(200);
      expect(res.body.data).toEqual([]);
    });

    it("lets an admin list another user's factors, by id or (exact) email", async () => {
      const u = await given(t).user(a.account);
      await given(t).secondFactor(u.user, { enabled: true });
      for (const ref of [u.user.id, u.user.email]) {
        const res = await t.http.get(path(ref)).set(a.auth).expect(200);
        expect(res.body.data).toHaveLength(1);
      }
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only', 'user'] as const)(
      'lets a %s list its own',
      async (role) => {
        const u = await given(t).user(a.account, { role });
        await given(t).secondFactor(u.user);
        const res = await t.http.get(path(u.user.id)).set(u.auth).expect(200);
        expect(res.body.data).toHaveLength(1);
        expect(res.body.data[0].attributes.secret).toMatch(/^[A-Z2-7]{32}$/);
      },
    );

    it("compat: lets a developer list another user's factors when there are none", async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const u = await given(t).user(a.account);
      const res = await t.http.get(path(u.user.id)).set(dev.auth).expect(200);
      expect(res.body.data).toEqual([]);
    });

    it('lists factors of users in the current environment', async () => {
      const env = await given(t).environment(a.account);
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      await given(t).secondFactor(admin.user);
      const res = await t.http
        .get(path(admin.user.id))
        .set({ ...admin.auth, 'Keygen-Environment': env.environment.code })
        .expect(200);
      expect(res.body.data[0].relationships.environment).toEqual({
        links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
        data: { type: 'environments', id: env.environment.id },
      });
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http.get(path(a.admin.id)).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      "denies a %s listing another user's factors",
      async (role) => {
        const staff = await given(t).user(a.account, { role });
        const u = await given(t).user(a.account);
        await given(t).secondFactor(u.user);
        const res = await t.http.get(path(u.user.id)).set(staff.auth).expect(403);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: [{ title: 'Access denied', detail: GENERIC_403 }],
        });
      },
    );

    it.each(['admin', 'user'] as const)(
      "denies an environment listing an isolated %s's factors",
      async (role) => {
        const env = await given(t).environment(a.account);
        const u = await given(t).user(a.account, { role, environment: env.environment });
        await given(t).secondFactor(u.user, { enabled: true });
        const res = await t.http.get(path(u.user.id)).set(env.auth).expect(403);
        expect(res.body.errors[0].detail).toBe(GENERIC_403);
      },
    );

    it('denies a user whose permissions lack user.second-factors.read', async () => {
      const u = await given(t).user(a.account, { permissions: ['user.read'] });
      const res = await t.http.get(path(u.user.id)).set(u.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (user lacks permission to perform action)',
      );
    });
  });

  describe('404', () => {
    it("hides an admin's factors from a user", async () => {
      const u = await given(t).user(a.account);
      await given(t).secondFactor(a.admin, { enabled: true });
      const res = await t.http.get(path(a.admin.id)).set(u.auth).expect(404);
      expect(res.body.errors).toEqual([
        {
          title: 'Not found',
          detail: `The requested user '${a.admin.id}' was not found`,
          code: 'NOT_FOUND',
        },
      ]);
    });

    it('matches a nested email exactly', async () => {
      const upper = a.admin.email.toUpperCase();
      const res = await t.http.get(path(upper)).set(a.auth).expect(404);
      expect(res.body.errors[0].detail).toBe(`The requested user '${upper}' was not found`);
    });

    it('hides users of other environments', async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      await t.http.get(path(u.user.id)).set(a.auth).expect(404);
    });
  });
});
