import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import type { Group } from '@app/modules/groups/group.entity';
import { READ_ONLY_STAFF, expectForbidden, expectSigned, groupResource } from './support';

describe('GET /v1/accounts/:account/groups', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let groups: Group[];

  const list = (acct: GivenAccount, query: string, auth: Record<string, string>) =>
    t.http.get(`${acct.base}/groups${query}`).set(auth);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    groups = [];
    for (let i = 0; i < 3; i++) {
      groups.push(await g.group(a.account, { name: `Group ${i}` }));
      t.clock.advance(1000);
    }
    t.clock.reset();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('lists the groups newest first, rendered exactly', async () => {
      const res = await list(a, '', a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: [...groups].reverse().map(groupResource) });
    });

    it('orders oldest first with order=asc', async () => {
      const res = await list(a, '?order=asc', a.auth).expect(200);
      expect(res.body.data.map((d: { id: string }) => d.id)).toEqual(groups.map((x) => x.id));
    });

    it('paginates by page number with links', async () => {
      const res = await list(a, '?page[number]=1&page[size]=2', a.auth).expect(200);
      expect(res.body.data).toHaveLength(2);
      const self = `/v1/accounts/${a.id}/groups`;
      expect(res.body.links).toEqual({
        self: `${self}?page%5Bnumber%5D=1&page%5Bsize%5D=2`,
        prev: null,
        next: `${self}?page%5Bnumber%5D=2&page%5Bsize%5D=2`,
        first: `${self}?page%5Bnumber%5D=1&page%5Bsize%5D=2`,
        last: `${self}?page%5Bnumber%5D=2&page%5Bsize%5D=2`,
        meta: { pages: 2, count: 3 },
      });
    });

    it('paginates by cursor', async () => {
      const res = await list(a, `?page[size]=5&page[cursor]=${groups[2].id}`, a.auth).expect(200);
      expect(res.body.data.map((d: { id: string }) => d.id)).toEqual([groups[1].id, groups[0].id]);
      expect(res.body.links.next).toBeNull();
    });

    it('honours limit', async () => {
      const res = await list(a, '?limit=1', a.auth).expect(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.links).toBeUndefined();
    });

    it.each(['developer', ...READ_ONLY_STAFF] as const)(
      'lets a %s list every group',
      async (role) => {
        const staff = await g.user(a.account, { role });
        const res = await list(a, '', staff.auth).expect(200);
        expect(res.body.data).toHaveLength(3);
      },
    );

    it('lets a product list every group', async () => {
      const p = await g.product(a.account);
      const res = await list(a, '', p.auth).expect(200);
      expect(res.body.data).toHaveLength(3);
    });

    it('lists only the groups a user belongs to or owns', async () => {
      const b = await g.account();
      const u = await g.user(b.account);
      const member = await g.group(b.account, { members: [u.user] });
      const owned = await g.group(b.account, { owners: [u.user] });
      await g.group(b.account);
      const res = await list(b, '', u.auth).expect(200);
      expect(res.body.data.map((d: { id: string }) => d.id).sort()).toEqual(
        [member.id, owned.id].sort(),
      );
    });

    it('gives a user in no group an empty list', async () => {
      const u = await g.user(a.account);
      const res = await list(a, '', u.auth).expect(200);
      expect(res.body).toEqual({ data: [] });
    });

    it('lists only an isolated environment’s own groups', async () => {
      const b = await g.account();
      const env = await g.environment(b.account);
      const shared = await g.environment(b.account, { isolationStrategy: 'SHARED' });
      const own = await g.group(b.account, { environment: env.environment });
      await g.group(b.account, { environment: shared.environment });
      await g.group(b.account);
      const res = await list(b, '', env.auth).expect(200);
      expect(res.body.data.map((d: { id: string }) => d.id)).toEqual([own.id]);
      expect(res.body.data[0].relationships.environment).toEqual({
        links: { related: `/v1/accounts/${b.id}/environments/${env.environment.id}` },
        data: { type: 'environments', id: env.environment.id },
      });
    });

    it('lists a shared environment’s groups plus the global ones', async () => {
      const b = await g.account();
      const env = await g.environment(b.account, { isolationStrategy: 'SHARED' });
      const other = await g.environment(b.account);
      const own = await g.group(b.account, { environment: env.environment });
      const global = await g.group(b.account);
      await g.group(b.account, { environment: other.environment });
      const res = await list(b, '', env.auth).expect(200);
      expect(res.body.data.map((d: { id: string }) => d.id).sort()).toEqual(
        [own.id, global.id].sort(),
      );
    });

    it('lists only global groups from the global environment', async () => {
      const b = await g.account();
      const env = await g.environment(b.account);
      await g.group(b.account, { environment: env.environment });
      const global = await g.group(b.account);
      const res = await list(b, '', b.auth).expect(200);
      expect(res.body.data.map((d: { id: string }) => d.id)).toEqual([global.id]);
    });
  });

  describe('400', () => {
    it.each([
      ['?limit=900', 'limit must be a number between 1 and 100 (got 900)', 'limit'],
      [
        '?page[number]=1&page[size]=250',
        'page size must be a number between 1 and 100 (got 250)',
        'page[size]',
      ],
      [
        '?page[number]=-1&page[size]=10',
        'page number must be a number between 1 and 100 (got -1)',
        'page[number]',
      ],
    ])('rejects %s', async (query, detail, parameter) => {
      const res = await list(a, query, a.auth).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { parameter } }]);
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const res = await t.http.get(`${a.base}/groups`).expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_MISSING' });
    });

    it("rejects another account's admin", async () => {
      const other = await g.account();
      await list(a, '', other.auth).expect(401);
    });
  });

  describe('403', () => {
    it('names a missing group.read permission', async () => {
      const u = await g.user(a.account, { permissions: ['user.read'] });
      expectForbidden(
        await list(a, '', u.auth),
        'You do not have permission to complete the request (user lacks permission to perform action)',
      );
    });
  });
});
