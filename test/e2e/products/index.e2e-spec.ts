import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import { DENIED, denied, lacks, productResource } from './support';

describe('GET /v1/accounts/:account/products', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  const list = (a: GivenAccount, auth: Record<string, string>, query = '') =>
    t.http.get(`${a.base}/products${query}`).set(auth);

  describe('200', () => {
    it('lists the global products newest first, rendered in full', async () => {
      const a = await g.account();
      const first = await g.product(a.account, { code: 'first' });
      t.clock.advance(1000);
      const second = await g.product(a.account, {
        distributionStrategy: 'OPEN',
        metadata: { fooBar: 1 },
      });
      const env = await g.environment(a.account);
      await g.product(a.account, { environment: env.environment });
      const res = await list(a, a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({
        data: [
          productResource(second.product, { metadata: { fooBar: 1 } }),
          productResource(first.product),
        ],
      });
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lists products to a %s',
      async (role) => {
        const a = await g.account();
        await g.product(a.account);
        const u = await g.user(a.account, { role });
        const res = await list(a, u.auth).expect(200);
        expect(res.body.data).toHaveLength(1);
      },
    );

    it('lists only its own products to an isolated environment', async () => {
      const a = await g.account();
      const env = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const own = await g.product(a.account, { environment: env.environment });
      await g.product(a.account);
      const res = await list(a, env.auth).expect(200);
      expect(res.body.data.map((p: { id: string }) => p.id)).toEqual([own.product.id]);
    });

    it('lists its own and the global products to a shared environment', async () => {
      const a = await g.account();
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const other = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      await g.product(a.account, { environment: env.environment });
      await g.product(a.account);
      await g.product(a.account, { environment: other.environment });
      const res = await list(a, env.auth).expect(200);
      expect(res.body.data).toHaveLength(2);
    });

    it('lists OPEN products to a user granted product.read', async () => {
      const a = await g.account();
      const open = await g.product(a.account, { distributionStrategy: 'OPEN' });
      await g.product(a.account);
      await g.product(a.account, { distributionStrategy: 'CLOSED' });
      const u = await g.user(a.account, { permissions: ['product.read'] });
      const res = await list(a, u.auth).expect(200);
      expect(res.body.data.map((p: { id: string }) => p.id)).toEqual([open.product.id]);
    });

    it('paginates by offset and by cursor', async () => {
      const a = await g.account();
      for (let i = 0; i < 3; i++) {
        await g.product(a.account);
        t.clock.advance(1000);
      }
      const page = await list(a, a.auth, '?page[size]=2&page[number]=2').expect(200);
      expect(page.body.data).toHaveLength(1);
      expect(page.body.links.meta).toEqual({ pages: 2, count: 3 });
      const limited = await list(a, a.auth, '?limit=2').expect(200);
      expect(limited.body.data).toHaveLength(2);
      expect(limited.body.links).toBeUndefined();
      const cursor = await list(a, a.auth, '?page[size]=2&page[cursor]=').expect(200);
      expect(cursor.body.data).toHaveLength(2);
      expect(cursor.body.links.next).toContain(cursor.body.data[1].id);
    });
  });

  describe('400', () => {
    it('rejects bad pagination', async () => {
      const a = await g.account();
      const res = await list(a, a.auth, '?limit=101').expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'limit must be a number between 1 and 100 (got 101)',
          source: { parameter: 'limit' },
        },
      ]);
      await list(a, a.auth, '?page[size]=0&page[number]=1').expect(400);
    });
  });

  describe('401', () => {
    it('rejects anonymous callers and tokens of other accounts', async () => {
      const a = await g.account();
      const other = await g.account();
      await list(a, {}).expect(401);
      await list(a, other.auth).expect(401);
    });
  });

  describe('403', () => {
    it('forbids a product listing products', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const res = await list(a, p.auth).expect(403);
      expect(res.body.errors).toEqual([denied(DENIED)]);
    });

    it('forbids a user without product.read (the default user set)', async () => {
      const a = await g.account();
      const u = await g.user(a.account);
      const res = await list(a, u.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('user'))]);
    });

    it('forbids a token without product.read', async () => {
      const a = await g.account();
      const tok = await g.token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await list(a, { Authorization: `Bearer ${tok.raw}` }).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
    });
  });
});
