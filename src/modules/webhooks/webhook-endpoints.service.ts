import { Inject, Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid, uuidv4 } from '@app/common/ids';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { environmentCompatible } from '@app/modules/policies/policy-entitlement.rules';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import type {
  CreateWebhookEndpointBody,
  UpdateWebhookEndpointBody,
  WebhookEndpointAttributes,
} from './dto/webhook-endpoint.params';
import { WebhookActivityCache } from './webhook-activity.cache';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { webhookEndpointPolicy, type EndpointAccess } from './webhook-endpoint.policy';
import {
  uniqueSubscriptions,
  webhookEndpointErrors,
  type EndpointUrlRules,
} from './webhook-endpoint.rules';
import { ALL_EVENTS } from './webhook-event-types';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

/** Webhook endpoint CRUD (spec 05 §1). No domain event is emitted for these writes. */
@Injectable()
export class WebhookEndpointsService {
  private readonly urlRules: EndpointUrlRules;

  constructor(
    private readonly repo: WebhookEndpointsRepository,
    private readonly products: ProductsService,
    private readonly activity: WebhookActivityCache,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.urlRules = {
      allowPrivateTargets: config.webhooks.allowPrivateTargets,
      blockedHosts: config.webhooks.blockedHosts,
    };
  }

  /** compat: scoped, then authorized as a whole (a product gets an empty list). */
  async index(ctx: RequestContext, pagination: Pagination): Promise<ListResult<WebhookEndpoint>> {
    const caller = callerOf(ctx);
    const page = await this.repo.list(ctx.scope, this.access(ctx), pagination);
    enforce(webhookEndpointPolicy.index(caller, page.rows));
    return page;
  }

  async show(ctx: RequestContext, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.load(ctx, id);
    enforce(webhookEndpointPolicy.show(callerOf(ctx), endpoint));
    return endpoint;
  }

  /** Params (400) → authorize (403) → validate (422) → save. */
  async create(ctx: RequestContext, body: CreateWebhookEndpointBody): Promise<WebhookEndpoint> {
    const caller = callerOf(ctx);
    const { attributes: a, relationships: rels } = body.data;
    const now = ctx.clock.now();
    const endpoint = Object.assign(new WebhookEndpoint(), {
      id: uuidv4(),
      accountId: ctx.scope.accountId,
      environmentId: rels?.environment
        ? (rels.environment.data?.id ?? null)
        : ctx.scope.environmentId,
      // compat: a product bearer's endpoint is bound to it unless the body says otherwise.
      productId: rels?.product
        ? (rels.product.data?.id ?? null)
        : caller.bearer.role === 'product'
          ? caller.bearer.id
          : null,
      url: a.url,
      subscriptions: [ALL_EVENTS],
      signatureAlgorithm: 'ed25519',
      apiVersion: ctx.apiVersion,
      createdAt: now,
      updatedAt: now,
    } satisfies WebhookEndpoint);
    assignAttributes(endpoint, a);
    enforce(webhookEndpointPolicy.create(caller, endpoint));
    await this.validate(ctx, endpoint);
    endpoint.subscriptions = uniqueSubscriptions(endpoint.subscriptions);
    await this.repo.insert(ctx.scope, endpoint);
    this.activity.invalidate(endpoint.accountId);
    return endpoint;
  }

  /** Lookup (404) → authorize (403) → params (400) → validate the whole record (422). */
  async update(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<UpdateWebhookEndpointBody>,
  ): Promise<WebhookEndpoint> {
    const endpoint = await this.load(ctx, id);
    enforce(webhookEndpointPolicy.update(callerOf(ctx), endpoint));
    const { attributes, relationships } = params().data;
    const next = Object.assign(new WebhookEndpoint(), endpoint);
    assignAttributes(next, attributes ?? {});
    if (relationships?.product) {
      next.productId = relationships.product.data?.id ?? null;
    }
    await this.validate(ctx, next);
    next.subscriptions = uniqueSubscriptions(next.subscriptions);
    const patch = changes(endpoint, next);
    // Like Keygen, an update that changes nothing leaves `updated` alone.
    if (Object.keys(patch).length > 0) {
      next.updatedAt = ctx.clock.now();
      patch.updatedAt = next.updatedAt;
      await this.repo.update(ctx.scope, endpoint.id, patch);
      this.activity.invalidate(endpoint.accountId);
    }
    return next;
  }

  /** The endpoint's events stay (spec 05 §1.5.3). */
  async destroy(ctx: RequestContext, id: string): Promise<void> {
    const endpoint = await this.load(ctx, id);
    enforce(webhookEndpointPolicy.destroy(callerOf(ctx), endpoint));
    await this.repo.delete(ctx.scope, endpoint.id);
    this.activity.invalidate(endpoint.accountId);
  }

  private async validate(ctx: RequestContext, e: WebhookEndpoint): Promise<void> {
    const product = e.productId ? await this.products.findByIdInAccount(ctx, e.productId) : null;
    const errors = webhookEndpointErrors(
      e,
      {
        productMissing: e.productId !== null && product === null,
        environmentIncompatible:
          product !== null && !this.fitsProduct(ctx, e, product.environmentId),
      },
      this.urlRules,
    );
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
  }

  private fitsProduct(
    ctx: RequestContext,
    e: WebhookEndpoint,
    productEnvId: string | null,
  ): boolean {
    // The endpoint is in the current environment here (writes are strict).
    const env =
      e.environmentId === null
        ? null
        : {
            id: e.environmentId,
            isolationStrategy: ctx.environment?.isolationStrategy ?? 'ISOLATED',
          };
    return environmentCompatible(env, productEnvId);
  }

  private access(ctx: RequestContext): EndpointAccess {
    return webhookEndpointPolicy.scope(callerOf(ctx).bearer);
  }

  /** Endpoints are addressed by UUID only (spec 00 §1.2); anything else is a 404. */
  private async load(ctx: RequestContext, id: string): Promise<WebhookEndpoint> {
    const endpoint = isUuidLike(id)
      ? await this.repo.findVisible(ctx.scope, this.access(ctx), normalizeUuid(id))
      : null;
    if (!endpoint) {
      throw NotFoundError.record('webhook endpoint', id);
    }
    return endpoint;
  }
}

function assignAttributes(e: WebhookEndpoint, a: WebhookEndpointAttributes): void {
  if (a.url !== undefined) {
    e.url = a.url;
  }
  if (a.subscriptions !== undefined) {
    e.subscriptions = a.subscriptions;
  }
  if (a.signature_algorithm !== undefined) {
    e.signatureAlgorithm = a.signature_algorithm as WebhookEndpoint['signatureAlgorithm'];
  }
  if (a.api_version !== undefined) {
    e.apiVersion = a.api_version;
  }
}

function changes(before: WebhookEndpoint, after: WebhookEndpoint): Partial<WebhookEndpoint> {
  const patch: Partial<WebhookEndpoint> = {};
  if (after.url !== before.url) {
    patch.url = after.url;
  }
  if (JSON.stringify(after.subscriptions) !== JSON.stringify(before.subscriptions)) {
    patch.subscriptions = after.subscriptions;
  }
  if (after.signatureAlgorithm !== before.signatureAlgorithm) {
    patch.signatureAlgorithm = after.signatureAlgorithm;
  }
  if (after.apiVersion !== before.apiVersion) {
    patch.apiVersion = after.apiVersion;
  }
  if (after.productId !== before.productId) {
    patch.productId = after.productId;
  }
  return patch;
}
