import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request logs and event logs (spec 06). Append-only audit rows written in batches by
 * background jobs: no foreign keys, so a batch never fails because a referenced row
 * went away in the meantime, and the daily prune deletes by `created_at`. Header
 * subsets are `json` (not `jsonb`) so they keep the order they were recorded in.
 */
export class Logs1732610000000 implements MigrationInterface {
  name = 'Logs1732610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_logs (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        environment_id uuid,
        requestor_type text,
        requestor_id uuid,
        resource_type text,
        resource_id uuid,
        method text NOT NULL,
        url text NOT NULL,
        status text NOT NULL,
        user_agent text,
        ip text,
        request_headers json,
        request_body text,
        response_headers json,
        response_body text,
        response_signature text,
        queue_time double precision NOT NULL DEFAULT 0,
        run_time double precision NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE INDEX request_logs_account_created_idx ON request_logs (account_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX request_logs_requestor_idx ON request_logs (account_id, requestor_id) WHERE requestor_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX request_logs_resource_idx ON request_logs (account_id, resource_id) WHERE resource_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX request_logs_created_idx ON request_logs (created_at)`);

    await q.query(`
      CREATE TABLE event_logs (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        environment_id uuid,
        event text NOT NULL,
        resource_type text NOT NULL,
        resource_id uuid NOT NULL,
        whodunnit_type text,
        whodunnit_id uuid,
        request_log_id uuid,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE INDEX event_logs_account_created_idx ON event_logs (account_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX event_logs_resource_idx ON event_logs (account_id, resource_id)`);
    await q.query(
      `CREATE INDEX event_logs_whodunnit_idx ON event_logs (account_id, whodunnit_id) WHERE whodunnit_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX event_logs_request_idx ON event_logs (account_id, request_log_id) WHERE request_log_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX event_logs_event_idx ON event_logs (account_id, event, created_at DESC)`,
    );
    await q.query(`CREATE INDEX event_logs_created_idx ON event_logs (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS event_logs`);
    await q.query(`DROP TABLE IF EXISTS request_logs`);
  }
}
