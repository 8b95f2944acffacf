import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for machine activation and heartbeat culling (spec 03 §5, 07 §2.1):
 * fingerprints unique per license and component fingerprints unique per machine
 * (the backstop behind the row-locked activation checks), and partial indexes the
 * two-minute culling sweeps use to find dead machines and processes.
 */
export class MachinesExtra1732700000000 implements MigrationInterface {
  name = 'MachinesExtra1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX machines_license_fingerprint_idx ON machines (license_id, md5(fingerprint))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX machine_components_machine_fingerprint_idx ON machine_components (machine_id, md5(fingerprint))`,
    );
    await q.query(
      `CREATE INDEX machines_last_heartbeat_idx ON machines (last_heartbeat_at) WHERE last_heartbeat_at IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX machines_unpinged_idx ON machines (policy_id, created_at) WHERE last_heartbeat_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX machine_processes_last_heartbeat_idx ON machine_processes (last_heartbeat_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS machine_processes_last_heartbeat_idx`);
    await q.query(`DROP INDEX IF EXISTS machines_unpinged_idx`);
    await q.query(`DROP INDEX IF EXISTS machines_last_heartbeat_idx`);
    await q.query(`DROP INDEX IF EXISTS machine_components_machine_fingerprint_idx`);
    await q.query(`DROP INDEX IF EXISTS machines_license_fingerprint_idx`);
  }
}
