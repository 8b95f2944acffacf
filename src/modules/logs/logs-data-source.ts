import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';

/** Name of the log writers' own DataSource. */
export const LOGS_DATA_SOURCE = 'logs';

/** Connections of that pool: one for the batch inserts, one for prunes and lookups. */
const POOL_SIZE = 2;

/**
 * A small pool of its own for writing and pruning logs, on the same database, so a
 * batch insert never holds (or waits for) one of the request path's connections.
 * Reads (the list and show routes) stay on the main pool.
 */
export const LogsDataSourceModule = TypeOrmModule.forRootAsync({
  name: LOGS_DATA_SOURCE,
  inject: [DataSource],
  useFactory: (main: DataSource): DataSourceOptions => {
    const options = main.options as DataSourceOptions & { extra?: Record<string, unknown> };
    // `name` again here: the TypeORM module finds this DataSource by it at shutdown.
    return {
      ...options,
      name: LOGS_DATA_SOURCE,
      migrations: [],
      extra: { ...options.extra, max: POOL_SIZE },
    } as DataSourceOptions;
  },
});
