import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { ChangeUserGroupParams, type ChangeUserGroupBody } from './dto/group.params';
import type { Group } from './group.entity';
import { GroupSerializer } from './group.serializer';
import { UserGroupService } from './user-group.service';

/** The user's group relationship (`/users/{id}/group`). */
@Controller('v1/accounts/:account/users/:user/group')
export class UserGroupController {
  constructor(private readonly userGroup: UserGroupService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(GroupSerializer)
  show(@Ctx() ctx: RequestContext, @Param('user') user: string): Promise<Group | null> {
    return this.userGroup.show(ctx, user);
  }

  @Put()
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @DeferredParams(ChangeUserGroupParams) params: ParamsThunk<ChangeUserGroupBody>,
  ): Promise<User> {
    return this.userGroup.update(ctx, user, params);
  }

  /** PATCH alias of `update` (Keygen routes both verbs to the same action). */
  @Patch()
  @Authorize(CHECKED_BY_POLICY)
  @Render(UserSerializer)
  patch(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @DeferredParams(ChangeUserGroupParams) params: ParamsThunk<ChangeUserGroupBody>,
  ): Promise<User> {
    return this.userGroup.update(ctx, user, params);
  }
}
