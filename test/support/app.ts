import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '@app/bootstrap';
import { MovableClock } from '@app/common/clock/clock';
import { RecordedEvents } from '@app/common/events/recorded-events';
import { JobQueue } from '@app/common/jobs/queues';
import { loadConfig, type AppConfig } from '@app/config/app.config';

export const TEST_ENCRYPTION_KEY = 'test-only-encryption-key-0123456789abcdef';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  clock: MovableClock;
  config: AppConfig;
  ds: DataSource;
  events: RecordedEvents;
  jobs: JobQueue;
  close: () => Promise<void>;
}

/**
 * Boots the real application (multiplayer unless overridden) against the test
 * database. One per test file: `const t = await bootApp()` in beforeAll.
 */
export async function bootApp(env: Record<string, string> = {}): Promise<TestApp> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error('TEST_DATABASE_URL is not set (run through jest so globalSetup runs)');
  }
  const config = loadConfig({
    KEYGEN_MODE: 'multiplayer',
    KEYGEN_HOST: 'api.keyward.test',
    ENCRYPTION_PRIMARY_KEY: TEST_ENCRYPTION_KEY,
    DATABASE_URL: url,
    LOG_LEVEL: 'error',
    ...env,
  });
  const clock = new MovableClock();
  const app = await createApp({ config, databaseUrl: url, stop: () => Promise.resolve() }, { clock, logger: ['fatal'] });
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    http: request(server),
    clock,
    config,
    ds: app.get(DataSource),
    events: app.get(RecordedEvents),
    jobs: app.get(JobQueue),
    close: () => app.close(),
  };
}
