import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common/clock/clock';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { WebhookEventsRepository } from './webhook-events.repository';

const BATCH_SIZE = 1000;
/** Keygen stops after an hour and resumes on the next run. */
const EXEC_LIMIT_MS = 60 * 60_000;

/**
 * Daily retention sweep (spec 05 §2.4): deletes events created before the start of
 * the UTC day `KEYGEN_PRUNE_WEBHOOK_BACKLOG_DAYS` ago, in batches; <= 0 keeps all.
 */
@Injectable()
export class WebhookPruneService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async prune(): Promise<number> {
    const days = this.config.webhooks.pruneBacklogDays;
    if (days <= 0) {
      return 0;
    }
    const cutoff = new Date(this.clock.now().getTime() - days * 86_400_000);
    cutoff.setUTCHours(0, 0, 0, 0);
    const started = Date.now();
    let total = 0;
    for (;;) {
      const n = await this.events.pruneBefore(cutoff, BATCH_SIZE);
      total += n;
      if (n < BATCH_SIZE || Date.now() - started > EXEC_LIMIT_MS) {
        break;
      }
    }
    if (total > 0) {
      this.logger.log(`pruned ${total} webhook event(s) created before ${cutoff.toISOString()}`);
    }
    return total;
  }
}
