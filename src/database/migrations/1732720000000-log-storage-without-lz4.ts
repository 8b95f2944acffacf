import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request log bodies on a PostgreSQL built without lz4 (the embedded one `npm start`
 * and `npm run bench` use, for instance). There the bodies fall back to pglz, which
 * costs the server ~95 µs of CPU per 8 KiB body, measured on the embedded
 * PostgreSQL 17, against ~10 µs for lz4. With no lz4, a row of up to 8,160 bytes
 * (every single-resource response) is stored as it is, uncompressed, and only
 * larger ones (long lists) are compressed and moved to TOAST. The trade: such a row
 * takes up to ~2.5x the disk for the retention period. Servers with lz4 keep the
 * 4 KiB target and compress.
 */
export class LogStorageWithoutLz41732720000000 implements MigrationInterface {
  name = 'LogStorageWithoutLz41732720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM pg_attribute
           WHERE attrelid = 'request_logs'::regclass
             AND attname = 'response_body'
             AND attcompression = 'l'
        ) THEN
          ALTER TABLE request_logs SET (toast_tuple_target = 8160);
        END IF;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_logs SET (toast_tuple_target = 4096)`);
  }
}
