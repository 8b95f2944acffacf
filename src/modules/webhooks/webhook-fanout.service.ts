import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AccountResolver } from '@app/common/auth/ports';
import { Clock } from '@app/common/clock/clock';
import { DomainEvents, type DomainEvent } from '@app/common/events/domain-events';
import { uuidv4 } from '@app/common/ids';
import { JobQueue, QUEUES, WEBHOOK_JOBS } from '@app/common/jobs/queues';
import { WebhookActivityCache } from './webhook-activity.cache';
import { WebhookDeliveryService, deliveryJobId } from './webhook-delivery.service';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEvent } from './webhook-event.entity';
import { isDeliverable, isSubscribed } from './webhook-event-types';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookLookupsRepository } from './webhook-lookups.repository';
import { payloadFor, renderPayloads } from './webhook-payload';
import { productMayRead, resourceFacts, type ResourceFacts } from './webhook-product-scope';

/** Payload of a create-webhook-events job: one broadcast event, rendered. */
export interface CreateEventsJob {
  /** Random per broadcast; event ids derive from it, so a re-run inserts nothing twice. */
  broadcastId: string;
  accountId: string;
  environmentId: string | null;
  event: string;
  resourceType: string;
  /** Facts of the record(s) for product-scoped endpoints. */
  facts: ResourceFacts[];
  /** The resource document at the current API version, as a JSON string. */
  payload: string;
  /** Renderings for older endpoints, by render breakpoint, where they differ (renderPayloads). */
  legacy?: Record<string, string>;
}

/** 64 characters: random hex ending in `v3` (Keygen's token format). */
export function idempotencyToken(): string {
  return `${randomBytes(31).toString('hex')}v3`;
}

/** A v4-shaped UUID derived from the broadcast and the endpoint. */
export function derivedEventId(broadcastId: string, endpointId: string): string {
  const b = createHash('sha256').update(`${broadcastId}:${endpointId}`).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const JOB_ATTEMPTS = 5;
const JOB_BACKOFF_MS = 2_000;

/**
 * Fans domain events out to webhook endpoints (spec 05 §3.3). On emit (request path,
 * synchronous, no I/O): render the resource once and queue a create-webhook-events
 * job. The job selects the endpoints (environment strictly equal, subscribed, product
 * may read the resource), persists one event per endpoint with the payload migrated
 * to its API version, then queues one delivery each. Rows exist before any delivery
 * job does. Failures here never reach the request.
 */
@Injectable()
export class WebhookFanoutService implements OnModuleInit {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly jobs: JobQueue,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly events: WebhookEventsRepository,
    private readonly lookups: WebhookLookupsRepository,
    private readonly delivery: WebhookDeliveryService,
    private readonly activity: WebhookActivityCache,
    private readonly accounts: AccountResolver,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.domainEvents.subscribe((e) => this.broadcast(e));
  }

  /** The DomainEvents subscriber. */
  broadcast(e: DomainEvent): void {
    const { resource } = e;
    if (!isDeliverable(e.name) || !resource.serializer) {
      return;
    }
    const accountId = e.ctx.account.account.id;
    if (this.activity.knownIdle(accountId)) {
      return;
    }
    if (!this.activity.known(accountId)) {
      this.activity
        .fill(accountId, () => this.endpoints.anyActive(accountId))
        .catch((err: unknown) =>
          this.logger.warn(`webhook activity lookup failed: ${String(err)}`),
        );
    }
    const records = Array.isArray(resource.record)
      ? (resource.record as unknown[])
      : [resource.record];
    const job: CreateEventsJob = {
      broadcastId: uuidv4(),
      accountId,
      // The request's environment, else the resource's (spec 05 §3.2).
      environmentId: e.ctx.environment?.id ?? recordEnvironment(records[0]),
      event: e.name,
      resourceType: resource.type,
      facts: records.map(resourceFacts),
      ...renderPayloads({
        accountId,
        record: resource.record,
        serializer: resource.serializer,
        meta: e.meta,
        now: e.at,
      }),
    };
    this.jobs
      .enqueue(
        QUEUES.webhooks,
        WEBHOOK_JOBS.createEvents,
        { ...job },
        {
          jobId: `create-webhook-events:${job.broadcastId}`,
          attempts: JOB_ATTEMPTS,
          backoffMs: JOB_BACKOFF_MS,
        },
      )
      .catch((err: unknown) =>
        this.logger.error(`could not queue ${e.name} webhooks: ${String(err)}`),
      );
  }

  /** The create-webhook-events job. Idempotent: a re-run creates and queues nothing twice. */
  async createEvents(job: CreateEventsJob): Promise<void> {
    const candidates = (
      await this.endpoints.listForEnvironment(job.accountId, job.environmentId)
    ).filter((ep) => isSubscribed(ep.subscriptions, job.event));
    const selected = [];
    for (const ep of candidates) {
      if (ep.productId === null) {
        selected.push(ep);
        continue;
      }
      const product = await this.lookups.product(job.accountId, ep.productId);
      if (product && (await productMayRead(product, job.resourceType, job.facts, this.lookups))) {
        selected.push(ep);
      }
    }
    if (selected.length === 0) {
      return;
    }
    const account = await this.accounts.resolve(job.accountId);
    if (!account) {
      return;
    }
    const now = this.clock.now();
    const rows = selected.map((ep) => {
      const id = derivedEventId(job.broadcastId, ep.id);
      const apiVersion = ep.apiVersion || account.account.apiVersion;
      return Object.assign(new WebhookEvent(), {
        id,
        accountId: job.accountId,
        environmentId: job.environmentId,
        webhookEndpointId: ep.id,
        event: job.event,
        endpoint: ep.url,
        apiVersion,
        payload: payloadFor(job, apiVersion),
        status: 'DELIVERING',
        idempotencyToken: idempotencyToken(),
        lastResponseCode: null,
        lastResponseBody: null,
        attempts: 0,
        jobId: deliveryJobId(id, 0),
        createdAt: now,
        updatedAt: now,
      } satisfies WebhookEvent);
    });
    await this.events.insertMany(rows);
    for (const row of rows) {
      await this.delivery.enqueue(row, 0);
    }
  }
}

function recordEnvironment(record: unknown): string | null {
  const env = (record as { environmentId?: unknown } | null)?.environmentId;
  return typeof env === 'string' ? env : null;
}
