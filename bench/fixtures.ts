import type { NestExpressApplication } from '@nestjs/platform-express';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common/clock/clock';
import { runMigrations } from '@app/database/data-source';
import { startEmbeddedPostgres } from '@app/database/embedded';
import { given } from '../test/support/factories';
import { BENCH_ITEMS_SQL } from './bench.module';
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
  const a = await given({ app, ds: app.get(DataSource), clock: app.get(Clock) }).account({
    slug: 'bench',
  });
  return { accountId: a.id, accountSlug: a.slug, adminToken: a.adminToken };
}
