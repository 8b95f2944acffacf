import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueue, QUEUES, WEBHOOK_JOBS } from '@app/common/jobs/queues';
import { WebhookFanoutService, type CreateEventsJob } from '../webhook-fanout.service';

/** create-webhook-events: persist one event per selected endpoint, then queue deliveries. */
@Injectable()
export class CreateWebhookEventsJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly fanout: WebhookFanoutService,
  ) {}

  onModuleInit(): void {
    this.jobs.process(QUEUES.webhooks, WEBHOOK_JOBS.createEvents, (payload) =>
      this.fanout.createEvents(payload as unknown as CreateEventsJob),
    );
  }
}
