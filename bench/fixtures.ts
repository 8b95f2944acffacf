import type { NestExpressApplication } from '@nestjs/platform-express';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common/clock/clock';
import { runMigrations } from '@app/database/data-source';
import { startEmbeddedPostgres } from '@app/database/embedded';
import { given } from '../test/support/factories';
import { BENCH_ITEMS_SQL } from './bench.module';
import type { Account } from '@app/modules/accounts/account.entity';
import type { BenchFixtures } from './routes';

const BENCH_DB = 'keyward_bench';
const EMBEDDED_PORT = 54331;

export interface BenchDatabase {
  url: string;
  /** Where it runs, for the report. */
  label: string;
  stop: () => Promise<void>;
}

/**
 * A fresh `keyward_bench` database on DATABASE_URL's server, or on an embedded
 * PostgreSQL (data under .data/bench) when DATABASE_URL is unset; migrated, with
 * the `bench_items` table filled.
 */
export async function prepareDatabase(
  root: string,
  log: (m: string) => void,
): Promise<BenchDatabase> {
  let baseUrl = process.env.DATABASE_URL;
  let stop = (): Promise<void> => Promise.resolve();
  let label = 'DATABASE_URL';
  if (!baseUrl) {
    const pg = await startEmbeddedPostgres(join(root, '.data', 'bench'), EMBEDDED_PORT, log);
    baseUrl = pg.url;
    stop = pg.stop;
    label = `embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PORT}`;
  }
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${BENCH_DB}`;
  log(`database ${BENCH_DB} on ${label}: migrating and loading bench_items`);
  await runMigrations(url.toString());
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(BENCH_ITEMS_SQL);
  } finally {
    await client.end();
  }
  return { url: url.toString(), label, stop };
}

/** A bench account and its admin token, made by the same factories the e2e tests use. */
export async function createFixtures(app: NestExpressApplication): Promise<BenchFixtures> {
  const ds = app.get(DataSource);
  const g = given({ app, ds, clock: app.get(Clock) });
  const a = await g.account({ slug: 'bench' });
  const validationLicenses = await createValidationLicenses(ds, g, a.account);
  const heartbeats = await createHeartbeatMachines(ds, g, a.account);
  const activation = await g.license(a.account, {
    policy: await g.policy(a.account, { floating: true, maxMachines: null, maxCores: 1_000_000 }),
  });
  return {
    accountId: a.id,
    accountSlug: a.slug,
    adminToken: a.adminToken,
    validationLicenses,
    heartbeatMachines: heartbeats.count,
    heartbeatLicenseToken: heartbeats.token,
    activationLicenseId: activation.license.id,
  };
}

const HEARTBEAT_MACHINES = 10_000;

/**
 * Heartbeat fixtures: one license with machines `bench-hb-<n>`, on a policy whose
 * long heartbeat window and KEEP_DEAD keep the cull sweep away during the run.
 */
async function createHeartbeatMachines(
  ds: DataSource,
  g: ReturnType<typeof given>,
  account: Account,
): Promise<{ count: number; token: string }> {
  const policy = await g.policy(account, {
    floating: true,
    maxMachines: null,
    heartbeatDuration: 86_400,
    heartbeatCullStrategy: 'KEEP_DEAD',
  });
  const lic = await g.license(account, { policy });
  await ds.query(
    `INSERT INTO machines (id, account_id, license_id, policy_id, product_id, fingerprint, created_at, updated_at)
     SELECT gen_random_uuid(), $1, $2, $3, $4, 'bench-hb-' || n, now(), now()
       FROM generate_series(1, $5::int) AS n`,
    [account.id, lic.license.id, policy.id, policy.productId, HEARTBEAT_MACHINES],
  );
  await ds.query('ANALYZE machines');
  return { count: HEARTBEAT_MACHINES, token: lic.token };
}

const VALIDATION_LICENSES = 10_000;

/**
 * validate-key fixtures: a strict node-locked policy (maxMachines 1) and licenses
 * `bench-key-<n>`, each with one machine `bench-fp-<n>`, inserted in bulk.
 */
async function createValidationLicenses(
  ds: DataSource,
  g: ReturnType<typeof given>,
  account: Account,
): Promise<number> {
  const policy = await g.policy(account, { strict: true, maxMachines: 1 });
  await ds.query(
    `INSERT INTO licenses (id, account_id, policy_id, product_id, key, created_at, updated_at)
     SELECT gen_random_uuid(), $1, $2, $3, 'bench-key-' || n, now(), now()
       FROM generate_series(1, $4::int) AS n`,
    [account.id, policy.id, policy.productId, VALIDATION_LICENSES],
  );
  await ds.query(
    `INSERT INTO machines (id, account_id, license_id, policy_id, product_id, fingerprint, created_at, updated_at)
     SELECT gen_random_uuid(), l.account_id, l.id, l.policy_id, l.product_id,
            'bench-fp-' || substr(l.key, 11), now(), now()
       FROM licenses l WHERE l.policy_id = $1`,
    [policy.id],
  );
  await ds.query('ANALYZE licenses; ANALYZE machines');
  return VALIDATION_LICENSES;
}
