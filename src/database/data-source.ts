import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming.strategy';

/** TypeORM options; `synchronize` is off everywhere, migrations own the schema. */
export function dataSourceOptions(url: string, poolSize = 5): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'keyward_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: { max: poolSize, statement_timeout: 15_000 },
  };
}

/** Runs pending migrations under an advisory lock (replicas may boot together). */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(7391)');
      const applied = await ds.runMigrations({ transaction: 'each' });
      await runner.query('SELECT pg_advisory_unlock(7391)');
      return applied.map((m) => m.name);
    } finally {
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}
