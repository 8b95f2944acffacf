/* eslint-disable no-console */
import 'reflect-metadata';
import { register } from 'tsconfig-paths';
import { join } from 'node:path';
import { Client } from 'pg';
// Type-only: erased at compile time, so the modules load below, after paths are registered.
import type * as DataSourceModule from '../../src/database/data-source';
import type * as EmbeddedModule from '../../src/database/embedded';

register({
  baseUrl: join(__dirname, '..', '..'),
  paths: {
    '@app/*': ['src/*'],
    '@libs/jsonapi': ['libs/jsonapi/src'],
    '@libs/jsonapi/*': ['libs/jsonapi/src/*'],
    '@libs/crypto': ['libs/crypto/src'],
    '@libs/crypto/*': ['libs/crypto/src/*'],
  },
});

/**
 * Jest globalSetup for the e2e project: a fresh `keyward_test` database on
 * DATABASE_URL's server, or an embedded PostgreSQL when DATABASE_URL is unset;
 * migrations run once here. Tests read TEST_DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runMigrations } = require('../../src/database/data-source') as typeof DataSourceModule;
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startEmbeddedPostgres } = require('../../src/database/embedded') as typeof EmbeddedModule;
    const pg = await startEmbeddedPostgres(join(__dirname, '..', '..', '.data', 'test'), 54330, (m) => console.log(m));
    (globalThis as { __KEYWARD_PG_STOP__?: () => Promise<void> }).__KEYWARD_PG_STOP__ = pg.stop;
    baseUrl = pg.url;
  }
  const url = new URL(baseUrl);
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  const dbName = `keyward_test_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  url.pathname = `/${dbName}`;
  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_DATABASE_ADMIN_URL = baseUrl;
  process.env.TEST_DATABASE_NAME = dbName;
  await runMigrations(url.toString());
}
