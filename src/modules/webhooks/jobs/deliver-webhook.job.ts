import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueue, QUEUES, WEBHOOK_JOBS } from '@app/common/jobs/queues';
import { WebhookDeliveryService, type DeliverJob } from '../webhook-delivery.service';

/** deliver-webhook: one signed attempt of one event; the next attempt is its own job. */
@Injectable()
export class DeliverWebhookJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly delivery: WebhookDeliveryService,
  ) {}

  onModuleInit(): void {
    this.jobs.process(QUEUES.webhooks, WEBHOOK_JOBS.deliver, (payload) =>
      this.delivery.deliver(payload as unknown as DeliverJob),
    );
  }
}
