import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '@app/common/clock/clock';
import { JobQueue, LOG_JOBS, QUEUES } from '@app/common/jobs/queues';
import { LogRetentionService } from '../log-retention.service';

/** prune-request-logs / prune-event-logs: the daily retention sweeps (common/jobs/schedules.ts). */
@Injectable()
export class PruneLogsJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly retention: LogRetentionService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.process(QUEUES.logs, LOG_JOBS.pruneRequestLogs, async (payload) => {
      await this.retention.pruneRequestLogs(this.tickTime(payload.tick));
    });
    this.jobs.process(QUEUES.logs, LOG_JOBS.pruneEventLogs, async (payload) => {
      await this.retention.pruneEventLogs(this.tickTime(payload.tick));
    });
  }

  /** The schedule tick the job was enqueued for (the clock's now when absent). */
  private tickTime(tick: unknown): Date {
    const t = typeof tick === 'string' ? new Date(tick) : null;
    return t && !Number.isNaN(t.getTime()) ? t : this.clock.now();
  }
}
