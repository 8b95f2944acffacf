import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Authorize, Ctx, Public } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import {
  ResetPasswordParams,
  UpdatePasswordParams,
  type ResetPasswordBody,
  type UpdatePasswordBody,
} from './dto/user.params';
import type { User } from './user.entity';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { UserSerializer } from './user.serializer';
import { UserActionsService } from './user-actions.service';
import { UserPasswordsService } from './user-passwords.service';

@Controller('v1/accounts/:account/users/:id/actions')
export class UserActionsController {
  constructor(
    private readonly actions: UserActionsService,
    private readonly passwords: UserPasswordsService,
  ) {}

  @Post('ban')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  ban(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<User> {
    return this.actions.ban(ctx, id);
  }

  @Post('unban')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  unban(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<User> {
    return this.actions.unban(ctx, id);
  }

  @Post('update-password')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  updatePassword(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(UpdatePasswordParams) params: ParamsThunk<UpdatePasswordBody>,
  ): Promise<User> {
    return this.passwords.updatePassword(ctx, id, params);
  }

  /** Token-based; anonymous. */
  @Post('reset-password')
  @HttpCode(200)
  @Public()
  @Render(UserSerializer)
  resetPassword(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(ResetPasswordParams) params: ParamsThunk<ResetPasswordBody>,
  ): Promise<User> {
    return this.passwords.resetPassword(ctx, id, params);
  }
}
