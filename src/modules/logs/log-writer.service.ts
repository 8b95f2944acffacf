import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common/clock/clock';
import { EventLog } from './event-log.entity';
import type { EventLogEntry } from './event-log-recorder';
import { EventLogsRepository } from './event-logs.repository';
import { toRow, type RequestLogEntry } from './request-log-entry';
import type { RequestLog } from './request-log.entity';
import { RequestLogsRepository } from './request-logs.repository';

/** Turns queued log entries into rows and inserts them (the write jobs call it). */
@Injectable()
export class LogWriterService {
  private readonly logger = new Logger('Logs');

  constructor(
    private readonly requestLogs: RequestLogsRepository,
    private readonly eventLogs: EventLogsRepository,
    private readonly clock: Clock,
  ) {}

  async writeRequestLogs(entries: readonly RequestLogEntry[]): Promise<void> {
    const now = this.clock.now();
    const rows: RequestLog[] = [];
    for (const e of entries) {
      try {
        rows.push(toRow(e, now));
      } catch (err) {
        // One malformed entry must not cost the rest of the batch.
        this.logger.error(`dropped request log ${e.id}: ${String(err)}`);
      }
    }
    await this.requestLogs.insertBatch(rows);
  }

  async writeEventLogs(entries: readonly EventLogEntry[]): Promise<void> {
    const now = this.clock.now();
    const rows: EventLog[] = [];
    for (const e of entries) {
      const metadata = e.entitlementIds
        ? { ...e.metadata, codes: await this.eventLogs.entitlementCodes(e.accountId, e.entitlementIds) }
        : e.metadata;
      rows.push(
        Object.assign(new EventLog(), {
          id: e.id,
          accountId: e.accountId,
          environmentId: e.environmentId,
          event: e.event,
          resourceType: e.resourceType,
          resourceId: e.resourceId,
          whodunnitType: e.whodunnitType,
          whodunnitId: e.whodunnitId,
          requestLogId: e.requestLogId,
          metadata,
          createdAt: new Date(e.createdAt),
          updatedAt: now,
        }),
      );
    }
    await this.eventLogs.insertBatch(rows);
  }
}
