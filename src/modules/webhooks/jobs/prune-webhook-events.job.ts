import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueue, QUEUES, WEBHOOK_JOBS } from '@app/common/jobs/queues';
import { WebhookPruneService } from '../webhook-prune.service';

/** prune-webhook-events: the daily retention sweep (schedule in common/jobs/schedules.ts). */
@Injectable()
export class PruneWebhookEventsJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly pruner: WebhookPruneService,
  ) {}

  onModuleInit(): void {
    this.jobs.process(QUEUES.webhooks, WEBHOOK_JOBS.prune, async () => {
      await this.pruner.prune();
    });
  }
}
