import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import { User } from '@app/modules/users/user.entity';
import { findUserInScope } from '@app/modules/users/user-lookup';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { UsersRepository } from '@app/modules/users/users.repository';
import type { ChangeUserGroupBody } from './dto/group.params';
import type { Group } from './group.entity';
import { userGroupPolicy } from './group.policy';
import { GroupsRepository } from './groups.repository';
import { GroupsService } from './groups.service';

/** `GET/PUT /users/{id}/group` (spec 01 §5.1, §5.4.9, §8.3). */
@Injectable()
export class UserGroupService {
  constructor(
    private readonly groups: GroupsService,
    private readonly repo: GroupsRepository,
    private readonly users: UsersRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  /** The user's group, or null when it has none (`{"data": null}`). */
  async show(ctx: RequestContext, idOrEmail: string): Promise<Group | null> {
    const user = await findUserInScope(this.users, ctx, idOrEmail);
    const group = user.groupId ? await this.groups.findById(ctx, user.groupId) : null;
    enforce(userGroupPolicy.show(await this.groups.facts(ctx), user, group));
    return group;
  }

  /**
   * Moves the user into a group (or out with `data: null`). The group row is locked
   * while the limit is checked, so concurrent joins cannot exceed `maxUsers`.
   */
  async update(
    ctx: RequestContext,
    idOrEmail: string,
    params: ParamsThunk<ChangeUserGroupBody>,
  ): Promise<User> {
    const user = await findUserInScope(this.users, ctx, idOrEmail);
    enforce(userGroupPolicy.update(await this.groups.facts(ctx), user));
    const groupId = params().data?.id ?? null;

    const next = Object.assign(new User(), user, { groupId });
    await this.tx.run(async (m) => {
      if (groupId !== null) {
        const errors = await this.groups.joinErrors(
          ctx,
          groupId,
          { kind: 'users', environmentId: user.environmentId, currentGroupId: user.groupId },
          m,
        );
        if (errors.length > 0) {
          throw new UnprocessableError(errors);
        }
      }
      if (groupId !== user.groupId) {
        next.updatedAt = ctx.clock.now();
        await this.repo.setUserGroup(ctx.scope, user.id, groupId, next.updatedAt, m);
      }
    });
    this.events.emit('user.group.updated', ctx, {
      type: 'users',
      id: next.id,
      record: next,
      serializer: UserSerializer as never,
    });
    return next;
  }
}
