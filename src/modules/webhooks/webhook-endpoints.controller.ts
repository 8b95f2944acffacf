import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import {
  DeferredParams,
  Paginate,
  Params,
  type ParamsThunk,
} from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import {
  CreateWebhookEndpointParams,
  UpdateWebhookEndpointParams,
  type CreateWebhookEndpointBody,
  type UpdateWebhookEndpointBody,
} from './dto/webhook-endpoint.params';
import type { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointSerializer } from './webhook-endpoint.serializer';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/**
 * `/webhook-endpoints` (spec 05 §1.1). compat: lookups (404) and create bodies (400)
 * come before permissions, so webhookEndpointPolicy checks `webhook-endpoint.*` in
 * the service.
 */
@Controller('v1/accounts/:account/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(WebhookEndpointSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<WebhookEndpoint>> {
    return this.endpoints.index(ctx, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(WebhookEndpointSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<WebhookEndpoint> {
    return this.endpoints.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(WebhookEndpointSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateWebhookEndpointParams) body: CreateWebhookEndpointBody,
  ): Promise<WebhookEndpoint> {
    return this.endpoints.create(ctx, body);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(WebhookEndpointSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateWebhookEndpointParams) params: ParamsThunk<UpdateWebhookEndpointBody>,
  ): Promise<WebhookEndpoint> {
    return this.endpoints.update(ctx, id, params);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.endpoints.destroy(ctx, id);
  }
}
