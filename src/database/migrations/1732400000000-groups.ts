import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups and group owners (spec 01 §8), plus the foreign key from users.group_id
 * (deleting a group leaves its members without a group).
 */
export class Groups1732400000000 implements MigrationInterface {
  name = 'Groups1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        name text NOT NULL,
        max_users integer,
        max_licenses integer,
        max_machines integer,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX groups_account_env_created_idx ON groups (account_id, environment_id, created_at DESC, id)`);

    await q.query(`
      CREATE TABLE group_owners (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
        group_id uuid NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX group_owners_group_user_idx ON group_owners (group_id, user_id)`);
    await q.query(`CREATE INDEX group_owners_user_idx ON group_owners (user_id)`);
    await q.query(`CREATE INDEX group_owners_group_created_idx ON group_owners (group_id, created_at DESC, id)`);

    await q.query(`
      ALTER TABLE users
        ADD CONSTRAINT users_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX users_group_idx ON users (group_id) WHERE group_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS users_group_idx`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_group_id_fkey`);
    await q.query(`DROP TABLE IF EXISTS group_owners`);
    await q.query(`DROP TABLE IF EXISTS groups`);
  }
}
