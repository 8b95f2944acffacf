import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DomainEvents, type DomainEvent } from '@app/common/events/domain-events';
import { isUuidLike, uuidv7 } from '@app/common/ids';
import { JobQueue, LOG_JOBS, QUEUES } from '@app/common/jobs/queues';
import { eventMetadata } from './event-log-metadata';
import { LogBuffer } from './log-buffer';
import { eventLogResource } from './log-resource';
import { pathSegments, routeTarget } from './log-types';

/** The queued form of one event log (JSON-safe; spec 07 §1.2 EventLogWorker). */
export interface EventLogEntry {
  id: string;
  accountId: string;
  environmentId: string | null;
  event: string;
  resourceType: string;
  resourceId: string;
  whodunnitType: string | null;
  whodunnitId: string | null;
  requestLogId: string | null;
  metadata: Record<string, unknown>;
  /** Attach/detach events: entitlements whose codes the writer looks up. */
  entitlementIds?: string[];
  createdAt: string;
}

/**
 * Records every domain event as an event log (spec 06 §2.5): whodunnit, request and
 * resource come from the event's context, metadata per §2.6. Entries are batched
 * and written by the `write-event-logs` job, off the request path.
 */
@Injectable()
export class EventLogRecorder implements OnModuleDestroy {
  private readonly logger = new Logger('EventLogs');
  private readonly buffer: LogBuffer<EventLogEntry>;

  constructor(
    events: DomainEvents,
    private readonly jobs: JobQueue,
  ) {
    this.buffer = new LogBuffer<EventLogEntry>({
      maxItems: 100,
      maxBytes: Number.MAX_SAFE_INTEGER,
      maxDelayMs: 100,
      deliver: (batch) =>
        this.jobs.enqueue(
          QUEUES.logs,
          LOG_JOBS.writeEventLogs,
          { entries: batch },
          { attempts: 3, backoffMs: 1000 },
        ),
      onError: (e) => this.logger.error(`could not queue event logs: ${String(e)}`),
    });
    events.subscribe((e) => this.capture(e));
  }

  /** Queues everything captured so far (tests and shutdown call it). */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
    this.buffer.stop();
  }

  private capture(e: DomainEvent): void {
    const { ctx } = e;
    // Jobs run with a system context: no request, no bearer (spec 06 §2.6 rules 2–3).
    const requestId = isUuidLike(ctx.requestId) ? ctx.requestId : null;
    const target = requestId ? routeTarget(pathSegments(ctx.path)) : null;
    const subject = {
      name: e.name,
      type: e.resource.type,
      id: e.resource.id,
      record: e.resource.record,
    };
    const resource = eventLogResource(target, subject);
    const { metadata, entitlementIds } = eventMetadata({
      name: e.name,
      type: e.resource.type,
      record: e.resource.record,
      meta: e.meta,
      changes: e.changes,
    });
    this.buffer.push({
      id: uuidv7(e.at.getTime()),
      accountId: ctx.account.account.id,
      environmentId: ctx.environment?.id ?? recordEnvironment(e.resource.record),
      event: e.name,
      resourceType: resource.type,
      resourceId: resource.id,
      whodunnitType: ctx.bearer?.type ?? null,
      whodunnitId: ctx.bearer?.id ?? null,
      requestLogId: requestId,
      metadata,
      entitlementIds,
      createdAt: e.at.toISOString(),
    });
  }
}

/** The environment of the event's record (or of its first join row). */
function recordEnvironment(record: unknown): string | null {
  const r = Array.isArray(record) ? (record as unknown[])[0] : record;
  const env = (r as { environmentId?: unknown } | null | undefined)?.environmentId;
  return typeof env === 'string' ? env : null;
}
