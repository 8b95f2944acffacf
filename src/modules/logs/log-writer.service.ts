import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common/clock/clock';
import { EventLog } from './event-log.entity';
import type { EventLogEntry } from './event-log-recorder';
import { EventLogsRepository } from './event-logs.repository';
import { toRow, type RequestLogEntry, type RequestLogRow } from './request-log-entry';
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
    const rows: RequestLogRow[] = [];
    for (const e of entries) {
      try {
        rows.push(toRow(e, now));
      } catch (err) {
        // One malformed entry must not cost the rest of the batch.
        this.logger.error(`dropped request log ${e.id}: ${String(err)}`);
      }
    }
    await this.insert('request', rows, (batch) => this.requestLogs.insertBatch(batch));
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
    await this.insert('event', rows, (batch) => this.eventLogs.insertBatch(batch));
  }

  /**
   * Inserts the batch; if Postgres refuses it, row by row, so one row it cannot store
   * costs that row only (logged) instead of the batch. A failure of every row (the
   * database is down) is thrown for the queue to retry.
   */
  private async insert<T extends { id: string }>(
    what: string,
    rows: T[],
    write: (batch: T[]) => Promise<void>,
  ): Promise<void> {
    try {
      await write(rows);
      return;
    } catch (e) {
      if (rows.length === 1) {
        throw e;
      }
    }
    let written = 0;
    let last: unknown;
    for (const row of rows) {
      try {
        await write([row]);
        written++;
      } catch (e) {
        last = e;
        this.logger.error(`dropped ${what} log ${row.id}: ${String(e)}`);
      }
    }
    if (written === 0) {
      throw last;
    }
  }
}
