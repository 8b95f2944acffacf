import { Controller, Delete, Get, HttpCode, Patch } from '@nestjs/common';
import { p, jsonApiEnvelope } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { ForbiddenError } from '@app/common/errors/api-error';
import { Params } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import { API_VERSIONS } from '@app/common/versioning/versions';
import type { Account } from './account.entity';
import { AccountSerializer } from './account.serializer';
import { AccountsService, type UpdateAccount } from './accounts.service';

const UpdateAccountParams = jsonApiEnvelope({
  type: ['account', 'accounts'],
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: p.string({ optional: true, nullable: true, allowBlank: true }),
      slug: p.string({ optional: true }),
      api_version: p.string({ optional: true, inclusion: API_VERSIONS }),
      protected: p.boolean({ optional: true }),
    },
    { optional: true },
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
    @Params(UpdateAccountParams) body: { data: { attributes?: UpdateAccount } },
  ): Promise<Account> {
    return this.accounts.update(ctx, body.data.attributes ?? {});
  }

  @Delete()
  @HttpCode(204)
  @Authorize('account.read')
  destroy(): never {
    // compat: Keygen denies account deletion to every authenticated bearer.
    throw new ForbiddenError();
  }
}
