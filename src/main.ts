import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { closeApp, createApp, logLevels, prepareRuntime } from './bootstrap';
import { StartupQuietLogger } from './common/logging/startup-quiet.logger';
import { loadConfig } from './config/app.config';
import { RequestLogRecorder } from './modules/logs/request-log-recorder';
import { SetupService } from './modules/signup/setup.service';

async function main(): Promise<void> {
  const logger = new Logger('Keyward');
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    logger.error((e as Error).message);
    process.exit(1);
  }
  Logger.overrideLogger(logLevels(config.logLevel));
  logger.log(`starting in ${config.mode} mode`);
  const runtime = await prepareRuntime(config, logger);
  const app = await createApp(runtime, { logger: new StartupQuietLogger(logLevels(config.logLevel)) });
  await app.get(SetupService).ensureSingleplayerAccount();
  // Finish in-flight requests, close the app (its hooks drain jobs and pools), then the embedded database.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= closeApp(app)
      .then(() => runtime.stop())
      .then(() => logger.log('stopped'));
    return stopping;
  };
  const exit = (): void =>
    void stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error(`shutdown failed: ${String(e)}`);
        process.exit(1);
      },
    );
  process.once('SIGINT', exit);
  process.once('SIGTERM', exit);
  await app.listen(config.port, '0.0.0.0');
  logger.log(`Keyward API listening on http://localhost:${config.port} (try: curl http://localhost:${config.port}/v1/ping)`);
  const jobs = !config.redisUrl
    ? 'in-process'
    : config.runJobs
      ? 'Bull on REDIS_URL, processed here'
      : 'Bull on REDIS_URL, processed by workers (npm run start:worker)';
  logger.log(
    `database: ${config.databaseUrl ? 'DATABASE_URL' : 'embedded PostgreSQL'}; jobs: ${jobs}; ` +
      `request logs: ${app.get(RequestLogRecorder).writer}`,
  );
}

main().catch((e: unknown) => {
  new Logger('Keyward').error(`failed to start: ${(e as Error)?.stack ?? String(e)}`);
  process.exit(1);
});
