import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const GENERIC_403 =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';

describe('GET /v1/accounts/:account/users/:user/second-factors/:id', () => {
  let t: TestApp;
  let a: GivenAccount;
  const path = (user: string, id: string) => `${a.base}/users/${user}/second-factors/${id}`;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('renders a disabled factor with uri and secret', async () => {
      const admin = await given(t).user(a.account, { role: 'admin' });
      const sf = await given(t).secondFactor(admin.user);
      const res = await t.http.get(path(admin.user.id, sf.factor.id)).set(admin.auth).expect(200);
      expect(res.body.data).toMatchObject({
        id: sf.factor.id,
        type: 'second-factors',
        attributes: {
          uri: `otpauth://totp/Keygen:${encodeURIComponent(admin.user.email)}?secret=${sf.secret}&issuer=Keygen`,
          secret: sf.secret,
          enabled: false,
        },
        links: {
          self: `/v1/accounts/${a.id}/users/${admin.user.id}/second-factors/${sf.factor.id}`,
        },
      });
    });

    it('renders an enabled factor without uri and secret', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user, { enabled: true });
      const res = await t.http.get(path(u.user.id, sf.factor.id)).set(u.auth).expect(200);
      expect(res.body.data.attributes).toEqual({
        enabled: true,
        created: sf.factor.createdAt.toISOString(),
        updated: sf.factor.updatedAt.toISOString(),
      });
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s read its own',
      async (role) => {
        const u = await given(t).user(a.account, { role });
        const sf = await given(t).secondFactor(u.user);
        const res = await t.http.get(path(u.user.id, sf.factor.id)).set(u.auth).expect(200);
        expect(res.body.data.attributes.secret).toBe(sf.secret);
      },
    );

    it("lets an admin read another user's factor (id in any case, undashed)", async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http
        .get(path(u.user.email, sf.factor.id.replace(/-/g, '').toUpperCase()))
        .set(a.auth)
        .expect(200);
      expect(res.body.data.id).toBe(sf.factor.id);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const sf = await given(t).secondFactor(a.admin);
      const res = await t.http.get(path(a.admin.id, sf.factor.id)).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it("denies a developer reading another user's factor", async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http.get(path(u.user.id, sf.factor.id)).set(dev.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: GENERIC_403 }]);
    });

    it("denies an environment reading a shared user's factor (selected with ?environment=)", async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await given(t).user(a.account, { environment: env.environment });
      const sf = await given(t).secondFactor(u.user, { enabled: true });
      const res = await t.http
        .get(`${path(u.user.id, sf.factor.id)}?environment=${env.environment.code}`)
        .set('Authorization', `Bearer ${env.token}`)
        .expect(403);
      expect(res.body.errors[0].detail).toBe(GENERIC_403);
    });
  });

  describe('404', () => {
    it('reports an unknown or non-UUID factor id', async () => {
      for (const id of ['4d4b1ac1-8f4c-4e0c-9b59-0f0b9d6c1c2a', 'nope']) {
        const res = await t.http.get(path(a.admin.id, id)).set(a.auth).expect(404);
        expect(res.body.errors).toEqual([
          {
            title: 'Not found',
            detail: `The requested second factor '${id}' was not found`,
            code: 'NOT_FOUND',
          },
        ]);
      }
    });

    it("does not find another user's factor under this user", async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      await t.http.get(path(a.admin.id, sf.factor.id)).set(a.auth).expect(404);
    });

    it('hides another user from a user (parent lookup is scoped)', async () => {
      const u = await given(t).user(a.account);
      const other = await given(t).user(a.account);
      const sf = await given(t).secondFactor(other.user);
      const res = await t.http.get(path(other.user.id, sf.factor.id)).set(u.auth).expect(404);
      expect(res.body.errors[0].detail).toBe(`The requested user '${other.user.id}' was not found`);
    });
  });
});
