import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { describeIfRouted } from './routed';

/**
 * Spec 00 §5 on the first list endpoint, GET /v1/accounts/:account/users
 * (skipped until the users module registers it).
 */
describeIfRouted('GET', '/v1/accounts/:account/users')('pagination (GET …/users)', () => {
  let t: TestApp;
  let a: GivenAccount;
  let ids: string[]; // oldest first; admins are not listed (Keygen's roles filter defaults to user)
  const TOTAL = 12;

  beforeAll(async () => {
    t = await bootApp();
    t.clock.advance(-3_600_000);
    a = await given(t).account();
    ids = [];
    for (let i = 0; i < TOTAL; i++) {
      t.clock.advance(1000);
      const u = await given(t).user(a.account, { role: 'user' });
      ids.push(u.user.id);
    }
    t.clock.reset();
  });
  afterAll(() => t.close());

  const list = (query: string, path = `${a.base}/users`) =>
    t.http.get(`${path}${query}`).set(a.auth);
  const newestFirst = (): string[] => [...ids].reverse();

  describe('limit mode', () => {
    it('returns 10 rows newest first without top-level links', async () => {
      const res = await list('').expect(200);
      expect(res.body.data.map((u: { id: string }) => u.id)).toEqual(newestFirst().slice(0, 10));
      expect(res.body.links).toBeUndefined();
      expect(Object.keys(res.body)).toEqual(['data']);
    });

    it('honours limit', async () => {
      const res = await list('?limit=3').expect(200);
      expect(res.body.data.map((u: { id: string }) => u.id)).toEqual(newestFirst().slice(0, 3));
      expect(res.body.links).toBeUndefined();
    });

    it.each(['asc', 'ASC', 'Asc'])('orders oldest first with order=%s', async (order) => {
      const res = await list(`?limit=3&order=${order}`).expect(200);
      expect(res.body.data.map((u: { id: string }) => u.id)).toEqual(ids.slice(0, 3));
    });

    it('orders newest first with order=desc', async () => {
      const res = await list('?limit=3&order=desc').expect(200);
      expect(res.body.data.map((u: { id: string }) => u.id)).toEqual(newestFirst().slice(0, 3));
    });
  });

  describe('offset mode', () => {
    it('links self/prev/next/first/last with pages and count', async () => {
      const res = await list('?page[number]=2&page[size]=5').expect(200);
      const base = `${a.base}/users`;
      const link = (n: number) => `${base}?page%5Bnumber%5D=${n}&page%5Bsize%5D=5`;
      expect(res.body.data.map((u: { id: string }) => u.id)).toEqual(newestFirst().slice(5, 10));
      expect(res.body.links).toEqual({
        self: link(2),
        prev: link(1),
        next: link(3),
        first: link(1),
        last: link(3),
        meta: { pages: 3, count: TOTAL },
      });
    });

    it('nulls prev on the first page and next on the last', async () => {
      const first = await list('?page[number]=1&page[size]=5').expect(200);
      expect(first.body.links.prev).toBeNull();
      const last = await list('?page[number]=3&page[size]=5').expect(200);
      expect(last.body.links.next).toBeNull();
      expect(last.body.data).toHaveLength(TOTAL - 10);
    });

    it('uses limit as the page size when page[size] is absent', async () => {
      const res = await list('?page[number]=1&limit=4').expect(200);
      expect(res.body.data).toHaveLength(4);
      expect(res.body.links.self).toBe(
        `${a.base}/users?limit=4&page%5Bnumber%5D=1&page%5Bsize%5D=4`,
      );
    });

    it('keeps other params sorted, drops token and auth, and uses the path as sent', async () => {
      const res = await t.http
        .get(
          `/v1/accounts/${a.slug}/users?zeta=1&token=${a.adminToken}&auth=x&page[size]=5&page[number]=1&alpha=2`,
        )
        .expect(200);
      expect(res.body.links.self).toBe(
        `/v1/accounts/${a.slug}/users?alpha=2&page%5Bnumber%5D=1&page%5Bsize%5D=5&zeta=1`,
      );
    });
  });

  describe('cursor mode', () => {
    it('walks the keyset with self/next links', async () => {
      const seen: string[] = [];
      let res = await list('?page[cursor]=&page[size]=5').expect(200);
      expect(res.body.links.self).toBe(`${a.base}/users?page%5Bcursor%5D=&page%5Bsize%5D=5`);
      for (;;) {
        seen.push(...res.body.data.map((u: { id: string }) => u.id));
        const next = res.body.links.next as string | null;
        if (!next) {
          break;
        }
        expect(next).toBe(
          `${a.base}/users?page%5Bcursor%5D=${seen[seen.length - 1]}&page%5Bsize%5D=5`,
        );
        res = await t.http.get(next).set(a.auth).expect(200);
      }
      expect(seen).toEqual(newestFirst());
      expect(Object.keys(res.body.links)).toEqual(['self', 'next']);
    });

    it('walks oldest first with order=asc', async () => {
      const res = await list('?page[cursor]=&page[size]=100&order=asc').expect(200);
      expect(res.body.data.map((u: { id: string }) => u.id)).toEqual(ids);
      expect(res.body.links.next).toBeNull();
    });

    it('wins over page[number]', async () => {
      const res = await list('?page[cursor]=&page[number]=2&page[size]=5').expect(200);
      expect(Object.keys(res.body.links)).toEqual(['self', 'next']);
    });

    it('returns an empty page for an unknown cursor', async () => {
      const res = await list('?page[cursor]=00000000-0000-4000-8000-000000000000').expect(200);
      expect(res.body.data).toEqual([]);
      expect(res.body.links.next).toBeNull();
    });
  });

  describe('400', () => {
    it.each([
      ['?limit=0', 'limit must be a number between 1 and 100 (got 0)', 'limit'],
      ['?limit=101', 'limit must be a number between 1 and 100 (got 101)', 'limit'],
      ['?limit=abc', 'limit must be a number between 1 and 100 (got 0)', 'limit'],
      ['?page=2', 'page must be an object containing a cursor or number and optional size', 'page'],
      [
        '?page[size]=5',
        'page must be an object containing a cursor or number and optional size',
        'page',
      ],
      ['?page[number]=0', 'page number must be a number between 1 and 100 (got 0)', 'page[number]'],
      [
        '?page[number]=101',
        'page number must be a number between 1 and 100 (got 101, please use cursor-based pagination instead)',
        'page[number]',
      ],
      [
        '?page[number]=1&page[size]=0',
        'page size must be a number between 1 and 100 (got 0)',
        'page[size]',
      ],
      [
        '?page[number]=1&page[size]=101',
        'page size must be a number between 1 and 100 (got 101)',
        'page[size]',
      ],
      ['?page[cursor]=foo', 'page cursor must be a valid UUID (got "foo")', 'page[cursor]'],
      [
        '?page[cursor]=&page[size]=0',
        'page size must be a number between 1 and 100 (got 0)',
        'page[size]',
      ],
      ['?order=sideways', 'order is invalid', 'order'],
      ['?page[number]=1&order=up', 'order is invalid', 'order'],
    ])('rejects %s', async (q, detail, parameter) => {
      const res = await list(q).expect(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [{ title: 'Bad request', detail, source: { parameter } }],
      });
    });
  });
});
