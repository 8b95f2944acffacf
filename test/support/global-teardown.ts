import { Client } from 'pg';

/** Drops the per-run test database and stops an embedded PostgreSQL. */
export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  const dbName = process.env.TEST_DATABASE_NAME;
  if (adminUrl && dbName) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  const stop = (globalThis as { __KEYWARD_PG_STOP__?: () => Promise<void> }).__KEYWARD_PG_STOP__;
  if (stop) {
    await stop();
  }
}
