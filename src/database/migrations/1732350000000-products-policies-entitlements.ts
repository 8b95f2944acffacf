import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The licensing catalogue: products, entitlements, policies and the
 * policy-entitlements join table. Every table carries account_id and
 * environment_id (null = the global environment). Deleting a product removes its
 * policies; deleting a policy or an entitlement removes their attachments.
 */
export class ProductsPoliciesEntitlements1732350000000 implements MigrationInterface {
  name = 'ProductsPoliciesEntitlements1732350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        name text NOT NULL,
        code text,
        distribution_strategy text,
        url text,
        platforms jsonb,
        permissions text[] NOT NULL DEFAULT '{}',
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX products_code_idx ON products (account_id, lower(code)) WHERE code IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX products_account_env_created_idx ON products (account_id, environment_id, created_at DESC, id)`,
    );

    await q.query(`
      CREATE TABLE entitlements (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        name text NOT NULL,
        code text NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX entitlements_code_idx ON entitlements (account_id, lower(code))`,
    );
    await q.query(
      `CREATE INDEX entitlements_account_env_created_idx ON entitlements (account_id, environment_id, created_at DESC, id)`,
    );

    await q.query(`
      CREATE TABLE policies (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        name text,
        duration integer,
        strict boolean NOT NULL DEFAULT false,
        floating boolean NOT NULL DEFAULT false,
        scheme text,
        encrypted boolean NOT NULL DEFAULT false,
        use_pool boolean NOT NULL DEFAULT false,
        protected boolean NOT NULL DEFAULT false,
        max_machines integer,
        max_processes integer,
        max_users integer,
        max_cores integer,
        max_memory bigint,
        max_disk bigint,
        max_uses integer,
        require_product_scope boolean NOT NULL DEFAULT false,
        require_policy_scope boolean NOT NULL DEFAULT false,
        require_machine_scope boolean NOT NULL DEFAULT false,
        require_fingerprint_scope boolean NOT NULL DEFAULT false,
        require_components_scope boolean NOT NULL DEFAULT false,
        require_user_scope boolean NOT NULL DEFAULT false,
        require_checksum_scope boolean NOT NULL DEFAULT false,
        require_version_scope boolean NOT NULL DEFAULT false,
        require_check_in boolean NOT NULL DEFAULT false,
        check_in_interval text,
        check_in_interval_count integer,
        require_heartbeat boolean NOT NULL DEFAULT false,
        heartbeat_duration integer,
        heartbeat_cull_strategy text,
        heartbeat_resurrection_strategy text,
        heartbeat_basis text,
        machine_uniqueness_strategy text,
        machine_matching_strategy text,
        component_uniqueness_strategy text,
        component_matching_strategy text,
        expiration_strategy text,
        expiration_basis text,
        renewal_basis text,
        transfer_strategy text,
        authentication_strategy text,
        machine_leasing_strategy text,
        process_leasing_strategy text,
        overage_strategy text,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE INDEX policies_account_env_created_idx ON policies (account_id, environment_id, created_at DESC, id)`,
    );
    await q.query(`CREATE INDEX policies_product_idx ON policies (product_id)`);

    await q.query(`
      CREATE TABLE policy_entitlements (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        policy_id uuid NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        entitlement_id uuid NOT NULL REFERENCES entitlements(id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX policy_entitlements_unique_idx ON policy_entitlements (account_id, policy_id, entitlement_id)`,
    );
    await q.query(
      `CREATE INDEX policy_entitlements_account_env_created_idx ON policy_entitlements (account_id, environment_id, created_at DESC, id)`,
    );
    await q.query(
      `CREATE INDEX policy_entitlements_entitlement_idx ON policy_entitlements (entitlement_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['policy_entitlements', 'policies', 'entitlements', 'products']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
