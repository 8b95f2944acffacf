import { Controller, Delete, Get, HttpCode, Patch } from '@nestjs/common';
import { p, jsonApiEnvelope } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import { API_VERSIONS } from '@app/common/versioning/versions';
import type { Account } from './account.entity';
import { AccountSerializer } from './account.serializer';
import { AccountsService, type UpdateAccount } from './accounts.service';

const UpdateAccountParams = jsonApiEnvelope({
  type: ['account', 'accounts'],
  id: p.string({ optional: true }),
  // compat: Keygen requires `attributes` on update; null optionals are dropped.
  attributes: p.object(
    {
      name: p.string({ optional: true }),
      slug: p.string({ optional: true }),
      api_version: p.string({ optional: true, inclusion: API_VERSIONS }),
      protected: p.boolean({ optional: true }),
    },
    { optional: false },
  ),
});

@Controller('v1/accounts/:account')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Authorize('account.read')
  @Render(AccountSerializer)
  show(@Ctx() ctx: RequestContext): Account {
    return this.accounts.show(ctx);
  }

  @Patch()
  @Authorize('account.update')
  @Render(AccountSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @DeferredParams(UpdateAccountParams) body: ParamsThunk<Record<string, unknown>>,
  ): Promise<Account> {
    // The body is validated after the policy (Keygen: 403 before 400 on update).
    return this.accounts.update(ctx, () => (body() as { data: { attributes: UpdateAccount } }).data.attributes);
  }

  @Delete()
  @HttpCode(204)
  // Any authenticated bearer reaches the policy, which always denies (no permission first).
  @Authorize([])
  destroy(@Ctx() ctx: RequestContext): never {
    return this.accounts.destroy(ctx);
  }
}
