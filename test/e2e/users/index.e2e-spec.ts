import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../support/factories';
import { FORBIDDEN, FORBIDDEN_BEARER, expectSigned } from './support';

describe('GET /v1/accounts/:account/users', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let users: GivenUser[];

  const ids = (res: { body: { data: Array<{ id: string }> } }): string[] =>
    res.body.data.map((u) => u.id);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    users = [];
    // Created a minute in the past, a second apart, so later users are always newer.
    t.clock.advance(-60_000);
    for (let i = 0; i < 3; i++) {
      users.push(
        await g.user(a.account, { metadata: { customer_id: `cust-${i}`, tier: i, vip: i === 0 } }),
      );
      t.clock.advance(1000);
    }
    t.clock.reset();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('lists user-role users only by default, newest first', async () => {
      const res = await t.http.get(`${a.base}/users`).set(a.auth).expect(200);
      expectSigned(res);
      expect(ids(res)).toEqual(users.map((u) => u.user.id).reverse());
      expect(res.body.links).toBeUndefined();
      expect(res.body.data[0]).toMatchObject({
        type: 'users',
        attributes: { role: 'user', status: 'ACTIVE' },
      });
    });

    it('orders oldest first with order=asc', async () => {
      const res = await t.http.get(`${a.base}/users?order=asc`).set(a.auth).expect(200);
      expect(ids(res)).toEqual(users.map((u) => u.user.id));
    });

    it('filters by roles (dasherized or underscored)', async () => {
      const sales = await g.user(a.account, { role: 'sales-agent' });
      const res = await t.http
        .get(`${a.base}/users?roles[]=admin&roles[]=sales_agent`)
        .set(a.auth)
        .expect(200);
      expect(ids(res).sort()).toEqual([a.admin.id, sales.user.id].sort());
      await t.ds.getRepository(User).delete({ id: sales.user.id });
    });

    it('returns nothing for unknown roles', async () => {
      const res = await t.http.get(`${a.base}/users?roles[]=wizard`).set(a.auth).expect(200);
      expect(res.body.data).toEqual([]);
    });

    it('filters by metadata, matching raw strings and cast values', async () => {
      const byString = await t.http
        .get(`${a.base}/users?metadata[customerId]=cust-1`)
        .set(a.auth)
        .expect(200);
      expect(ids(byString)).toEqual([users[1].user.id]);
      const byInteger = await t.http
        .get(`${a.base}/users?metadata[tier]=2`)
        .set(a.auth)
        .expect(200);
      expect(ids(byInteger)).toEqual([users[2].user.id]);
      const byBoolean = await t.http
        .get(`${a.base}/users?metadata[vip]=true&metadata[tier]=0`)
        .set(a.auth)
        .expect(200);
      expect(ids(byBoolean)).toEqual([users[0].user.id]);
      const none = await t.http
        .get(`${a.base}/users?metadata[tier]=1&metadata[vip]=true`)
        .set(a.auth)
        .expect(200);
      expect(none.body.data).toEqual([]);
    });

    it('excludes admins from metadata matches unless their role is requested', async () => {
      const meta = await g.user(a.account, {
        role: 'admin',
        metadata: { customer_id: 'staff-only' },
      });
      const res = await t.http
        .get(`${a.base}/users?metadata[customerId]=staff-only`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data).toEqual([]);
      const res2 = await t.http
        .get(`${a.base}/users?metadata[customerId]=staff-only&roles[]=admin`)
        .set(a.auth)
        .expect(200);
      expect(ids(res2)).toEqual([meta.user.id]);
      await t.ds.getRepository(User).delete({ id: meta.user.id });
    });

    it('filters by status', async () => {
      const banned = await g.user(a.account, { banned: true });
      const bannedRes = await t.http.get(`${a.base}/users?status=banned`).set(a.auth).expect(200);
      expect(ids(bannedRes)).toEqual([banned.user.id]);
      const active = await t.http.get(`${a.base}/users?status=ACTIVE`).set(a.auth).expect(200);
      expect(ids(active)).not.toContain(banned.user.id);
      expect(ids(active)).toHaveLength(3);
      const inactive = await t.http.get(`${a.base}/users?status=INACTIVE`).set(a.auth).expect(200);
      expect(inactive.body.data).toEqual([]);
      const invalid = await t.http.get(`${a.base}/users?status=nope`).set(a.auth).expect(200);
      expect(invalid.body.data).toEqual([]);

      t.clock.advance(91 * 24 * 3600 * 1000);
      try {
        const later = await t.http.get(`${a.base}/users?status=inactive`).set(a.auth).expect(200);
        expect(ids(later)).toHaveLength(3);
        expect(later.body.data[0].attributes.status).toBe('INACTIVE');
      } finally {
        t.clock.reset();
      }
      await t.ds.getRepository(User).delete({ id: banned.user.id });
    });

    it('applies the license and group filters (none match here; see licenses/nested-lists)', async () => {
      for (const q of ['assigned=true', `product=${a.id}`, 'license=x', `group=${a.id}`]) {
        const res = await t.http.get(`${a.base}/users?${q}`).set(a.auth).expect(200);
        expect(ids(res)).toEqual([]);
      }
      const res = await t.http.get(`${a.base}/users?assigned=false`).set(a.auth).expect(200);
      expect(ids(res)).toHaveLength(3);
    });

    it('paginates by offset with links', async () => {
      const res = await t.http
        .get(`${a.base}/users?page[number]=2&page[size]=2`)
        .set(a.auth)
        .expect(200);
      expect(ids(res)).toEqual([users[0].user.id]);
      const base = `${a.base}/users`;
      expect(res.body.links).toEqual({
        self: `${base}?page%5Bnumber%5D=2&page%5Bsize%5D=2`,
        prev: `${base}?page%5Bnumber%5D=1&page%5Bsize%5D=2`,
        next: null,
        first: `${base}?page%5Bnumber%5D=1&page%5Bsize%5D=2`,
        last: `${base}?page%5Bnumber%5D=2&page%5Bsize%5D=2`,
        meta: { pages: 2, count: 3 },
      });
    });

    it('paginates by cursor', async () => {
      const first = await t.http
        .get(`${a.base}/users?page[size]=2&page[cursor]=`)
        .set(a.auth)
        .expect(200);
      expect(ids(first)).toEqual([users[2].user.id, users[1].user.id]);
      expect(first.body.links.next).toContain(`page%5Bcursor%5D=${users[1].user.id}`);
      const second = await t.http
        .get(`${a.base}/users?page[size]=2&page[cursor]=${users[1].user.id}`)
        .set(a.auth)
        .expect(200);
      expect(ids(second)).toEqual([users[0].user.id]);
      expect(second.body.links.next).toBeNull();
    });

    it('honours limit', async () => {
      const res = await t.http.get(`${a.base}/users?limit=1`).set(a.auth).expect(200);
      expect(ids(res)).toEqual([users[2].user.id]);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s list users',
      async (role) => {
        const staff = await g.user(a.account, { role });
        const res = await t.http.get(`${a.base}/users`).set(staff.auth).expect(200);
        expect(ids(res)).toHaveLength(3);
        await t.ds.getRepository(User).delete({ id: staff.user.id });
      },
    );

    it('shows a user only itself', async () => {
      const res = await t.http.get(`${a.base}/users`).set(users[1].auth).expect(200);
      expect(ids(res)).toEqual([users[1].user.id]);
    });

    it('scopes an isolated environment to its own users', async () => {
      const env = await g.environment(a.account);
      const mine = await g.user(a.account, { environment: env.environment });
      const res = await t.http.get(`${a.base}/users`).set(env.auth).expect(200);
      expect(ids(res)).toEqual([mine.user.id]);
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
    });

    it('shows a shared environment its users plus global ones', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const mine = await g.user(a.account, { environment: env.environment });
      const res = await t.http.get(`${a.base}/users`).set(env.auth).expect(200);
      expect(ids(res)).toEqual([mine.user.id, ...users.map((u) => u.user.id).reverse()]);
    });

    it('lets a global admin list a shared environment: its users plus global ones', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const mine = await g.user(a.account, { environment: env.environment });
      const res = await t.http
        .get(`${a.base}/users?environment=${env.environment.code}`)
        .set(a.auth)
        .expect(200);
      expect(ids(res)).toEqual([mine.user.id, ...users.map((u) => u.user.id).reverse()]);
    });
  });

  describe('400', () => {
    it.each([
      ['limit=0', 'limit', 'limit must be a number between 1 and 100 (got 0)'],
      [
        'page[number]=1&page[size]=250',
        'page[size]',
        'page size must be a number between 1 and 100 (got 250)',
      ],
      [
        'page[number]=-1',
        'page[number]',
        'page number must be a number between 1 and 100 (got -1)',
      ],
      ['page[cursor]=foo', 'page[cursor]', 'page cursor must be a valid UUID (got "foo")'],
    ])('rejects %s', async (query, parameter, detail) => {
      const res = await t.http.get(`${a.base}/users?${query}`).set(a.auth).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { parameter } }]);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http.get(`${a.base}/users`).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it('refuses an environment listing staff of its environment', async () => {
      const env = await g.environment(a.account);
      await g.user(a.account, { role: 'read-only', environment: env.environment });
      const res = await t.http.get(`${a.base}/users?roles[]=read-only`).set(env.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: FORBIDDEN_BEARER }]);
    });

    it('needs admin.read to list admins', async () => {
      const limited = await g.user(a.account, { role: 'developer', permissions: ['user.read'] });
      await t.http.get(`${a.base}/users`).set(limited.auth).expect(200);
      const res = await t.http.get(`${a.base}/users?roles[]=admin`).set(limited.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (developer lacks permission to perform action)`,
      );
      await t.ds.getRepository(User).delete({ id: limited.user.id });
    });

    it('refuses bearers without user.read', async () => {
      const noRead = await g.user(a.account, { permissions: ['license.read'] });
      const res = await t.http.get(`${a.base}/users`).set(noRead.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (user lacks permission to perform action)`,
      );
      await t.ds.getRepository(User).delete({ id: noRead.user.id });
    });
  });
});
