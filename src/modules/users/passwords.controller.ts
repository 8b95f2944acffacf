import { Controller, HttpCode, Post } from '@nestjs/common';
import { Ctx, Public } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { Params } from '@app/common/http/params.decorator';
import { RequestPasswordResetParams, type RequestPasswordResetBody } from './dto/user.params';
import { UserPasswordsService } from './user-passwords.service';

/** `POST /passwords`: request a password reset token (always 204). */
@Controller('v1/accounts/:account/passwords')
export class PasswordsController {
  constructor(private readonly passwords: UserPasswordsService) {}

  @Post()
  @HttpCode(204)
  @Public()
  reset(
    @Ctx() ctx: RequestContext,
    @Params(RequestPasswordResetParams) body: RequestPasswordResetBody,
  ): Promise<void> {
    return this.passwords.requestReset(ctx, body);
  }
}
