import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity tables: accounts (with their key material), environments, users,
 * tokens, second factors and account settings. Every table but accounts carries
 * account_id and environment_id (null = the global environment).
 */
export class Identity1732250000000 implements MigrationInterface {
  name = 'Identity1732250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        slug text NOT NULL,
        name text,
        api_version text NOT NULL DEFAULT '1.8',
        protected boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'SUBSCRIBED',
        cname text,
        domain text,
        ed25519_public_key text NOT NULL,
        ed25519_private_key text NOT NULL,
        rsa_public_key text NOT NULL,
        rsa_private_key text NOT NULL,
        ecdsa_public_key text NOT NULL,
        ecdsa_private_key text NOT NULL,
        secret_key text NOT NULL,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX accounts_slug_idx ON accounts (lower(slug))`);
    await q.query(`CREATE INDEX accounts_cname_idx ON accounts (cname) WHERE cname IS NOT NULL`);

    await q.query(`
      CREATE TABLE environments (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name text NOT NULL,
        code text NOT NULL,
        isolation_strategy text NOT NULL DEFAULT 'ISOLATED',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX environments_code_idx ON environments (account_id, lower(code))`);
    await q.query(`CREATE INDEX environments_account_created_idx ON environments (account_id, created_at DESC, id)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        group_id uuid,
        email text NOT NULL,
        password_digest text,
        first_name text,
        last_name text,
        role text NOT NULL DEFAULT 'user',
        permissions text[] NOT NULL DEFAULT '{}',
        metadata jsonb NOT NULL DEFAULT '{}',
        banned_at timestamptz(3),
        password_reset_digest text,
        password_reset_sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_idx ON users (account_id, email)`);
    await q.query(`CREATE INDEX users_account_env_created_idx ON users (account_id, environment_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX users_metadata_idx ON users USING gin (metadata jsonb_path_ops)`);

    await q.query(`
      CREATE TABLE tokens (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        bearer_type text NOT NULL,
        bearer_id uuid NOT NULL,
        digest text NOT NULL,
        kind text NOT NULL,
        name text,
        expiry timestamptz(3),
        permissions text[] NOT NULL DEFAULT '{*}',
        max_activations integer,
        max_deactivations integer,
        activations integer NOT NULL DEFAULT 0,
        deactivations integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX tokens_digest_idx ON tokens (digest)`);
    await q.query(`CREATE INDEX tokens_bearer_idx ON tokens (account_id, bearer_type, bearer_id)`);
    await q.query(`CREATE INDEX tokens_account_env_created_idx ON tokens (account_id, environment_id, created_at DESC, id)`);

    await q.query(`
      CREATE TABLE second_factors (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        secret text NOT NULL,
        enabled boolean NOT NULL DEFAULT false,
        last_verified_step bigint,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX second_factors_user_idx ON second_factors (user_id)`);

    await q.query(`
      CREATE TABLE account_settings (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        key text NOT NULL,
        value jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX account_settings_key_idx ON account_settings (account_id, key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['account_settings', 'second_factors', 'tokens', 'users', 'environments', 'accounts']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
