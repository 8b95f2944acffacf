import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { ISO_MS, bearer } from './helpers';

describe('GET /v1/accounts/:account/tokens/:id', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const url = (id: string): string => `${a.base}/tokens/${id}`;
  const userToken = async (opts: { permissions?: string[]; name?: string } = {}) => {
    const u = await given(t).user(a.account);
    const tok = await given(t).token(
      a.account,
      { type: 'users', id: u.user.id, role: 'user', environmentId: null },
      opts,
    );
    return { ...u, tok };
  };

  describe('200', () => {
    it('renders a token to an admin, without its raw value', async () => {
      const { user, tok } = await userToken({
        name: 'CI',
        permissions: ['license.read', 'license.validate'],
      });
      const res = await t.http.get(url(tok.token.id)).set(a.auth).expect(200);
      expect(res.body.data).toEqual({
        id: tok.token.id,
        type: 'tokens',
        attributes: {
          kind: 'user-token',
          expiry: null,
          name: 'CI',
          permissions: ['license.read', 'license.validate'],
          created: expect.stringMatching(ISO_MS),
          updated: expect.stringMatching(ISO_MS),
        },
        relationships: {
          account: {
            links: { related: `/v1/accounts/${a.id}` },
            data: { type: 'accounts', id: a.id },
          },
          environment: { links: { related: null }, data: null },
          bearer: {
            links: { related: `/v1/accounts/${a.id}/users/${user.id}` },
            data: { type: 'users', id: user.id },
          },
        },
        links: { self: `/v1/accounts/${a.id}/tokens/${tok.token.id}` },
      });
    });

    it('accepts the id in upper case and without dashes', async () => {
      const { tok } = await userToken();
      const res = await t.http
        .get(url(tok.token.id.replace(/-/g, '').toUpperCase()))
        .set(a.auth)
        .expect(200);
      expect(res.body.data.id).toBe(tok.token.id);
    });

    it('intersects token and bearer permissions when neither is a wildcard', async () => {
      const u = await given(t).user(a.account, { permissions: ['license.read', 'token.read'] });
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: u.user.id, role: 'user', environmentId: null },
        { permissions: ['license.read', 'machine.read'] },
      );
      const res = await t.http.get(url(tok.token.id)).set(a.auth).expect(200);
      expect(res.body.data.attributes.permissions).toEqual(['license.read']);
    });

    it('shows a wildcard when both token and bearer hold one', async () => {
      const u = await given(t).user(a.account, { permissions: ['*'] });
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: u.user.id,
        role: 'user',
        environmentId: null,
      });
      const res = await t.http.get(url(tok.token.id)).set(a.auth).expect(200);
      expect(res.body.data.attributes.permissions).toEqual(['*']);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s read any token',
      async (role) => {
        const staff = await given(t).user(a.account, { role });
        const { tok } = await userToken();
        await t.http.get(url(tok.token.id)).set(staff.auth).expect(200);
      },
    );

    it('lets a user read its own token', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http.get(`${a.base}/tokens`).set(u.auth).expect(200);
      const id = res.body.data[0].id as string;
      await t.http.get(url(id)).set(u.auth).expect(200);
    });

    it('lets an environment read its tokens', async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: u.user.id,
        role: 'user',
        environmentId: env.environment.id,
      });
      await t.http.get(url(tok.token.id)).set(env.auth).expect(200);
    });
  });

  describe('403', () => {
    it('rejects a token without token.read', async () => {
      const { tok } = await userToken();
      const limited = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await t.http.get(url(tok.token.id)).set(bearer(limited.raw)).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
    });
  });

  describe('404', () => {
    it.each(['nope', 'ab3c5b04'])('reports a non-UUID id %s', async (id) => {
      const res = await t.http.get(url(id)).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([
        {
          title: 'Not found',
          detail: `The requested token '${id}' was not found`,
          code: 'NOT_FOUND',
        },
      ]);
    });

    it('reports an unknown id', async () => {
      const id = '2845d39b-050f-417a-8f06-a50f31c2b792';
      const res = await t.http.get(url(id)).set(a.auth).expect(404);
      expect(res.body.errors[0].detail).toBe(`The requested token '${id}' was not found`);
    });

    it("hides another user's token from a user", async () => {
      const { tok } = await userToken();
      const other = await given(t).user(a.account);
      await t.http.get(url(tok.token.id)).set(other.auth).expect(404);
    });

    it("hides an admin's token from a user", async () => {
      const u = await given(t).user(a.account);
      const res = await t.http.get(`${a.base}/tokens?bearer[role]=admin`).set(a.auth).expect(200);
      await t.http.get(url(res.body.data[0].id)).set(u.auth).expect(404);
    });

    it('hides tokens of other environments and of other accounts', async () => {
      const env = await given(t).environment(a.account);
      await t.http
        .get(
          url(
            (
              await given(t).token(a.account, {
                type: 'environments',
                id: env.environment.id,
                role: 'environment',
                environmentId: env.environment.id,
              })
            ).token.id,
          ),
        )
        .set(a.auth)
        .expect(404);
      const other = await given(t).account();
      const foreign = await given(t).token(other.account, {
        type: 'users',
        id: other.admin.id,
        role: 'admin',
        environmentId: null,
      });
      await t.http.get(url(foreign.token.id)).set(a.auth).expect(404);
    });

    it("hides an admin's token from an environment", async () => {
      const env = await given(t).environment(a.account);
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: admin.user.id,
        role: 'admin',
        environmentId: env.environment.id,
      });
      await t.http.get(url(tok.token.id)).set(env.auth).expect(404);
    });
  });
});
