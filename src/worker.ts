import 'reflect-metadata';
import { getQueueToken } from '@nestjs/bull';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { createWorker, logLevels, prepareRuntime } from './bootstrap';
import { QUEUES, type QueueName } from './common/jobs/queues';
import { loadConfig } from './config/app.config';

const SUMMARY_EVERY_MS = 60_000;

/**
 * The queue worker: the API's modules without HTTP, with jobs enabled, so the Bull
 * consumers modules register (`JobQueue.process`) and the schedules run here.
 * Needs REDIS_URL (jobs come from Redis) and DATABASE_URL (the embedded database
 * belongs to a single `npm start` process, which then runs its jobs itself).
 */
async function main(): Promise<void> {
  const logger = new Logger('Worker');
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    logger.error((e as Error).message);
    process.exit(1);
  }
  Logger.overrideLogger(logLevels(config.logLevel));
  if (!config.redisUrl || !config.databaseUrl) {
    logger.error(
      'the worker needs REDIS_URL and DATABASE_URL (without Redis the API runs jobs in-process and no worker is needed)',
    );
    process.exit(1);
  }
  logger.log(`starting in ${config.mode} mode`);
  const runtime = await prepareRuntime(config, logger);
  const app = await createWorker(runtime, { logger: logLevels(config.logLevel) });
  const activity = watchQueues(app, logger);

  let stopping: Promise<void> | undefined;
  const stop = (signal: string): Promise<void> => {
    stopping ??= (async () => {
      logger.log(`${signal}: finishing active jobs, then stopping`);
      activity.stop();
      await app.close(); // closes the Bull queues (waits for active jobs) and stops the crons
      await runtime.stop();
      logger.log('stopped');
    })();
    return stopping;
  };
  const exit = (signal: string): void =>
    void stop(signal).then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error(`shutdown failed: ${String(e)}`);
        process.exit(1);
      },
    );
  process.once('SIGINT', () => exit('SIGINT'));
  process.once('SIGTERM', () => exit('SIGTERM'));
  logger.log(`worker ready: taking jobs from ${Object.values(QUEUES).join(', ')} on REDIS_URL`);
}

/**
 * Logs every job this process finishes (debug), every failure (warn), and a summary
 * per minute of activity (log), so a busy request-log queue does not flood the log.
 */
function watchQueues(app: INestApplicationContext, logger: Logger): { stop: () => void } {
  const done = new Map<string, number>();
  let failed = 0;
  for (const name of Object.values(QUEUES) as QueueName[]) {
    const queue = app.get<Queue>(getQueueToken(name), { strict: false });
    queue.on('completed', (job: Job) => {
      const key = `${name}:${job.name}`;
      done.set(key, (done.get(key) ?? 0) + 1);
      const ms = job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : undefined;
      logger.debug(`${key} #${String(job.id)} done${ms === undefined ? '' : ` in ${ms} ms`}`);
    });
    queue.on('failed', (job: Job, err: Error) => {
      failed += 1;
      const attempts = job.opts.attempts ?? 1;
      const next = job.attemptsMade < attempts ? 'will retry' : 'giving up';
      logger.warn(
        `${name}:${job.name} #${String(job.id)} failed (attempt ${job.attemptsMade}/${attempts}, ${next}): ${err.message}`,
      );
    });
  }
  const timer = setInterval(() => {
    const total = [...done.values()].reduce((a, b) => a + b, 0);
    if (total === 0 && failed === 0) {
      return;
    }
    const parts = [...done.entries()].map(([k, n]) => `${k} ×${n}`).join(', ');
    logger.log(
      `last minute: ${total} job(s) done${parts ? ` (${parts})` : ''}, ${failed} failed attempt(s)`,
    );
    done.clear();
    failed = 0;
  }, SUMMARY_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

main().catch((e: unknown) => {
  new Logger('Worker').error(`failed to start: ${(e as Error)?.stack ?? String(e)}`);
  process.exit(1);
});
