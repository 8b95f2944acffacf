import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints and webhook events (spec 05).
 *
 * An endpoint bound to a product goes with the product: keeping it with a dangling
 * product would widen it to every event of the account. Deleting an endpoint keeps
 * its events (they carry the URL); their endpoint link is cleared.
 * `attempts` counts delivery attempts so a duplicate job can tell it is stale.
 */
export class Webhooks1732600000000 implements MigrationInterface {
  name = 'Webhooks1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        product_id uuid REFERENCES products(id) ON DELETE CASCADE,
        url text NOT NULL,
        subscriptions text[] NOT NULL DEFAULT '{*}',
        signature_algorithm text NOT NULL DEFAULT 'ed25519',
        api_version text NOT NULL,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE INDEX webhook_endpoints_account_env_created_idx ON webhook_endpoints (account_id, environment_id, created_at DESC, id)`,
    );
    await q.query(
      `CREATE INDEX webhook_endpoints_product_idx ON webhook_endpoints (product_id) WHERE product_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        webhook_endpoint_id uuid REFERENCES webhook_endpoints(id) ON DELETE SET NULL,
        event text NOT NULL,
        endpoint text NOT NULL,
        api_version text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL,
        idempotency_token text NOT NULL,
        last_response_code integer,
        last_response_body text,
        attempts integer NOT NULL DEFAULT 0,
        job_id text,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE INDEX webhook_events_account_env_created_idx ON webhook_events (account_id, environment_id, created_at DESC, id)`,
    );
    await q.query(
      `CREATE INDEX webhook_events_endpoint_idx ON webhook_events (webhook_endpoint_id) WHERE webhook_endpoint_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX webhook_events_created_idx ON webhook_events (created_at)`);
    await q.query(`CREATE INDEX webhook_events_token_idx ON webhook_events (idempotency_token)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webhook_events`);
    await q.query(`DROP TABLE IF EXISTS webhook_endpoints`);
  }
}
