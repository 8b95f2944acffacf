import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper request-log writes. A logged body of a few KiB would otherwise be moved to
 * the TOAST table (its own heap and index, more WAL): with a 4 KiB tuple target the
 * bodies are compressed and kept in the row, and lz4 (where the server has it)
 * compresses them faster than the default pglz.
 */
export class LogStorage1732611000000 implements MigrationInterface {
  name = 'LogStorage1732611000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_logs SET (toast_tuple_target = 4096)`);
    await q.query(`
      DO $$
      BEGIN
        ALTER TABLE request_logs
          ALTER COLUMN request_body SET COMPRESSION lz4,
          ALTER COLUMN response_body SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available: request log bodies keep the default compression';
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_logs RESET (toast_tuple_target)`);
    await q.query(`
      ALTER TABLE request_logs
        ALTER COLUMN request_body SET COMPRESSION default,
        ALTER COLUMN response_body SET COMPRESSION default`);
  }
}
