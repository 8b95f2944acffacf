import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Machines: fingerprints unique per license and component fingerprints unique per
 * machine (the backstop behind the row-locked activation checks, spec 03 §5).
 *
 * NOTE: last_heartbeat_at is deliberately not indexed. Pings update it constantly;
 * with no index on it (and free room in each page) they are HOT updates that write
 * no index entries. The two-minute cull sweep scans instead, which is far cheaper in
 * total than indexing every ping.
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
    await q.query(`ALTER TABLE machines SET (fillfactor = 85)`);
    await q.query(`ALTER TABLE machine_processes SET (fillfactor = 85)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machine_processes RESET (fillfactor)`);
    await q.query(`ALTER TABLE machines RESET (fillfactor)`);
    await q.query(`DROP INDEX IF EXISTS machine_components_machine_fingerprint_idx`);
    await q.query(`DROP INDEX IF EXISTS machines_license_fingerprint_idx`);
  }
}
