import { BullModule, getQueueToken } from '@nestjs/bull';
import { Global, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AppConfig } from '@app/config/app.config';
import { BullJobQueue } from './bull-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue, QUEUES, type QueueName } from './queues';

const NAMES = Object.values(QUEUES) as QueueName[];

/**
 * Closes the queue before the database connections go: Nest runs every
 * onModuleDestroy (where the log recorders flush their last batch into the queue),
 * then beforeApplicationShutdown (here: finish running and queued in-process jobs,
 * or let Bull finish its active ones), then onApplicationShutdown, where TypeORM
 * closes its data sources. Closing in the same phase as TypeORM raced it.
 */
class JobQueueCloser implements BeforeApplicationShutdown {
  constructor(private readonly jobs: JobQueue) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.jobs.close();
  }
}

/** Bull queues on Redis when REDIS_URL is set; an in-process queue otherwise. */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.redisUrl) {
      return {
        module: JobsModule,
        providers: [
          { provide: JobQueue, useValue: new InProcessJobQueue() },
          { provide: JobQueueCloser, useFactory: (j: JobQueue) => new JobQueueCloser(j), inject: [JobQueue] },
        ],
        exports: [JobQueue],
      };
    }
    return {
      module: JobsModule,
      imports: [
        BullModule.forRoot({ url: config.redisUrl, prefix: 'keyward' }),
        BullModule.registerQueue(...NAMES.map((name) => ({ name }))),
      ],
      providers: [
        {
          provide: JobQueue,
          useFactory: (...queues: Queue[]) =>
            new BullJobQueue(new Map(NAMES.map((n, i) => [n, queues[i]])), config.runJobs),
          inject: NAMES.map((n) => getQueueToken(n)),
        },
      ],
      exports: [JobQueue],
    };
  }
}
