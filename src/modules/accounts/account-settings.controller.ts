import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { jsonApiEnvelope, p, underscoreKey, type Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import {
  DeferredParams,
  Paginate,
  Params,
  type ParamsThunk,
} from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { AccountSetting } from './account-setting.entity';
import { AccountSettingSerializer } from './account-settings.serializer';
import { AccountSettingsService, type NewSetting } from './account-settings.service';

const CreateSettingParams = jsonApiEnvelope({
  type: ['setting', 'settings'],
  attributes: p.object(
    {
      // compat: Keygen underscores the key value, so `defaultUserPermissions` is accepted.
      key: p.string({ transform: (k) => underscoreKey(k) }),
      value: p.any(),
    },
    { optional: false },
  ),
});

const UpdateSettingParams = jsonApiEnvelope({
  type: ['setting', 'settings'],
  id: p.string({ optional: true }),
  attributes: p.object({ value: p.any() }, { optional: false }),
});

/**
 * Account settings. Permissions are checked by the service after the scoped lookup
 * (AccountSettingPolicy), so routes only require an authenticated bearer: a bearer
 * outside the scope gets Keygen's 404, not a permission 403.
 */
@Controller('v1/accounts/:account/settings')
export class AccountSettingsController {
  constructor(private readonly settings: AccountSettingsService) {}

  @Get()
  @Authorize([])
  @Render(AccountSettingSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Paginate() page: Pagination,
  ): Promise<ListResult<AccountSetting>> {
    return this.settings.list(ctx, page);
  }

  @Get(':id')
  @Authorize([])
  @Render(AccountSettingSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<AccountSetting> {
    return this.settings.show(ctx, id);
  }

  @Post()
  @HttpCode(201)
  @Authorize([])
  @Render(AccountSettingSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateSettingParams) body: { data: { attributes: NewSetting } },
  ): Promise<AccountSetting> {
    return this.settings.create(ctx, body.data.attributes);
  }

  @Patch(':id')
  @Authorize([])
  @Render(AccountSettingSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdateSettingParams) body: ParamsThunk<Record<string, unknown>>,
  ): Promise<AccountSetting> {
    // Lookup (404) and policy (403) come before the body (400), as in Keygen.
    return this.settings.update(
      ctx,
      id,
      () => (body() as { data: { attributes: { value: unknown } } }).data.attributes.value,
    );
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize([])
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.settings.destroy(ctx, id);
  }
}
