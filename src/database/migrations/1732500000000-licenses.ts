import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Licenses (spec 02 §4), their licensees (license_users), license-level
 * entitlements, and pre-generated pool keys (§3).
 *
 * A license key may be up to 16 KiB, past btree's row limit, so uniqueness and
 * lookups go through md5(key); every lookup also compares the key itself.
 * product_id copies the policy's product (kept in step on policy change) so the
 * hot validation read and the list filters need no join.
 */
export class Licenses1732500000000 implements MigrationInterface {
  name = 'Licenses1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE licenses (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        policy_id uuid NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        owner_id uuid REFERENCES users(id) ON DELETE SET NULL,
        group_id uuid REFERENCES groups(id) ON DELETE SET NULL,
        name text,
        key text,
        key_digest text,
        expiry timestamptz(3),
        suspended boolean NOT NULL DEFAULT false,
        protected boolean,
        uses integer NOT NULL DEFAULT 0,
        max_machines integer,
        max_processes integer,
        max_users integer,
        max_cores integer,
        max_memory bigint,
        max_disk bigint,
        max_uses integer,
        version text,
        last_validated_at timestamptz(3),
        last_validated_checksum text,
        last_validated_version text,
        last_check_in_at timestamptz(3),
        last_check_out_at timestamptz(3),
        last_expiration_event_sent_at timestamptz(3),
        last_expiring_soon_event_sent_at timestamptz(3),
        last_check_in_event_sent_at timestamptz(3),
        last_check_in_soon_event_sent_at timestamptz(3),
        permissions text[],
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX licenses_key_idx ON licenses (account_id, md5(key)) WHERE key IS NOT NULL`);
    await q.query(`CREATE INDEX licenses_account_env_created_idx ON licenses (account_id, environment_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX licenses_policy_idx ON licenses (policy_id)`);
    await q.query(`CREATE INDEX licenses_product_idx ON licenses (product_id)`);
    await q.query(`CREATE INDEX licenses_owner_idx ON licenses (owner_id) WHERE owner_id IS NOT NULL`);
    await q.query(`CREATE INDEX licenses_group_idx ON licenses (group_id) WHERE group_id IS NOT NULL`);
    await q.query(`CREATE INDEX licenses_expiry_idx ON licenses (expiry) WHERE expiry IS NOT NULL`);

    await q.query(`
      CREATE TABLE license_users (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        license_id uuid NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX license_users_license_user_idx ON license_users (license_id, user_id)`);
    await q.query(`CREATE INDEX license_users_user_idx ON license_users (user_id)`);

    await q.query(`
      CREATE TABLE license_entitlements (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        license_id uuid NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
        entitlement_id uuid NOT NULL REFERENCES entitlements(id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX license_entitlements_license_entitlement_idx ON license_entitlements (license_id, entitlement_id)`,
    );
    await q.query(`CREATE INDEX license_entitlements_entitlement_idx ON license_entitlements (entitlement_id)`);

    await q.query(`
      CREATE TABLE keys (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        policy_id uuid NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        key text NOT NULL,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX keys_key_idx ON keys (account_id, md5(key))`);
    await q.query(`CREATE INDEX keys_policy_created_idx ON keys (policy_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX keys_account_env_created_idx ON keys (account_id, environment_id, created_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS keys`);
    await q.query(`DROP TABLE IF EXISTS license_entitlements`);
    await q.query(`DROP TABLE IF EXISTS license_users`);
    await q.query(`DROP TABLE IF EXISTS licenses`);
  }
}
