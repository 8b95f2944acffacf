import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { DAY_MS, tokenBody, tokenPattern } from './helpers';

describe('/v1/accounts/:account/users/:user/tokens', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const url = (user: string, id?: string): string =>
    `${a.base}/users/${user}/tokens${id ? `/${id}` : ''}`;

  describe('GET (index)', () => {
    it("lists a user's tokens to an admin, by id and by e-mail", async () => {
      const u = await given(t).user(a.account);
      await given(t).token(a.account, {
        type: 'users',
        id: u.user.id,
        role: 'user',
        environmentId: null,
      });
      const byId = await t.http.get(url(u.user.id)).set(a.auth).expect(200);
      expect(byId.body.data).toHaveLength(2);
      for (const r of byId.body.data) {
        expect(r.relationships.bearer.data).toEqual({ type: 'users', id: u.user.id });
        expect(r.attributes.token).toBeUndefined();
      }
      const byEmail = await t.http.get(url(u.user.email)).set(a.auth).expect(200);
      expect(byEmail.body.data).toHaveLength(2);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      "lists a user's tokens to a %s",
      async (role) => {
        const staff = await given(t).user(a.account, { role });
        const u = await given(t).user(a.account);
        await t.http.get(url(u.user.id)).set(staff.auth).expect(200);
      },
    );

    it('lists a user its own tokens', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http.get(url(u.user.id)).set(u.auth).expect(200);
      expect(res.body.data).toHaveLength(1);
    });

    it("lists an environment its users' tokens, but not its admins'", async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      const res = await t.http.get(url(u.user.id)).set(env.auth).expect(200);
      expect(res.body.data).toHaveLength(1);
      await t.http.get(url(admin.user.id)).set(env.auth).expect(403);
    });

    it('404s for a user out of the caller scope', async () => {
      const u = await given(t).user(a.account);
      const other = await given(t).user(a.account);
      const res = await t.http.get(url(other.user.id)).set(u.auth).expect(404);
      expect(res.body.errors).toEqual([
        {
          title: 'Not found',
          detail: `The requested user '${other.user.id}' was not found`,
          code: 'NOT_FOUND',
        },
      ]);
      await t.http.get(url('nobody@example.com')).set(a.auth).expect(404);
    });

    it('403s a token without token.read', async () => {
      const u = await given(t).user(a.account);
      const limited = await given(t).token(
        a.account,
        { type: 'users', id: u.user.id, role: 'user', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await t.http
        .get(url(u.user.id))
        .set('Authorization', `Bearer ${limited.raw}`)
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
    });

    it('401s without authentication', async () => {
      await t.http.get(url(a.admin.id)).expect(401);
    });
  });

  describe('GET (show)', () => {
    it('renders one of the user tokens', async () => {
      const u = await given(t).user(a.account);
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: u.user.id, role: 'user', environmentId: null },
        { name: 'n' },
      );
      const res = await t.http.get(url(u.user.id, tok.token.id)).set(a.auth).expect(200);
      expect(res.body.data).toMatchObject({
        id: tok.token.id,
        type: 'tokens',
        attributes: { kind: 'user-token', name: 'n' },
      });
      await t.http.get(url(u.user.id, tok.token.id)).set(u.auth).expect(200);
    });

    it('404s a token of another user, and a non-UUID id', async () => {
      const u = await given(t).user(a.account);
      const other = await given(t).user(a.account);
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: other.user.id,
        role: 'user',
        environmentId: null,
      });
      const res = await t.http.get(url(u.user.id, tok.token.id)).set(a.auth).expect(404);
      expect(res.body.errors[0].detail).toBe(`The requested token '${tok.token.id}' was not found`);
      const bad = await t.http.get(url(u.user.id, 'nope')).set(a.auth).expect(404);
      expect(bad.body.errors[0].detail).toBe("The requested token 'nope' was not found");
    });
  });

  describe('POST (create)', () => {
    it('answers 200 with a new admin token for the admin itself, without expiry or Location', async () => {
      const res = await t.http.post(url(a.admin.id)).set(a.auth).expect(200);
      expect(res.body.data.attributes).toMatchObject({ kind: 'admin-token', expiry: null });
      expect(res.body.data.attributes.token).toMatch(tokenPattern('admin'));
      expect(res.headers.location).toBeUndefined();
      expect(t.events.named('token.generated', a.id).map((e) => e.resource.id)).toContain(
        res.body.data.id,
      );
    });

    it('gives a user-role user the default 14 day expiry, password or not', async () => {
      for (const password of [undefined, null]) {
        const u = await given(t).user(a.account, { password });
        const res = await t.http.post(url(u.user.id)).set(a.auth).expect(200);
        expect(res.body.data.attributes.kind).toBe('user-token');
        expect(Date.parse(res.body.data.attributes.expiry)).toBeCloseTo(
          t.clock.now().getTime() + 14 * DAY_MS,
          -4,
        );
      }
    });

    it('accepts a name, an expiry and permissions from an admin', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url(u.user.email))
        .set(a.auth)
        .send(
          tokenBody({
            attributes: { name: 'Named', expiry: null, permissions: ['license.validate'] },
          }),
        )
        .expect(200);
      expect(res.body.data.attributes).toMatchObject({
        name: 'Named',
        expiry: null,
        permissions: ['license.validate'],
      });
    });

    it('lets a developer and an environment generate tokens for user-role users', async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const u = await given(t).user(a.account);
      await t.http.post(url(u.user.id)).set(dev.auth).expect(200);
      const env = await given(t).environment(a.account);
      const envUser = await given(t).user(a.account, { environment: env.environment });
      const res = await t.http.post(url(envUser.user.id)).set(env.auth).expect(200);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });

    it('lets a global admin generate a shared-environment token for a global user from the global environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url(u.user.id))
        .set(a.auth)
        .send(
          tokenBody({
            attributes: { name: 'Shared Token' },
            relationships: {
              environment: { data: { type: 'environments', id: env.environment.id } },
            },
          }),
        )
        .expect(200);
      expect(res.body.data.relationships.environment).toEqual({
        links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
        data: { type: 'environments', id: env.environment.id },
      });
      expect(res.headers['keygen-environment']).toBeUndefined();
    });

    it('forbids a global token for the admin itself from inside a shared environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .post(url(a.admin.id))
        .set(a.auth)
        .set('Keygen-Environment', env.environment.code)
        .send(tokenBody({ relationships: { environment: { data: null } } }))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (record environment is not compatible with the current environment)',
      );
    });

    it('forbids an admin generating a token for another admin', async () => {
      const other = await given(t).user(a.account, { role: 'admin' });
      await t.http.post(url(other.user.id)).set(a.auth).expect(403);
    });

    it('forbids a sales agent, and a user for itself (no user.tokens.generate)', async () => {
      const sales = await given(t).user(a.account, { role: 'sales-agent' });
      const u = await given(t).user(a.account);
      const res = await t.http.post(url(u.user.id)).set(sales.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)',
      );
      const self = await t.http.post(url(u.user.id)).set(u.auth).expect(403);
      expect(self.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (user lacks permission to perform action)',
      );
    });

    it('rejects permissions from a user bearer as unpermitted (params before policy)', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url(u.user.id))
        .set(u.auth)
        .send(tokenBody({ attributes: { permissions: ['license.read'] } }))
        .expect(400);
      expect(res.body.errors[0]).toEqual({
        title: 'Bad request',
        detail: 'unpermitted parameter',
        source: { pointer: '/data/attributes/permissions' },
      });
    });

    it('rejects a bearer relationship', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url(u.user.id))
        .set(a.auth)
        .send(tokenBody({ relationships: { bearer: { data: { type: 'users', id: a.admin.id } } } }))
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({
        detail: 'unpermitted parameter',
        source: { pointer: '/data/relationships/bearer' },
      });
    });

    it("rejects permissions beyond the user's", async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url(u.user.id))
        .set(a.auth)
        .send(tokenBody({ attributes: { permissions: ['license.create', 'admin.read'] } }))
        .expect(422);
      expect(res.body.errors[0]).toMatchObject({
        code: 'PERMISSIONS_NOT_ALLOWED',
        source: { pointer: '/data/attributes/permissions' },
      });
    });

    it('404s an unknown user before validating the body', async () => {
      const res = await t.http
        .post(url('nobody@example.com'))
        .set(a.auth)
        .send({ data: { type: 'nope' } })
        .expect(404);
      expect(res.body.errors[0].detail).toBe(
        "The requested user 'nobody@example.com' was not found",
      );
    });
  });
});
