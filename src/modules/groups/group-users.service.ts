import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import type { User } from '@app/modules/users/user.entity';
import { groupUserPolicy } from './group.policy';
import { GroupsRepository } from './groups.repository';
import { GroupsService } from './groups.service';

/** `/groups/{id}/users[/{id|email}]`: the group's members (spec 01 §8.1). */
@Injectable()
export class GroupUsersService {
  constructor(
    private readonly groups: GroupsService,
    private readonly repo: GroupsRepository,
  ) {}

  async index(
    ctx: RequestContext,
    groupId: string,
    pagination: Pagination,
  ): Promise<ListResult<User>> {
    const { group, facts } = await this.groups.findForNested(ctx, groupId);
    const filter = groupUserPolicy.scope(facts, group);
    const page = await this.repo.listMembers(ctx.scope, group.id, filter, pagination);
    enforce(groupUserPolicy.index(facts, group, page.rows));
    return page;
  }

  /** compat: nested user lookups match the e-mail exactly as given (no lower-casing). */
  async show(ctx: RequestContext, groupId: string, idOrEmail: string): Promise<User> {
    const { group, facts } = await this.groups.findForNested(ctx, groupId);
    const user = await this.repo.findMember(ctx.scope, group.id, idOrEmail);
    if (!user) {
      throw NotFoundError.record('user', idOrEmail);
    }
    enforce(groupUserPolicy.show(facts, group, user));
    return user;
  }
}
