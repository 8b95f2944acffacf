import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, logLevels, prepareRuntime } from './bootstrap';
import { loadConfig } from './config/app.config';
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
  const app = await createApp(runtime, { logger: logLevels(config.logLevel) });
  await app.get(SetupService).ensureSingleplayerAccount();
  const stop = async (): Promise<void> => {
    await app.close();
    await runtime.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  await app.listen(config.port, '0.0.0.0');
  logger.log(`Keyward API listening on http://localhost:${config.port} (try: curl http://localhost:${config.port}/v1/ping)`);
  logger.log(`database: ${config.databaseUrl ? 'DATABASE_URL' : 'embedded PostgreSQL'}; jobs: ${config.redisUrl ? 'Bull on REDIS_URL' : 'in-process'}`);
}

main().catch((e: unknown) => {
  new Logger('Keyward').error(`failed to start: ${(e as Error)?.stack ?? String(e)}`);
  process.exit(1);
});
