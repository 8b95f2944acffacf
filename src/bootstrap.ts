import { Logger, type INestApplicationContext, type LogLevel, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppModule, type AppModuleOptions } from './app.module';
import type { Clock } from './common/clock/clock';
import { configureHttp } from './common/http/express-setup';
import { KeywardExpressAdapter } from './common/http/keyward-express.adapter';
import { ResponseFinalizer } from './common/http/response-finalizer';
import type { AppConfig } from './config/app.config';
import { runMigrations } from './database/data-source';
import { startEmbeddedPostgres } from './database/embedded';

export interface Runtime {
  config: AppConfig;
  databaseUrl: string;
  stop: () => Promise<void>;
}

interface LocalState {
  encryptionKey?: string;
  accountId?: string;
}

function readState(dataDir: string): LocalState {
  const file = join(dataDir, 'keyward.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LocalState) : {};
}

function writeState(dataDir: string, state: LocalState): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'keyward.json'), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Prepares storage before Nest starts: the database (embedded when DATABASE_URL is
 * unset), migrations, the at-rest encryption key and the singleplayer account id.
 * Generated values are kept in `<dataDir>/keyward.json` so restarts reuse them.
 */
export async function prepareRuntime(config: AppConfig, logger = new Logger('Keyward')): Promise<Runtime> {
  let databaseUrl = config.databaseUrl;
  let stop = (): Promise<void> => Promise.resolve();
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort);
    databaseUrl = pg.url;
    stop = pg.stop;
  }
  const state = readState(config.dataDir);
  let dirty = false;
  if (!config.encryptionKey) {
    if (config.databaseUrl && !state.encryptionKey) {
      throw new Error(
        'ENCRYPTION_PRIMARY_KEY is required when DATABASE_URL is set (it seals account private keys; every replica needs the same value)',
      );
    }
    if (!state.encryptionKey) {
      state.encryptionKey = randomBytes(32).toString('hex');
      dirty = true;
      logger.warn(`generated an at-rest encryption key in ${join(config.dataDir, 'keyward.json')} (set ENCRYPTION_PRIMARY_KEY in production)`);
    }
    config.encryptionKey = state.encryptionKey;
  }

  const applied = await runMigrations(databaseUrl);
  if (applied.length > 0) {
    logger.log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
  }

  if (config.mode === 'singleplayer' && !config.accountId) {
    config.accountId = state.accountId ?? (await oldestAccountId(databaseUrl)) ?? randomUUIDv4();
    if (state.accountId !== config.accountId) {
      state.accountId = config.accountId;
      dirty = true;
    }
  }
  if (dirty) {
    writeState(config.dataDir, state);
  }
  return { config, databaseUrl, stop };
}

function randomUUIDv4(): string {
  return globalThis.crypto.randomUUID();
}

async function oldestAccountId(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ id: string }>('SELECT id FROM accounts ORDER BY created_at ASC LIMIT 1');
    return r.rows[0]?.id ?? null;
  } finally {
    await client.end();
  }
}

export interface CreateAppOptions {
  clock?: Clock;
  logger?: false | LogLevel[] | LoggerService;
  /** Extra modules mounted next to the domain modules (the benchmark's baseline routes). */
  extraModules?: AppModuleOptions['extraModules'];
}

/**
 * Builds the HTTP application (not listening yet). Signals are the entry point's
 * business (main.ts closes the app, then stops the embedded database), so no Nest
 * shutdown hooks are enabled here: they would close the app a second time.
 */
export async function createApp(runtime: Runtime, opts: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      config: runtime.config,
      databaseUrl: runtime.databaseUrl,
      clock: opts.clock,
      extraModules: opts.extraModules,
    }),
    new KeywardExpressAdapter(),
    { bodyParser: false, logger: opts.logger ?? undefined, abortOnError: false },
  );
  configureHttp(app, runtime.config, app.get(ResponseFinalizer));
  return app;
}

/**
 * Graceful HTTP shutdown: stop accepting connections and let in-flight requests
 * finish (bounded by `graceMs`) before Nest's shutdown hooks close the database
 * pool and queues, so no request dies with "Connection terminated".
 */
export async function closeApp(app: NestExpressApplication, graceMs = 10_000): Promise<void> {
  const server = app.getHttpServer() as Server;
  if (server.listening) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, graceMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  await app.close();
}

/**
 * Builds the worker: the same modules as the API in an application context (no
 * HTTP), with jobs enabled, so Bull consumers and schedules run in this process.
 * Initialised (handlers registered, crons started) when it resolves.
 */
export async function createWorker(
  runtime: Runtime,
  opts: Pick<CreateAppOptions, 'clock' | 'logger'> = {},
): Promise<INestApplicationContext> {
  const config: AppConfig = { ...runtime.config, runJobs: true };
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, databaseUrl: runtime.databaseUrl, clock: opts.clock }),
    { logger: opts.logger ?? undefined, abortOnError: false },
  );
  return app;
}

export function logLevels(level: string): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const i = order.indexOf(level as LogLevel);
  return order.slice(0, i < 0 ? 4 : i + 1);
}
