import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { bearer } from './helpers';

describe('DELETE /v1/accounts/:account/tokens/:id', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const url = (id: string): string => `${a.base}/tokens/${id}`;
  const userToken = async () => {
    const u = await given(t).user(a.account);
    const tok = await given(t).token(a.account, {
      type: 'users',
      id: u.user.id,
      role: 'user',
      environmentId: null,
    });
    return { ...u, tok };
  };

  describe('204', () => {
    it("revokes a user's token for an admin; the token stops working and token.revoked is emitted", async () => {
      const { tok } = await userToken();
      const res = await t.http.delete(url(tok.token.id)).set(a.auth).expect(204);
      expect(res.text).toBe('');
      expect(res.headers['content-type']).toBeUndefined();
      const events = t.events
        .named('token.revoked', a.id)
        .filter((e) => e.resource.id === tok.token.id);
      expect(events).toHaveLength(1);
      const after = await t.http.get(`${a.base}/tokens`).set(bearer(tok.raw)).expect(401);
      expect(after.body.errors[0].code).toBe('TOKEN_INVALID');
      await t.http.get(url(tok.token.id)).set(a.auth).expect(404);
    });

    it('lets a user revoke its own token, including the one in use', async () => {
      const { tok } = await userToken();
      await t.http.delete(url(tok.token.id)).set(bearer(tok.raw)).expect(204);
      await t.http.get(`${a.base}/tokens`).set(bearer(tok.raw)).expect(401);
    });

    it("lets a developer revoke an admin's token", async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: a.admin.id,
        role: 'admin',
        environmentId: null,
      });
      await t.http.delete(url(tok.token.id)).set(dev.auth).expect(204);
    });

    it("lets an environment revoke its users' tokens", async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: u.user.id,
        role: 'user',
        environmentId: env.environment.id,
      });
      await t.http.delete(url(tok.token.id)).set(env.auth).expect(204);
    });
  });

  describe('403', () => {
    it.each(['sales-agent', 'support-agent'] as const)(
      "forbids a %s revoking another user's token",
      async (role) => {
        const staff = await given(t).user(a.account, { role });
        const { tok } = await userToken();
        const res = await t.http.delete(url(tok.token.id)).set(staff.auth).expect(403);
        expect(res.body.errors[0].detail).toBe(
          'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)',
        );
      },
    );

    it('forbids a read-only user, who lacks token.revoke', async () => {
      const ro = await given(t).user(a.account, { role: 'read-only' });
      const { tok } = await userToken();
      const res = await t.http.delete(url(tok.token.id)).set(ro.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (read only lacks permission to perform action)',
      );
    });

    it('forbids revoking a global token from inside a shared environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const { tok } = await userToken();
      const res = await t.http.delete(url(tok.token.id)).set(env.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (record environment is not compatible with the current environment)',
      );
    });
  });

  describe('404', () => {
    it('reports a non-UUID id', async () => {
      const res = await t.http.delete(url('nope')).set(a.auth).expect(404);
      expect(res.body.errors[0].detail).toBe("The requested token 'nope' was not found");
    });

    it("hides another user's token from a user", async () => {
      const { tok } = await userToken();
      const other = await given(t).user(a.account);
      await t.http.delete(url(tok.token.id)).set(other.auth).expect(404);
      await t.http.get(url(tok.token.id)).set(a.auth).expect(200);
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const { tok } = await userToken();
      await t.http.delete(url(tok.token.id)).expect(401);
    });
  });
});
