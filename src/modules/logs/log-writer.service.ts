import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common/clock/clock';
import { EventLog } from './event-log.entity';
import type { EventLogEntry } from './event-log-recorder';
import { EventLogsRepository } from './event-logs.repository';
import type { RequestLogEntry } from './request-log-entry';
import { requestLogRows, writeAllOrEach } from './request-log-insert';
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
    const dropped = this.dropped('request');
    const rows = requestLogRows(entries, this.clock.now(), dropped);
    await writeAllOrEach(rows, (batch) => this.requestLogs.insertBatch(batch), dropped);
  }

  async writeEventLogs(entries: readonly EventLogEntry[]): Promise<void> {
    const now = this.clock.now();
    const rows: EventLog[] = [];
    for (const e of entries) {
      const metadata = e.entitlementIds
        ? {
            ...e.metadata,
            codes: await this.eventLogs.entitlementCodes(e.accountId, e.entitlementIds),
          }
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
    await writeAllOrEach(rows, (batch) => this.eventLogs.insertBatch(batch), this.dropped('event'));
  }

  private dropped(what: string): (id: string, reason: unknown) => void {
    return (id, reason) => this.logger.error(`dropped ${what} log ${id}: ${String(reason)}`);
  }
}
