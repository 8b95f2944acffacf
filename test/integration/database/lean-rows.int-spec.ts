import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PreparedQueries } from '@app/common/database/prepared';

/**
 * Lean rows against a real PostgreSQL: after a statement's first (plain) run, the
 * wrapped runs must return exactly the rows pg returns for the plain statement,
 * for every column type the hot paths read and a few they might.
 */
describe('PreparedQueries lean rows (PostgreSQL)', () => {
  let pool: Pool;
  let prepared: PreparedQueries;
  const executed: string[] = [];

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: typeof query }).query = (...args) => {
      const c = args[0];
      executed.push(typeof c === 'string' ? c : (c as { text: string }).text);
      return query(...args);
    };
    prepared = new PreparedQueries({ driver: { master: pool } } as unknown as DataSource);
    await pool.query(`DROP TABLE IF EXISTS lean_probe`);
    await pool.query(`CREATE TABLE lean_probe (
      id uuid PRIMARY KEY, n int4, small int2, big int8, amount numeric, ratio float8,
      flag boolean, label text, tags text[], ids uuid[], doc jsonb, addr inet,
      at timestamptz, local_at timestamp, day date, "odd ""name""" text)`);
    await pool.query(`INSERT INTO lean_probe VALUES
      ('00000000-0000-4000-8000-000000000001', 1, 2, 9007199254740993, 12.50, 'NaN', true,
       'a "quoted" é', '{x,NULL,"y z"}', '{00000000-0000-4000-8000-000000000009}',
       '{"k": [1, {"n": null}], "big": 12345678901234567890}', '10.0.0.1',
       '2026-11-22 18:37:00.123456+02', '2026-11-22 18:37:00.5', '2026-11-22', 'o'),
      ('00000000-0000-4000-8000-000000000002', NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  });

  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS lean_probe`);
    await pool.end();
  });

  it('returns the plain rows, in order, once a wide SELECT runs wrapped', async () => {
    const text = `SELECT * FROM lean_probe WHERE id <> $1 ORDER BY id DESC`;
    const values = ['00000000-0000-4000-8000-000000000000'];
    const plain = await pool.query({ text, values });
    const first = await prepared.query(text, values);
    executed.length = 0;
    const lean = await prepared.query(text, values);
    expect(executed[0]).toContain('row_to_json');
    expect(first.rows).toEqual(plain.rows);
    expect(lean.rows).toEqual(plain.rows);
    expect(lean.rowCount).toBe(2);
    expect(lean.rows[1]).toMatchObject({ big: '9007199254740993', amount: '12.50', ratio: NaN });
  });

  it('runs UPDATE … RETURNING wrapped with the same rows and count', async () => {
    const text = `UPDATE lean_probe SET n = coalesce(n, 0) + 1 WHERE id = $1 RETURNING *`;
    const values = ['00000000-0000-4000-8000-000000000001'];
    await prepared.query(text, values);
    executed.length = 0;
    const lean = await prepared.query<{ n: number; at: Date }>(text, values);
    expect(executed[0]).toContain('WITH q AS (UPDATE');
    const { rows } = await pool.query<{ n: number }>(
      `SELECT * FROM lean_probe WHERE id = $1`,
      values,
    );
    expect(lean.rowCount).toBe(1);
    expect(lean.rows).toEqual(rows);
    expect(lean.rows[0].n).toBe(3);
    expect(lean.rows[0].at).toEqual(new Date('2026-11-22T16:37:00.123Z'));
  });

  it('leaves narrow statements plain', async () => {
    const text = `SELECT id, label FROM lean_probe WHERE id = $1`;
    const values = ['00000000-0000-4000-8000-000000000001'];
    await prepared.query(text, values);
    executed.length = 0;
    const again = await prepared.query(text, values);
    expect(executed).toEqual([text]);
    expect(again.rows).toEqual([{ id: values[0], label: 'a "quoted" é' }]);
  });
});
