import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app.config';
import { runMigrations } from './data-source';

/**
 * `npm run migration:run`: applies pending migrations to DATABASE_URL and exits.
 * Optional: the API and the worker also migrate at start-up (under an advisory lock).
 */
async function main(): Promise<void> {
  const logger = new Logger('Migrations');
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new Error('DATABASE_URL is not set (the embedded database is migrated by npm start)');
  }
  const applied = await runMigrations(config.databaseUrl);
  logger.log(
    applied.length > 0
      ? `applied ${applied.join(', ')}`
      : 'nothing to apply: the schema is up to date',
  );
}

main().catch((e: unknown) => {
  new Logger('Migrations').error((e as Error)?.message ?? String(e));
  process.exit(1);
});
