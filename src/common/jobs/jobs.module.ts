import { BullModule, getQueueToken } from '@nestjs/bull';
import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AppConfig } from '@app/config/app.config';
import { BullJobQueue } from './bull-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue, QUEUES, type QueueName } from './queues';

const NAMES = Object.values(QUEUES) as QueueName[];

class JobQueueCloser implements OnApplicationShutdown {
  constructor(private readonly jobs: JobQueue) {}

  async onApplicationShutdown(): Promise<void> {
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
