import type { Environment } from '@app/modules/environments/environment.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../support/factories';
import { bearer } from './helpers';

describe('GET /v1/accounts/:account/tokens', () => {
  let t: TestApp;
  let a: GivenAccount;
  let users: GivenUser[];
  let developer: GivenUser;
  let productTokens: string[];
  let licenseTokens: string[];
  let env: { environment: Environment; token: string; auth: Record<string, string> };
  let envUser: GivenUser;
  let envAdmin: GivenUser;

  const PRODUCT_ID = '2845d39b-050f-417a-8f06-a50f31c2b792';
  const LICENSE_ID = '7c1f0e2a-5b7d-4a51-9f3e-0d6c1e2b3a4f';

  beforeAll(async () => {
    t = await bootApp();
    const g = given(t);
    a = await g.account();
    users = [await g.user(a.account), await g.user(a.account), await g.user(a.account)];
    developer = await g.user(a.account, { role: 'developer' });
    productTokens = [];
    licenseTokens = [];
    for (let i = 0; i < 2; i++) {
      productTokens.push(
        (
          await g.token(a.account, {
            type: 'products',
            id: PRODUCT_ID,
            role: 'product',
            environmentId: null,
          })
        ).token.id,
      );
    }
    licenseTokens.push(
      (
        await g.token(a.account, {
          type: 'licenses',
          id: LICENSE_ID,
          role: 'license',
          environmentId: null,
        })
      ).token.id,
    );
    env = await g.environment(a.account);
    envUser = await g.user(a.account, { environment: env.environment });
    envAdmin = await g.user(a.account, { role: 'admin', environment: env.environment });
    // a global admin's token minted inside the environment
    await g.token(
      a.account,
      { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
      { environmentId: env.environment.id },
    );
  });
  afterAll(() => t.close());

  const url = (query = ''): string => `${a.base}/tokens${query}`;
  const ids = (body: { data: Array<{ id: string }> }): string[] => body.data.map((r) => r.id);

  describe('200', () => {
    it('lists every global token to an admin, newest first, without raw values', async () => {
      const res = await t.http.get(url('?limit=100')).set(a.auth).expect(200);
      // admin + 3 users + developer + 2 product + 1 license
      expect(res.body.data).toHaveLength(8);
      expect(res.body.links).toBeUndefined();
      const created = res.body.data.map((r: { attributes: { created: string } }) =>
        Date.parse(r.attributes.created),
      );
      expect([...created].sort((x, y) => y - x)).toEqual(created);
      for (const r of res.body.data) {
        expect(r.type).toBe('tokens');
        expect(r.attributes.token).toBeUndefined();
        expect(r.relationships.environment.data).toBeNull();
      }
    });

    it('renders kind and permissions from each bearer', async () => {
      const res = await t.http
        .get(url(`?bearer[type]=user&bearer[id]=${developer.user.id}`))
        .set(a.auth)
        .expect(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0].attributes.kind).toBe('developer-token');
      expect(res.body.data[0].relationships.bearer.data).toEqual({
        type: 'users',
        id: developer.user.id,
      });
    });

    it('renders tokens whose bearer cannot be loaded as orphaned', async () => {
      const res = await t.http.get(url('?bearer[type]=license')).set(a.auth).expect(200);
      expect(ids(res.body)).toEqual(licenseTokens);
      expect(res.body.data[0].attributes.kind).toBe('orphaned-token');
      expect(res.body.data[0].relationships.bearer).toEqual({
        links: { related: `/v1/accounts/${a.id}/licenses/${LICENSE_ID}` },
        data: { type: 'licenses', id: LICENSE_ID },
      });
    });

    it.each([
      ['bearer[type]=product', 2],
      ['bearer[type]=products', 2],
      ['bearer[type]=users', 5],
      ['bearer[role]=admin', 1],
      ['bearer[role]=user', 3],
      ['bearer[role][]=license&bearer[role][]=user', 4],
      ['bearer[role][]=developer&bearer[role][]=admin', 2],
      ['bearer[role]=sales_agent', 0],
      ['bearer[type]=user&bearer[role]=developer', 1],
      [`bearer[id]=${PRODUCT_ID}`, 2],
    ])('filters with %s', async (query, count) => {
      const res = await t.http
        .get(url(`?${query}&limit=100`))
        .set(a.auth)
        .expect(200);
      expect(res.body.data).toHaveLength(count);
    });

    it.each([
      'bearer[type]=',
      'bearer[type]=&bearer[id]=',
      'bearer[type]=accounts',
      'bearer[id]=nope',
      'bearer[role]=owner',
    ])('returns nothing for %s', async (query) => {
      const res = await t.http
        .get(url(`?${query}`))
        .set(a.auth)
        .expect(200);
      expect(res.body.data).toEqual([]);
    });

    it('paginates with links', async () => {
      const res = await t.http.get(url('?page[size]=3&page[number]=2')).set(a.auth).expect(200);
      expect(res.body.data).toHaveLength(3);
      expect(res.body.links.meta).toEqual({ pages: 3, count: 8 });
    });

    it('lists the same set to a read-only user', async () => {
      const ro = await given(t).user(a.account, { role: 'read-only' });
      const res = await t.http.get(url('?limit=100')).set(ro.auth).expect(200);
      expect(res.body.data).toHaveLength(9);
    });

    it('lists a user only its own tokens', async () => {
      const res = await t.http.get(url('?limit=100')).set(users[0].auth).expect(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0].relationships.bearer.data).toEqual({
        type: 'users',
        id: users[0].user.id,
      });
      expect(res.body.data[0].attributes.kind).toBe('user-token');
    });

    it("gives a user nothing when filtering on another user's tokens", async () => {
      const res = await t.http
        .get(url(`?bearer[type]=user&bearer[id]=${users[1].user.id}`))
        .set(users[0].auth)
        .expect(200);
      expect(res.body.data).toEqual([]);
    });

    it("lists an environment its environment's tokens except admins'", async () => {
      const res = await t.http.get(url('?limit=100')).set(env.auth).expect(200);
      const bearers = res.body.data.map(
        (r: { relationships: { bearer: { data: { id: string } } } }) =>
          r.relationships.bearer.data.id,
      );
      expect(bearers.sort()).toEqual([env.environment.id, envUser.user.id].sort());
      expect(bearers).not.toContain(envAdmin.user.id);
      expect(bearers).not.toContain(a.admin.id);
    });

    it('lists an admin only the tokens of the current environment', async () => {
      const res = await t.http
        .get(url('?limit=100'))
        .set('Authorization', `Bearer ${envAdmin.token}`)
        .set('Keygen-Environment', env.environment.code)
        .expect(200);
      // the env token, its user's, its admin's and the global admin's token minted there
      expect(res.body.data).toHaveLength(4);
      for (const r of res.body.data) {
        expect(r.relationships.environment.data).toEqual({
          type: 'environments',
          id: env.environment.id,
        });
      }
    });

    it('adds global tokens in a shared environment, still hiding admins from the environment', async () => {
      const shared = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http.get(url('?limit=100')).set(shared.auth).expect(200);
      const bearers = res.body.data.map(
        (r: { relationships: { bearer: { data: { id: string } } } }) =>
          r.relationships.bearer.data.id,
      );
      expect(bearers).toContain(shared.environment.id);
      expect(bearers).toContain(users[0].user.id);
      expect(bearers).toContain(developer.user.id);
      expect(bearers).not.toContain(a.admin.id);
      expect(bearers).not.toContain(env.environment.id);
    });
  });

  describe('403', () => {
    it('rejects a token without token.read', async () => {
      const { raw } = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await t.http.get(url()).set(bearer(raw)).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (token lacks permission to perform action)',
        },
      ]);
    });

    it('rejects a user without token.read', async () => {
      const u = await given(t).user(a.account, { permissions: ['user.read'] });
      const res = await t.http.get(url()).set(u.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (user lacks permission to perform action)',
      );
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const res = await t.http.get(url()).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });
});
