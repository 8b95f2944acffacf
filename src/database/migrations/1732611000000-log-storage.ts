import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper log writes (every API request writes a request log, every event an event
 * log). A logged body of a few KiB would otherwise be moved to the TOAST table (its
 * own heap and index, more WAL): with a 4 KiB tuple target the bodies are compressed
 * and kept in the row, and lz4 (where the server has it) compresses them faster than
 * the default pglz. Fewer indexes: the retention prune walks the time-ordered UUIDv7
 * primary key instead of a `created_at` index, and event logs are not indexed by
 * request id (that filter scans the account's newest rows).
 */
export class LogStorage1732611000000 implements MigrationInterface {
  name = 'LogStorage1732611000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_logs SET (toast_tuple_target = 4096)`);
    await q.query(`DROP INDEX IF EXISTS request_logs_created_idx`);
    await q.query(`DROP INDEX IF EXISTS event_logs_created_idx`);
    await q.query(`DROP INDEX IF EXISTS event_logs_request_idx`);
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
    await q.query(`CREATE INDEX request_logs_created_idx ON request_logs (created_at)`);
    await q.query(`CREATE INDEX event_logs_created_idx ON event_logs (created_at)`);
    await q.query(
      `CREATE INDEX event_logs_request_idx ON event_logs (account_id, request_log_id) WHERE request_log_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE request_logs RESET (toast_tuple_target)`);
    await q.query(`
      ALTER TABLE request_logs
        ALTER COLUMN request_body SET COMPRESSION default,
        ALTER COLUMN response_body SET COMPRESSION default`);
  }
}
