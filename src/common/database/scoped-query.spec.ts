import type { SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import { paginate, whereInScope } from './scoped-query';

interface Row {
  id: string;
}

/** Records the builder calls; `rows` is what getMany returns. */
function fakeQb(rows: Row[] = [], count = rows.length) {
  const calls: Array<[string, ...unknown[]]> = [];
  const qb = {
    calls,
    expressionMap: { mainAlias: { metadata: { tableName: 'users' } } },
    andWhere: (...a: unknown[]) => (calls.push(['andWhere', ...a]), qb),
    orderBy: (...a: unknown[]) => (calls.push(['orderBy', ...a]), qb),
    addOrderBy: (...a: unknown[]) => (calls.push(['addOrderBy', ...a]), qb),
    limit: (...a: unknown[]) => (calls.push(['limit', ...a]), qb),
    offset: (...a: unknown[]) => (calls.push(['offset', ...a]), qb),
    getMany: () => Promise.resolve(rows),
    getManyAndCount: () => Promise.resolve([rows, count]),
  };
  return qb as typeof qb & SelectQueryBuilder<Row>;
}

const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: `id-${i}` }));

describe('scoped queries', () => {
  describe('whereInScope', () => {
    it('limits the global environment to global rows', () => {
      const qb = fakeQb();
      whereInScope(qb, 'u', { accountId: 'acc', environmentId: null, shared: false });
      expect(qb.calls).toEqual([
        ['andWhere', 'u.account_id = :scopeAccountId', { scopeAccountId: 'acc' }],
        ['andWhere', 'u.environment_id IS NULL'],
      ]);
    });

    it('limits an isolated environment to its own rows', () => {
      const qb = fakeQb();
      whereInScope(qb, 'u', { accountId: 'acc', environmentId: 'env', shared: false });
      expect(qb.calls[1]).toEqual([
        'andWhere',
        'u.environment_id = :scopeEnvId',
        { scopeEnvId: 'env' },
      ]);
    });

    it('lets a shared environment see its own and global rows', () => {
      const qb = fakeQb();
      whereInScope(qb, 'u', { accountId: 'acc', environmentId: 'env', shared: true });
      expect(qb.calls[1]).toEqual([
        'andWhere',
        '(u.environment_id = :scopeEnvId OR u.environment_id IS NULL)',
        { scopeEnvId: 'env' },
      ]);
    });
  });

  describe('paginate', () => {
    it('orders newest first by created then id and applies the limit', async () => {
      const qb = fakeQb(rows(3));
      const out = await paginate(qb, 'u', { mode: 'limit', limit: 3, order: 'desc' });
      expect(qb.calls).toEqual([
        ['orderBy', 'u.createdAt', 'DESC'],
        ['addOrderBy', 'u.id', 'DESC'],
        ['limit', 3],
      ]);
      expect(out).toEqual({
        kind: 'list',
        rows: rows(3),
        pagination: { mode: 'limit', limit: 3, order: 'desc' },
      });
    });

    it('flips the order for asc', async () => {
      const qb = fakeQb();
      await paginate(qb, 'u', { mode: 'limit', limit: 10, order: 'asc' });
      expect(qb.calls.slice(0, 2)).toEqual([
        ['orderBy', 'u.createdAt', 'ASC'],
        ['addOrderBy', 'u.id', 'ASC'],
      ]);
    });

    it('offsets and counts in offset mode', async () => {
      const qb = fakeQb(rows(5), 12);
      const p: Pagination = { mode: 'offset', number: 3, size: 5, order: 'desc' };
      const out = await paginate(qb, 'u', p);
      expect(qb.calls.slice(2)).toEqual([
        ['offset', 10],
        ['limit', 5],
      ]);
      expect(out).toEqual({ kind: 'list', rows: rows(5), pagination: p, count: 12 });
    });

    it('omits the count for uncounted resources', async () => {
      const out = await paginate(
        fakeQb(rows(2)),
        'u',
        { mode: 'offset', number: 1, size: 5, order: 'desc' },
        false,
      );
      expect(out.count).toBeUndefined();
    });

    it('fetches one extra row in cursor mode to know whether more exist', async () => {
      const qb = fakeQb(rows(6));
      const p: Pagination = { mode: 'cursor', cursor: '', size: 5, order: 'desc' };
      const out = await paginate(qb, 'u', p);
      expect(qb.calls.slice(2)).toEqual([['limit', 6]]);
      expect(out).toEqual({ kind: 'list', rows: rows(5), pagination: p, hasMore: true });
    });

    it('seeks strictly after the cursor row in the current order', async () => {
      const desc = fakeQb(rows(2));
      const out = await paginate(desc, 'u', {
        mode: 'cursor',
        cursor: 'c-1',
        size: 5,
        order: 'desc',
      });
      expect(desc.calls[2]).toEqual([
        'andWhere',
        '(u.created_at, u.id) < (SELECT c.created_at, c.id FROM users c WHERE c.id = :cursorId)',
        { cursorId: 'c-1' },
      ]);
      expect(out.hasMore).toBe(false);

      const asc = fakeQb();
      await paginate(asc, 'u', { mode: 'cursor', cursor: 'c-1', size: 5, order: 'asc' });
      expect((asc.calls[2][1] as string).includes(') > (SELECT')).toBe(true);
    });
  });
});
