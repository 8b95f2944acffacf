import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import type { GroupOwnersBody } from './dto/group.params';
import { GroupOwner } from './group-owner.entity';
import { GroupOwnerSerializer } from './group-owner.serializer';
import type { Group } from './group.entity';
import { ownerRelationshipNotFound, ownerUserError } from './group.errors';
import { groupOwnerPolicy } from './group.policy';
import { GroupsRepository } from './groups.repository';
import { GroupsService } from './groups.service';

/** `/groups/{id}/owners` (spec 01 §8.3.5–6). */
@Injectable()
export class GroupOwnersService {
  constructor(
    private readonly groups: GroupsService,
    private readonly repo: GroupsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async index(
    ctx: RequestContext,
    groupId: string,
    pagination: Pagination,
  ): Promise<ListResult<GroupOwner>> {
    const { group, facts } = await this.groups.findForNested(ctx, groupId);
    const page = await this.repo.listOwners(ctx.scope, group.id, pagination);
    enforce(groupOwnerPolicy.index(facts, group, page.rows));
    return page;
  }

  async show(ctx: RequestContext, groupId: string, id: string): Promise<GroupOwner> {
    const { group, facts } = await this.groups.findForNested(ctx, groupId);
    const owner = await this.repo.findOwner(ctx.scope, group.id, id);
    if (!owner) {
      throw NotFoundError.record('group owner', id);
    }
    enforce(groupOwnerPolicy.show(facts, group, owner));
    return owner;
  }

  /**
   * One owner per listed user, all or nothing: the first invalid entry (unknown user,
   * already an owner, or listed twice) fails the request with its 422.
   */
  async attach(
    ctx: RequestContext,
    groupId: string,
    params: ParamsThunk<GroupOwnersBody>,
  ): Promise<GroupOwner[]> {
    const { group, facts } = await this.groups.findForNested(ctx, groupId);
    const userIds = params().data.map((d) => d.id);
    const users = await this.repo.usersInAccount(ctx.scope, userIds);
    enforce(groupOwnerPolicy.attach(facts, group, users));

    const known = new Set(users.map((u) => u.id));
    const now = ctx.clock.now();
    const owners = await this.tx.run(async (m) => {
      const taken = new Set(
        (await this.repo.ownersOfUsers(ctx.scope, group.id, userIds, m)).map((o) => o.userId),
      );
      const created: GroupOwner[] = [];
      for (const userId of userIds) {
        if (taken.has(userId)) {
          throw new UnprocessableError(ownerUserError('USER_TAKEN'));
        }
        if (!known.has(userId)) {
          throw new UnprocessableError(ownerUserError('USER_NOT_FOUND'));
        }
        const owner = newOwner(ctx, group, userId, now);
        await this.repo.insertOwner(ctx.scope, owner, m);
        taken.add(userId);
        created.push(owner);
      }
      return created;
    });
    this.emit('group.owners.attached', ctx, group, owners);
    return owners;
  }

  /** Every listed user must own the group, else 422 and nothing is removed. */
  async detach(
    ctx: RequestContext,
    groupId: string,
    params: ParamsThunk<GroupOwnersBody>,
  ): Promise<void> {
    const { group, facts } = await this.groups.findForNested(ctx, groupId);
    const userIds = params().data.map((d) => d.id);
    const users = await this.repo.usersInAccount(ctx.scope, userIds);
    enforce(groupOwnerPolicy.detach(facts, group, users));

    const owners = await this.tx.run(async (m) => {
      const found = await this.repo.ownersOfUsers(ctx.scope, group.id, userIds, m);
      if (found.length !== userIds.length) {
        // compat: Keygen names the first listed user that owns nothing; when every id
        // matched but one was listed twice there is none, and it renders '' and "/data/".
        const owning = new Set(found.map((o) => o.userId));
        const missing = userIds.find((id) => !owning.has(id));
        throw ownerRelationshipNotFound(
          missing ?? '',
          missing === undefined ? null : userIds.indexOf(missing),
        );
      }
      await this.repo.deleteOwners(
        ctx.scope,
        found.map((o) => o.id),
        m,
      );
      return found;
    });
    this.emit('group.owners.detached', ctx, group, owners);
  }

  /** The event's record is the list of owners attached or detached. */
  private emit(name: string, ctx: RequestContext, group: Group, owners: GroupOwner[]): void {
    this.events.emit(name, ctx, {
      type: 'group-owners',
      id: group.id,
      record: owners,
      serializer: GroupOwnerSerializer as never,
    });
  }
}

function newOwner(ctx: RequestContext, group: Group, userId: string, now: Date): GroupOwner {
  return Object.assign(new GroupOwner(), {
    id: uuidv4(),
    accountId: group.accountId,
    // Keygen defaults the owner to the current environment, else the group's.
    environmentId: ctx.scope.environmentId ?? group.environmentId,
    groupId: group.id,
    userId,
    createdAt: now,
    updatedAt: now,
  });
}
