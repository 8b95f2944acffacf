import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Machines, their components and processes (spec 03). memory and disk are bigint
 * and travel as strings end to end, so 64-bit values stay exact. policy_id and
 * product_id copy the license's (kept in step on policy change) for the
 * uniqueness strategies and list filters.
 */
export class Machines1732550000000 implements MigrationInterface {
  name = 'Machines1732550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE machines (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        license_id uuid NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
        policy_id uuid NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        owner_id uuid REFERENCES users(id) ON DELETE SET NULL,
        group_id uuid REFERENCES groups(id) ON DELETE SET NULL,
        fingerprint text NOT NULL,
        name text,
        ip text,
        hostname text,
        platform text,
        cores integer,
        memory bigint,
        disk bigint,
        max_processes integer,
        last_heartbeat_at timestamptz(3),
        last_death_event_sent_at timestamptz(3),
        heartbeat_claimed_until timestamptz(3),
        last_check_out_at timestamptz(3),
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX machines_license_idx ON machines (license_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX machines_account_fingerprint_idx ON machines (account_id, md5(fingerprint))`);
    await q.query(`CREATE INDEX machines_account_env_created_idx ON machines (account_id, environment_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX machines_owner_idx ON machines (owner_id) WHERE owner_id IS NOT NULL`);
    await q.query(`CREATE INDEX machines_group_idx ON machines (group_id) WHERE group_id IS NOT NULL`);
    await q.query(`CREATE INDEX machines_policy_idx ON machines (policy_id)`);
    await q.query(`CREATE INDEX machines_product_idx ON machines (product_id)`);

    await q.query(`
      CREATE TABLE machine_components (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        machine_id uuid NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
        fingerprint text NOT NULL,
        name text NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX machine_components_machine_idx ON machine_components (machine_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX machine_components_account_fingerprint_idx ON machine_components (account_id, md5(fingerprint))`);

    await q.query(`
      CREATE TABLE machine_processes (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        machine_id uuid NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
        pid text NOT NULL,
        last_heartbeat_at timestamptz(3) NOT NULL,
        last_death_event_sent_at timestamptz(3),
        heartbeat_claimed_until timestamptz(3),
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX machine_processes_machine_pid_idx ON machine_processes (machine_id, md5(pid))`);
    await q.query(`CREATE INDEX machine_processes_account_env_created_idx ON machine_processes (account_id, environment_id, created_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS machine_processes`);
    await q.query(`DROP TABLE IF EXISTS machine_components`);
    await q.query(`DROP TABLE IF EXISTS machines`);
  }
}
