import type { TokenView } from '@app/modules/tokens/token.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { DAY_MS, bearer, tokenPattern } from './helpers';

describe('PUT /v1/accounts/:account/tokens[/:id]', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const url = (id?: string): string => (id ? `${a.base}/tokens/${id}` : `${a.base}/tokens`);
  const adminToken = () =>
    given(t).token(a.account, {
      type: 'users',
      id: a.admin.id,
      role: 'admin',
      environmentId: null,
    });
  const userWithToken = async (expiry: Date | null = null) => {
    const u = await given(t).user(a.account);
    const tok = await given(t).token(
      a.account,
      { type: 'users', id: u.user.id, role: 'user', environmentId: null },
      { expiry, name: 'Mine', permissions: ['license.read', 'token.regenerate'] },
    );
    return { ...u, tok };
  };

  describe('200', () => {
    it('regenerates the current token with PUT /tokens, keeping a null expiry', async () => {
      const { token, raw } = await adminToken();
      const res = await t.http.put(url()).set(bearer(raw)).expect(200);
      expect(res.body.data.id).toBe(token.id);
      expect(res.body.data.attributes).toMatchObject({ kind: 'admin-token', expiry: null });
      expect(res.body.data.attributes.token).toMatch(tokenPattern('admin'));
      expect(res.body.data.attributes.token).not.toBe(raw);
      expect(res.headers['keygen-token']).toBe(token.id);
      expect(res.headers.location).toBeUndefined();

      const old = await t.http.get(url(token.id)).set(bearer(raw)).expect(401);
      expect(old.body.errors[0].code).toBe('TOKEN_INVALID');
      await t.http.get(url(token.id)).set(bearer(res.body.data.attributes.token)).expect(200);
    });

    it('moves a set expiry to 14 days from now and keeps name and permissions', async () => {
      const { tok } = await userWithToken(new Date(t.clock.now().getTime() + 7 * DAY_MS));
      t.clock.advance(DAY_MS);
      try {
        const res = await t.http.put(url()).set(bearer(tok.raw)).expect(200);
        expect(Date.parse(res.body.data.attributes.expiry)).toBeCloseTo(
          t.clock.now().getTime() + 14 * DAY_MS,
          -4,
        );
        expect(res.body.data.attributes).toMatchObject({
          kind: 'user-token',
          name: 'Mine',
          permissions: ['license.read', 'token.regenerate'],
        });
        expect(res.body.data.attributes.token).toMatch(tokenPattern('user'));
        expect(Date.parse(res.body.data.attributes.updated)).toBeGreaterThan(
          Date.parse(res.body.data.attributes.created),
        );
      } finally {
        t.clock.reset();
      }
    });

    it('emits token.regenerated without the raw value', async () => {
      const { tok } = await userWithToken();
      await t.http.put(url(tok.token.id)).set(bearer(tok.raw)).expect(200);
      const events = t.events
        .named('token.regenerated', a.id)
        .filter((e) => e.resource.id === tok.token.id);
      expect(events).toHaveLength(1);
      expect((events[0].resource.record as TokenView).raw).toBeUndefined();
    });

    it("lets an admin regenerate a user's token", async () => {
      const { tok } = await userWithToken();
      const res = await t.http.put(url(tok.token.id)).set(a.auth).expect(200);
      expect(res.body.data.attributes.token).toMatch(tokenPattern('user'));
      await t.http.get(url(tok.token.id)).set(bearer(tok.raw)).expect(401);
    });

    it("lets an admin regenerate an environment's token from inside that shared environment", async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const extra = await given(t).token(a.account, {
        type: 'environments',
        id: env.environment.id,
        role: 'environment',
        environmentId: env.environment.id,
      });
      const res = await t.http
        .put(url(`${extra.token.id}?environment=${env.environment.code}`))
        .set(a.auth)
        .expect(200);
      expect(res.body.data.attributes.kind).toBe('environment-token');
      expect(res.body.data.attributes.token).toMatch(tokenPattern('env'));
    });

    it('lets an environment regenerate its own token and its users tokens', async () => {
      const env = await given(t).environment(a.account);
      const own = await given(t).token(a.account, {
        type: 'environments',
        id: env.environment.id,
        role: 'environment',
        environmentId: env.environment.id,
      });
      await t.http.put(url(own.token.id)).set(env.auth).expect(200);
      const u = await given(t).user(a.account, { environment: env.environment });
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: u.user.id,
        role: 'user',
        environmentId: env.environment.id,
      });
      await t.http.put(url(tok.token.id)).set(env.auth).expect(200);
    });

    it('lets a sales agent regenerate its own token', async () => {
      const sales = await given(t).user(a.account, { role: 'sales-agent' });
      const res = await t.http.put(url()).set(sales.auth).expect(200);
      expect(res.body.data.attributes.token).toMatch(tokenPattern('sales'));
    });
  });

  describe('401', () => {
    it('rejects an expired current token', async () => {
      const { tok } = await userWithToken(new Date(t.clock.now().getTime() + DAY_MS));
      t.clock.advance(2 * DAY_MS);
      try {
        const res = await t.http.put(url()).set(bearer(tok.raw)).expect(401);
        expect(res.body.errors[0]).toMatchObject({
          code: 'TOKEN_EXPIRED',
          detail: 'Token is expired',
        });
      } finally {
        t.clock.reset();
      }
    });

    it('rejects a bad token', async () => {
      const res = await t.http.put(url()).set(bearer('someBadToken')).expect(401);
      expect(res.body.errors[0]).toEqual({
        title: 'Unauthorized',
        detail: 'You must be authenticated to complete the request',
        code: 'TOKEN_INVALID',
        links: { about: 'https://keygen.sh/docs/api/authentication/#token-authentication' },
      });
    });
  });

  describe('403', () => {
    it("forbids an admin regenerating another admin's token", async () => {
      const other = await given(t).user(a.account, { role: 'admin' });
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: other.user.id,
        role: 'admin',
        environmentId: null,
      });
      const res = await t.http.put(url(tok.token.id)).set(a.auth).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)',
        },
      ]);
    });

    it("forbids a developer regenerating an admin's or a sales agent's token", async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const sales = await given(t).user(a.account, { role: 'sales-agent' });
      const adminTok = await adminToken();
      const salesTok = await given(t).token(a.account, {
        type: 'users',
        id: sales.user.id,
        role: 'sales-agent',
        environmentId: null,
      });
      await t.http.put(url(adminTok.token.id)).set(dev.auth).expect(403);
      await t.http.put(url(salesTok.token.id)).set(dev.auth).expect(403);
    });

    it("forbids a sales agent regenerating a user's token", async () => {
      const sales = await given(t).user(a.account, { role: 'sales-agent' });
      const { tok } = await userWithToken();
      await t.http.put(url(tok.token.id)).set(sales.auth).expect(403);
    });

    it('forbids a read-only user, who lacks token.regenerate', async () => {
      const ro = await given(t).user(a.account, { role: 'read-only' });
      const res = await t.http.put(url()).set(ro.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (read only lacks permission to perform action)',
      );
    });

    it('forbids regenerating a global token from inside a shared environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const { tok } = await userWithToken();
      const res = await t.http
        .put(url(tok.token.id))
        .set(a.auth)
        .set('Keygen-Environment', env.environment.code)
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (record environment is not compatible with the current environment)',
      );
    });
  });

  describe('404', () => {
    it.each(['nope', '2845d39b-050f-417a-8f06-a50f31c2b792'])('reports token %s', async (id) => {
      const res = await t.http.put(url(id)).set(a.auth).expect(404);
      expect(res.body.errors[0]).toEqual({
        title: 'Not found',
        detail: `The requested token '${id}' was not found`,
        code: 'NOT_FOUND',
      });
    });

    it("hides another user's token from a user", async () => {
      const { tok } = await userWithToken();
      const other = await given(t).user(a.account);
      await t.http.put(url(tok.token.id)).set(other.auth).expect(404);
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
      await t.http.put(url(tok.token.id)).set(env.auth).expect(404);
    });
  });
});
