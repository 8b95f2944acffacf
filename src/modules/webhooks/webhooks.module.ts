import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@app/modules/accounts/accounts.module';
import { License, LicenseUser } from '@app/modules/licenses/license.entity';
import { Machine } from '@app/modules/machines/machine.entity';
import { Policy } from '@app/modules/policies/policy.entity';
import { Product } from '@app/modules/products/product.entity';
import { ProductsModule } from '@app/modules/products/products.module';
import { CreateWebhookEventsJob } from './jobs/create-webhook-events.job';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job';
import { PruneWebhookEventsJob } from './jobs/prune-webhook-events.job';
import { WebhookActivityCache } from './webhook-activity.cache';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEvent } from './webhook-event.entity';
import { WebhookEventActionsController } from './webhook-event-actions.controller';
import { WebhookEventsController } from './webhook-events.controller';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookFanoutService } from './webhook-fanout.service';
import { WebhookLookupsRepository } from './webhook-lookups.repository';
import { WebhookPruneService } from './webhook-prune.service';

/**
 * Webhook endpoints, events, fan-out and delivery (spec 05). Subscribes to every
 * domain event; no resource module imports it.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      WebhookEndpoint,
      WebhookEvent,
      Product,
      Policy,
      Machine,
      License,
      LicenseUser,
    ]),
    AccountsModule,
    ProductsModule,
  ],
  controllers: [WebhookEndpointsController, WebhookEventsController, WebhookEventActionsController],
  providers: [
    WebhookEndpointsRepository,
    WebhookEventsRepository,
    WebhookLookupsRepository,
    WebhookActivityCache,
    WebhookEndpointsService,
    WebhookEventsService,
    WebhookDeliveryService,
    WebhookFanoutService,
    WebhookPruneService,
    CreateWebhookEventsJob,
    DeliverWebhookJob,
    PruneWebhookEventsJob,
  ],
  exports: [WebhookEventsService],
})
export class WebhooksModule {}
