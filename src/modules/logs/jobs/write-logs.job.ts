import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueue, LOG_JOBS, QUEUES } from '@app/common/jobs/queues';
import type { EventLogEntry } from '../event-log-recorder';
import { LogWriterService } from '../log-writer.service';
import type { RequestLogEntry } from '../request-log-entry';

/** write-request-logs / write-event-logs: one batch of captured logs per job. */
@Injectable()
export class WriteLogsJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly writer: LogWriterService,
  ) {}

  onModuleInit(): void {
    this.jobs.process(QUEUES.logs, LOG_JOBS.writeRequestLogs, async (payload) => {
      await this.writer.writeRequestLogs((payload.entries ?? []) as RequestLogEntry[]);
    });
    this.jobs.process(QUEUES.logs, LOG_JOBS.writeEventLogs, async (payload) => {
      await this.writer.writeEventLogs((payload.entries ?? []) as EventLogEntry[]);
    });
  }
}
