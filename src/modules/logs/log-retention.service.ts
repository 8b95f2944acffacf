import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { EventLogsRepository } from './event-logs.repository';
import { RequestLogsRepository } from './request-logs.repository';

const DAY_MS = 86_400_000;

/** Sweep tuning (Keygen's prune workers): batches of 1000, 1 s apart, at most 1 h per run. */
export interface PruneTuning {
  batchSize: number;
  pauseMs: number;
  maxRunMs: number;
}

const DEFAULT_TUNING: PruneTuning = { batchSize: 1000, pauseMs: 1000, maxRunMs: 3_600_000 };

/**
 * Daily retention (spec 06 §1.7, §2.7; 07 §1.1): deletes request logs older than
 * KEYGEN_PRUNE_REQUEST_BACKLOG_DAYS and event logs older than
 * KEYGEN_PRUNE_EVENT_BACKLOG_DAYS (≤ 0 keeps them). Resumable: a run that hits its
 * time cap leaves the rest to the next one.
 */
@Injectable()
export class LogRetentionService {
  private readonly logger = new Logger('LogRetention');
  tuning: PruneTuning = DEFAULT_TUNING;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requestLogs: RequestLogsRepository,
    private readonly eventLogs: EventLogsRepository,
  ) {}

  /** Deletes request logs created before `at` − retention; returns how many. */
  pruneRequestLogs(at: Date): Promise<number> {
    return this.prune('request logs', at, this.config.logs.requestLogRetentionDays, (cutoff, n) =>
      this.requestLogs.deleteCreatedBefore(cutoff, n),
    );
  }

  /** Deletes event logs created before `at` − retention; returns how many. */
  pruneEventLogs(at: Date): Promise<number> {
    return this.prune('event logs', at, this.config.logs.eventLogRetentionDays, (cutoff, n) =>
      this.eventLogs.deleteCreatedBefore(cutoff, n),
    );
  }

  private async prune(
    what: string,
    at: Date,
    days: number,
    deleteBatch: (cutoff: Date, limit: number) => Promise<number>,
  ): Promise<number> {
    if (days <= 0) {
      return 0;
    }
    const cutoff = new Date(at.getTime() - days * DAY_MS);
    const { batchSize, pauseMs, maxRunMs } = this.tuning;
    const started = Date.now();
    let total = 0;
    for (;;) {
      const n = await deleteBatch(cutoff, batchSize);
      total += n;
      if (n < batchSize || Date.now() - started >= maxRunMs) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    if (total > 0) {
      this.logger.log(`pruned ${total} ${what} created before ${cutoff.toISOString()}`);
    }
    return total;
  }
}
