import { Controller, Get } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { Render, type Rendered } from '@app/common/http/render';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { mePermissions, profilePermissions } from './profile.policy';
import { ProfilesService } from './profiles.service';

/**
 * The current bearer. Each bearer type renders with its own serializer (the service
 * picks it); UserSerializer is the route's declared default.
 */
@Controller('v1/accounts/:account')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get('me')
  @Authorize(mePermissions)
  @Render(UserSerializer)
  me(@Ctx() ctx: RequestContext): Promise<Rendered<unknown>> {
    return this.profiles.me(ctx);
  }

  @Get('profile')
  @Authorize(profilePermissions)
  @Render(UserSerializer)
  show(@Ctx() ctx: RequestContext): Promise<Rendered<unknown>> {
    return this.profiles.show(ctx);
  }
}
