import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { Clock } from '../clock/clock';
import { JobQueue } from './queues';
import { SCHEDULES, type ScheduleRow } from './schedules';

/** The deterministic job id for a schedule's tick: identical on every replica. */
export function tickJobId(row: ScheduleRow, tick: Date): string {
  const t = new Date(tick);
  t.setUTCMilliseconds(0);
  return `${row.name}:${t.toISOString()}`;
}

/**
 * Registers SCHEDULES as crons in processes that run jobs (the worker, or the API
 * when it runs alone). Each tick only enqueues; Bull's job-id dedupe makes a tick
 * run once per cluster. `trigger(name, at)` is the same path for tests.
 */
@Injectable()
export class ScheduleRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Schedules');
  private readonly crons: CronJob[] = [];
  private readonly rows = new Map<string, ScheduleRow>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly registry: SchedulerRegistry,
  ) {
    for (const row of SCHEDULES) {
      this.rows.set(row.name, row);
    }
  }

  /** Adds a row at runtime (tests, plugins); must be called before bootstrap to get a cron. */
  register(row: ScheduleRow): void {
    this.rows.set(row.name, row);
  }

  onApplicationBootstrap(): void {
    if (!this.config.runJobs) {
      return;
    }
    for (const row of this.rows.values()) {
      const cron = CronJob.from({
        cronTime: row.cron,
        onTick: () => void this.trigger(row.name, this.clock.now()),
        start: true,
        timeZone: 'UTC',
      });
      this.registry.addCronJob(row.name, cron);
      this.crons.push(cron);
      this.logger.log(`scheduled ${row.name} (${row.cron}) → ${row.queue}:${row.job}`);
    }
  }

  /** Enqueues the row's job for the tick at `at` (deduplicated across replicas). */
  async trigger(name: string, at: Date): Promise<string> {
    const row = this.rows.get(name);
    if (!row) {
      throw new Error(`unknown schedule ${name}`);
    }
    const jobId = tickJobId(row, at);
    try {
      await this.jobs.enqueue(row.queue, row.job, { tick: at.toISOString() }, { jobId });
    } catch (e) {
      this.logger.error(`could not enqueue ${jobId}: ${String(e)}`);
    }
    return jobId;
  }

  /** Stops ticking before the queue closes (JobsModule closes it in beforeApplicationShutdown). */
  onModuleDestroy(): void {
    for (const c of this.crons) {
      void c.stop();
    }
  }
}
