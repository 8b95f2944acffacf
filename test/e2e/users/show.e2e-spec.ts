import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../support/factories';
import { FORBIDDEN, FORBIDDEN_BEARER, expectSigned } from './support';

describe('GET /v1/accounts/:account/users/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let user: GivenUser;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    user = await g.user(a.account, {
      email: 'Clark.Kent@Example.com',
      firstName: 'Clark',
      lastName: 'Kent',
      metadata: { customer_id: 'c1', nested_hash: { inner_key: 1 } },
    });
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('renders the user exactly as Keygen does', async () => {
      const res = await t.http.get(`${a.base}/users/${user.user.id}`).set(a.auth).expect(200);
      expectSigned(res);
      const u = user.user;
      const base = `/v1/accounts/${a.id}`;
      expect(res.body).toEqual({
        data: {
          id: u.id,
          type: 'users',
          attributes: {
            fullName: 'Clark Kent',
            firstName: 'Clark',
            lastName: 'Kent',
            email: 'clark.kent@example.com',
            status: 'ACTIVE',
            role: 'user',
            permissions: [...u.permissions].sort(),
            metadata: { customerId: 'c1', nestedHash: { innerKey: 1 } },
            created: u.createdAt.toISOString(),
            updated: u.updatedAt.toISOString(),
          },
          relationships: {
            account: { links: { related: base }, data: { type: 'accounts', id: a.id } },
            environment: { links: { related: null }, data: null },
            group: { links: { related: `${base}/users/${u.id}/group` }, data: null },
            products: { links: { related: `${base}/users/${u.id}/products` } },
            licenses: { links: { related: `${base}/users/${u.id}/licenses` } },
            machines: { links: { related: `${base}/users/${u.id}/machines` } },
            tokens: { links: { related: `${base}/users/${u.id}/tokens` } },
            secondFactors: { links: { related: `${base}/users/${u.id}/second-factors` } },
          },
          links: { self: `${base}/users/${u.id}` },
        },
      });
      expect(Object.keys(res.body.data.attributes)).toEqual([
        'fullName',
        'firstName',
        'lastName',
        'email',
        'status',
        'role',
        'permissions',
        'metadata',
        'created',
        'updated',
      ]);
    });

    it('looks the user up by e-mail, case-insensitively', async () => {
      const res = await t.http
        .get(`${a.base}/users/CLARK.kent@example.COM`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data.id).toBe(user.user.id);
    });

    it('looks the user up by a dashless, upper-case UUID', async () => {
      const id = user.user.id.replace(/-/g, '').toUpperCase();
      const res = await t.http.get(`${a.base}/users/${id}`).set(a.auth).expect(200);
      expect(res.body.data.id).toBe(user.user.id);
    });

    it('uses the account UUID in links when addressed by slug', async () => {
      const res = await t.http
        .get(`/v1/accounts/${a.slug}/users/${user.user.id}`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data.links.self).toBe(`/v1/accounts/${a.id}/users/${user.user.id}`);
    });

    it('renders fullName null unless both names are set', async () => {
      const half = await g.user(a.account, { firstName: 'Only' });
      const res = await t.http.get(`${a.base}/users/${half.user.id}`).set(a.auth).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        fullName: null,
        firstName: 'Only',
        lastName: null,
      });
    });

    it('renders a wildcard permission set as ["*"]', async () => {
      const wild = await g.user(a.account, { role: 'admin', permissions: ['*'] });
      const res = await t.http.get(`${a.base}/users/${wild.user.id}`).set(a.auth).expect(200);
      expect(res.body.data.attributes.permissions).toEqual(['*']);
      expect(res.body.data.attributes.role).toBe('admin');
    });

    it('renders dasherized roles', async () => {
      const sales = await g.user(a.account, { role: 'sales-agent' });
      const res = await t.http.get(`${a.base}/users/${sales.user.id}`).set(a.auth).expect(200);
      expect(res.body.data.attributes.role).toBe('sales-agent');
    });

    it('is INACTIVE 90 days after creation and BANNED when banned', async () => {
      const old = await g.user(a.account);
      const banned = await g.user(a.account, { banned: true });
      t.clock.advance(91 * 24 * 3600 * 1000);
      try {
        const res = await t.http.get(`${a.base}/users/${old.user.id}`).set(a.auth).expect(200);
        expect(res.body.data.attributes.status).toBe('INACTIVE');
        const res2 = await t.http.get(`${a.base}/users/${banned.user.id}`).set(a.auth).expect(200);
        expect(res2.body.data.attributes.status).toBe('BANNED');
      } finally {
        t.clock.reset();
      }
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s read a user',
      async (role) => {
        const staff = await g.user(a.account, { role });
        await t.http.get(`${a.base}/users/${user.user.id}`).set(staff.auth).expect(200);
      },
    );

    it('lets a user read itself', async () => {
      const res = await t.http.get(`${a.base}/users/${user.user.id}`).set(user.auth).expect(200);
      expect(res.body.data.id).toBe(user.user.id);
      expect(res.headers['keygen-bearer']).toBe(user.user.id);
    });

    it('lets an environment read a user of its environment', async () => {
      const env = await g.environment(a.account);
      const envUser = await g.user(a.account, { environment: env.environment });
      const res = await t.http.get(`${a.base}/users/${envUser.user.id}`).set(env.auth).expect(200);
      expect(res.body.data.relationships.environment).toEqual({
        links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
        data: { type: 'environments', id: env.environment.id },
      });
    });

    it('lets a shared environment see global users', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      await t.http.get(`${a.base}/users/${user.user.id}`).set(env.auth).expect(200);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http.get(`${a.base}/users/${user.user.id}`).expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_MISSING' });
      expectSigned(res);
    });

    it("rejects another account's token", async () => {
      const other = await g.account();
      const res = await t.http.get(`${a.base}/users/${user.user.id}`).set(other.auth).expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_INVALID' });
    });

    it('rejects a revoked token', async () => {
      const staff = await g.user(a.account, { role: 'developer' });
      await t.ds.query(`DELETE FROM tokens WHERE bearer_id = $1`, [staff.user.id]);
      const res = await t.http.get(`${a.base}/users/${user.user.id}`).set(staff.auth).expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_INVALID' });
    });

    it('rejects an expired token', async () => {
      const expired = await g.user(a.account, {
        role: 'admin',
        tokenExpiry: new Date(Date.now() - 1000),
      });
      const res = await t.http.get(`${a.base}/users/${user.user.id}`).set(expired.auth).expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_EXPIRED' });
    });
  });

  describe('403', () => {
    it('checks user.read after the lookup: a user without it may not read itself', async () => {
      const noRead = await g.user(a.account, { permissions: ['license.read'] });
      const res = await t.http
        .get(`${a.base}/users/${noRead.user.id}`)
        .set(noRead.auth)
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (user lacks permission to perform action)`,
      );
      // ...while other users stay out of its scope (404 before 403, as in Keygen).
      await t.http.get(`${a.base}/users/${user.user.id}`).set(noRead.auth).expect(404);
    });

    it('needs admin.read to read an admin', async () => {
      const limited = await g.user(a.account, { role: 'admin', permissions: ['user.read'] });
      const res = await t.http.get(`${a.base}/users/${a.admin.id}`).set(limited.auth).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail: `${FORBIDDEN} (admin lacks permission to perform action)`,
        },
      ]);
    });

    it('refuses a token lacking user.read', async () => {
      const tok = await g.token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        {
          permissions: ['license.read'],
        },
      );
      const res = await t.http
        .get(`${a.base}/users/${user.user.id}`)
        .set('Authorization', `Bearer ${tok.raw}`)
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (token lacks permission to perform action)`,
      );
    });

    it('refuses an environment reading a non-user role of its environment', async () => {
      const env = await g.environment(a.account);
      const dev = await g.user(a.account, { role: 'developer', environment: env.environment });
      const res = await t.http.get(`${a.base}/users/${dev.user.id}`).set(env.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(FORBIDDEN_BEARER);
    });
  });

  describe('404', () => {
    it('reports an unknown alias with the lower-cased value', async () => {
      const res = await t.http.get(`${a.base}/users/Nobody@Example.com`).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([
        {
          title: 'Not found',
          detail: "The requested user 'nobody@example.com' was not found",
          code: 'NOT_FOUND',
        },
      ]);
      expectSigned(res);
    });

    it('reports a malformed UUID as not found', async () => {
      const res = await t.http.get(`${a.base}/users/1234-not-a-uuid`).set(a.auth).expect(404);
      expect(res.body.errors[0].detail).toBe("The requested user '1234-not-a-uuid' was not found");
    });

    it("does not find another account's user", async () => {
      const other = await g.account();
      const res = await t.http.get(`${a.base}/users/${other.admin.id}`).set(a.auth).expect(404);
      expect(res.body.errors[0].detail).toBe(
        `The requested user '${other.admin.id}' was not found`,
      );
    });

    it('hides other users from a user', async () => {
      const other = await g.user(a.account);
      await t.http.get(`${a.base}/users/${other.user.id}`).set(user.auth).expect(404);
    });

    it('hides users of an isolated environment from the global environment', async () => {
      const env = await g.environment(a.account);
      const envUser = await g.user(a.account, { environment: env.environment });
      await t.http.get(`${a.base}/users/${envUser.user.id}`).set(a.auth).expect(404);
    });

    it('hides global users from an isolated environment', async () => {
      const env = await g.environment(a.account);
      await t.http.get(`${a.base}/users/${user.user.id}`).set(env.auth).expect(404);
    });
  });
});
