import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid, uuidv4 } from '@app/common/ids';
import { callerOf } from '@app/modules/tokens/token.policy';
import { WebhookDeliveryService, deliveryJobId } from './webhook-delivery.service';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEvent } from './webhook-event.entity';
import { webhookEventPolicy, type EventAccess, type EventFacts } from './webhook-event.policy';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookRetryError } from './webhook.errors';

/** Webhook events: list, show, delete and manual retry (spec 05 §2). */
@Injectable()
export class WebhookEventsService {
  constructor(
    private readonly repo: WebhookEventsRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly delivery: WebhookDeliveryService,
  ) {}

  /** `events[]=<type>` filters by exact names; an unknown name just matches nothing. */
  async index(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<WebhookEvent>> {
    const caller = callerOf(ctx);
    const access = this.access(ctx);
    const page = await this.repo.list(ctx.scope, access, eventsFilter(query), pagination);
    const productId = access.kind === 'product' ? access.productId : null;
    enforce(
      webhookEventPolicy.index(
        caller,
        page.rows.map((e) => ({ environmentId: e.environmentId, productId })),
      ),
    );
    return page;
  }

  async show(ctx: RequestContext, id: string): Promise<WebhookEvent> {
    const event = await this.load(ctx, id);
    enforce(webhookEventPolicy.show(callerOf(ctx), await this.facts(event)));
    return event;
  }

  async destroy(ctx: RequestContext, id: string): Promise<void> {
    const event = await this.load(ctx, id);
    enforce(webhookEventPolicy.destroy(callerOf(ctx), await this.facts(event)));
    await this.repo.delete(ctx.scope, event.id);
  }

  /**
   * A new event with the same payload, API version and idempotency token, delivered
   * to the original endpoint, else one with the same URL in the same environment.
   * The original is left as it was.
   */
  async retry(ctx: RequestContext, id: string): Promise<WebhookEvent> {
    const event = await this.load(ctx, id);
    enforce(webhookEventPolicy.retry(callerOf(ctx), await this.facts(event)));
    const endpoint =
      (event.webhookEndpointId
        ? await this.endpoints.findInAccount(event.accountId, event.webhookEndpointId)
        : null) ??
      (await this.endpoints.findByUrl(event.accountId, event.environmentId, event.endpoint));
    if (!endpoint) {
      throw new WebhookRetryError();
    }
    const now = ctx.clock.now();
    const id2 = uuidv4();
    const copy = Object.assign(new WebhookEvent(), {
      id: id2,
      accountId: event.accountId,
      environmentId: event.environmentId,
      webhookEndpointId: endpoint.id,
      event: event.event,
      endpoint: event.endpoint,
      apiVersion: event.apiVersion,
      payload: event.payload,
      status: 'DELIVERING',
      idempotencyToken: event.idempotencyToken,
      lastResponseCode: null,
      lastResponseBody: null,
      attempts: 0,
      jobId: deliveryJobId(id2, 0),
      createdAt: now,
      updatedAt: now,
    } satisfies WebhookEvent);
    await this.repo.insert(ctx.scope, copy);
    await this.delivery.enqueue(copy, 0);
    return copy;
  }

  private access(ctx: RequestContext): EventAccess {
    return webhookEventPolicy.scope(callerOf(ctx).bearer);
  }

  private async facts(event: WebhookEvent): Promise<EventFacts> {
    return { environmentId: event.environmentId, productId: await this.repo.productIdOf(event) };
  }

  /** Events are addressed by UUID only (spec 00 §1.2); anything else is a 404. */
  private async load(ctx: RequestContext, id: string): Promise<WebhookEvent> {
    const event = isUuidLike(id)
      ? await this.repo.findVisible(ctx.scope, this.access(ctx), normalizeUuid(id))
      : null;
    if (!event) {
      throw NotFoundError.record('webhook event', id);
    }
    return event;
  }
}

/** has_scope `events` (type array): a non-array value is ignored. */
function eventsFilter(query: Record<string, unknown>): string[] | null {
  const v = query.events;
  if (!Array.isArray(v)) {
    return null;
  }
  return v.filter((s): s is string => typeof s === 'string');
}
