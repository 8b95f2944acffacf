/**
 * A webhook worker in its own process, for the restart test: the application's modules
 * with the deliver-webhook consumer on Bull (REDIS_URL, WORKER_PREFIX), short locks so
 * a killed worker's job is recovered quickly. It boots, reports `compiled` on IPC, and
 * starts consuming only when told `go` (so a spare worker can boot ahead of time),
 * then reports `ready`.
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import Bull from 'bull';
import { AppModule } from '@app/app.module';
import { BullJobQueue } from '@app/common/jobs/bull-job-queue';
import { JobQueue, QUEUES, type QueueName } from '@app/common/jobs/queues';
import { loadConfig } from '@app/config/app.config';

async function main(): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL!;
  const config = loadConfig({
    KEYGEN_MODE: 'multiplayer',
    KEYGEN_HOST: 'api.keyward.test',
    ENCRYPTION_PRIMARY_KEY: process.env.WORKER_ENCRYPTION_KEY!,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'error',
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOKS_TIMEOUT_MS: '60000',
  });
  const names = Object.values(QUEUES) as QueueName[];
  const queues = new BullJobQueue(
    new Map(
      names.map((n) => [
        n,
        new Bull(n, process.env.REDIS_URL!, {
          prefix: process.env.WORKER_PREFIX!,
          settings: { lockDuration: 1000, lockRenewTime: 250, stalledInterval: 500 },
        }),
      ]),
    ),
    true,
  );
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ config, databaseUrl })],
  })
    .overrideProvider(JobQueue)
    .useValue(queues)
    .setLogger({ log() {}, warn() {}, error() {}, debug() {}, verbose() {} })
    .compile();
  process.send?.('compiled');
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  await moduleRef.init();
  process.send?.('ready');
  process.once('SIGTERM', () => {
    void moduleRef.close().finally(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`delivery worker failed: ${String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
