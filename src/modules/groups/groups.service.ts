import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { TransactionRunner } from '@app/common/database/transaction';
import {
  BadRequestError,
  NotFoundError,
  UnprocessableError,
  type ApiErrorItem,
} from '@app/common/errors/api-error';
import { diffOf } from '@app/common/events/diff';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import type { CreateGroupBody, UpdateGroupBody } from './dto/group.params';
import { Group } from './group.entity';
import {
  groupEnvironmentNotAllowed,
  groupLimitExceeded,
  groupNotFound,
  type GroupMemberKind,
} from './group.errors';
import { groupFacts, groupPolicy, type GroupPolicyFacts } from './group.policy';
import { groupValidationErrors, limitReached, memberEnvironmentFits } from './group.rules';
import { GroupSerializer } from './group.serializer';
import { GroupsRepository } from './groups.repository';

/** Kinds of member whose group limits this module can check today. */
export type CountedMemberKind = Extract<GroupMemberKind, 'users'>;

/** The member joining a group, as far as the join rules care. */
export interface JoiningMember {
  kind: CountedMemberKind;
  /** The member's environment (null = global). */
  environmentId: string | null;
  /** The member's current group (a join to the same group is not re-checked). */
  currentGroupId?: string | null;
}

/** Groups CRUD (spec 01 §8) and the join rules other modules apply to their records. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly repo: GroupsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async index(
    ctx: RequestContext,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<Group>> {
    const f = await this.facts(ctx);
    const page = await this.repo.list(ctx.scope, groupPolicy.scope(f), pagination, search);
    enforce(groupPolicy.index(f, page.rows));
    return page;
  }

  /** compat: Keygen looks the group up account-wide, so out-of-scope groups are 403s. */
  async show(ctx: RequestContext, id: string): Promise<Group> {
    const group = await this.findInAccount(ctx, id);
    enforce(groupPolicy.show(await this.facts(ctx), group));
    return group;
  }

  /** The record is built from the (already validated) params before authorizing. */
  async create(ctx: RequestContext, body: CreateGroupBody): Promise<Group> {
    const attrs = body.data.attributes;
    const env = body.data.relationships?.environment;
    const now = ctx.clock.now();
    const group = Object.assign(new Group(), {
      id: uuidv4(),
      accountId: ctx.scope.accountId,
      environmentId: env ? (env.data?.id ?? null) : ctx.scope.environmentId,
      name: attrs.name,
      maxUsers: attrs.max_users ?? null,
      maxLicenses: attrs.max_licenses ?? null,
      maxMachines: attrs.max_machines ?? null,
      metadata: attrs.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    });
    enforce(groupPolicy.create(await this.facts(ctx), group));
    assertValid(group);

    await this.repo.insert(ctx.scope, group);
    this.emit('group.created', ctx, group);
    return group;
  }

  async update(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<UpdateGroupBody>,
  ): Promise<Group> {
    const group = await this.findInAccount(ctx, id);
    enforce(groupPolicy.update(await this.facts(ctx), group));
    const attrs = params().data.attributes;

    const patch: Partial<Group> = {};
    if (attrs.name !== undefined && attrs.name !== group.name) {
      patch.name = attrs.name;
    }
    if (attrs.max_users !== undefined && attrs.max_users !== group.maxUsers) {
      patch.maxUsers = attrs.max_users;
    }
    if (attrs.max_licenses !== undefined && attrs.max_licenses !== group.maxLicenses) {
      patch.maxLicenses = attrs.max_licenses;
    }
    if (attrs.max_machines !== undefined && attrs.max_machines !== group.maxMachines) {
      patch.maxMachines = attrs.max_machines;
    }
    if (
      attrs.metadata !== undefined &&
      JSON.stringify(attrs.metadata) !== JSON.stringify(group.metadata)
    ) {
      patch.metadata = attrs.metadata;
    }
    const next = Object.assign(new Group(), group, patch);
    assertValid(next);

    // Like Keygen, an update that changes nothing leaves `updated` alone.
    if (Object.keys(patch).length > 0) {
      next.updatedAt = ctx.clock.now();
      await this.repo.update(ctx.scope, group.id, { ...patch, updatedAt: next.updatedAt });
    }
    this.emit('group.updated', ctx, next, diffOf(group, next));
    return next;
  }

  /** Members leave the group (their `group` becomes null); owners are removed. */
  async destroy(ctx: RequestContext, id: string): Promise<void> {
    const group = await this.findInAccount(ctx, id);
    enforce(groupPolicy.destroy(await this.facts(ctx), group));
    await this.repo.delete(ctx.scope, group.id);
    this.emit('group.deleted', ctx, group);
  }

  /**
   * The parent group of a nested route (`/groups/{id}/owners`, `/users`), looked up
   * within the bearer's reach (spec 01 §2.8.2): out of reach or unknown → 404.
   */
  async findForNested(
    ctx: RequestContext,
    id: string,
  ): Promise<{ group: Group; facts: GroupPolicyFacts }> {
    const facts = await this.facts(ctx);
    const group = await this.repo.findInScope(ctx.scope, groupPolicy.scope(facts), id);
    if (!group) {
      throw NotFoundError.record('group', id);
    }
    return { group, facts };
  }

  /** Policy facts for the request, with the groups a user bearer owns. */
  async facts(ctx: RequestContext): Promise<GroupPolicyFacts> {
    // Ownership only widens what `user`-role bearers reach; staff see every group anyway.
    const owns =
      ctx.bearer?.type === 'users' && ctx.bearer.role === 'user'
        ? await this.repo.ownedGroupIds(ctx.scope, ctx.bearer.id)
        : [];
    return groupFacts(ctx, owns);
  }

  /** Any group of the account by id (the group a member points at), or null. */
  findById(ctx: RequestContext, id: string): Promise<Group | null> {
    return this.repo.findByIdInAccount(ctx.scope, id);
  }

  /**
   * The 422 items for a member joining `groupId` (spec 01 §8.3), in Keygen's order:
   * environment compatibility, existence (`GROUP_NOT_FOUND`, account-wide), then the
   * limit. Locks the group row in `m`, so call it inside the transaction that writes the
   * member: concurrent joins then serialise and cannot exceed the limit.
   */
  async joinErrors(
    ctx: RequestContext,
    groupId: string,
    member: JoiningMember,
    m: EntityManager,
  ): Promise<ApiErrorItem[]> {
    const group = await this.repo.lockInAccount(ctx.scope, groupId, m);
    if (!group) {
      return [groupNotFound(member.kind)];
    }
    if (member.currentGroupId === groupId) {
      return [];
    }
    const errors: ApiErrorItem[] = [];
    const shared =
      member.environmentId !== null &&
      ctx.environment?.id === member.environmentId &&
      ctx.environment.isolationStrategy === 'SHARED';
    if (
      !memberEnvironmentFits({ environmentId: member.environmentId, shared }, group.environmentId)
    ) {
      errors.push(groupEnvironmentNotAllowed(member.kind));
    }
    const max = group.maxUsers;
    if (max !== null && limitReached(max, await this.repo.countUsers(ctx.scope, group.id, m))) {
      errors.push(groupLimitExceeded(member.kind, max));
    }
    return errors;
  }

  /**
   * Throws the 422 when a record of `kind` may not join `groupId` (unknown group, other
   * environment, group full). Pass the manager of the transaction that writes the member
   * so the group row stays locked until it commits; without one the check runs alone.
   */
  async assertJoinable(
    ctx: RequestContext,
    groupId: string,
    kind: CountedMemberKind,
    m?: EntityManager,
    environmentId: string | null = ctx.scope.environmentId,
  ): Promise<void> {
    const member: JoiningMember = { kind, environmentId };
    const errors = m
      ? await this.joinErrors(ctx, groupId, member, m)
      : await this.tx.run((tm) => this.joinErrors(ctx, groupId, member, tm));
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
  }

  private async findInAccount(ctx: RequestContext, id: string): Promise<Group> {
    const group = await this.repo.findByIdInAccount(ctx.scope, id);
    if (!group) {
      throw NotFoundError.record('group', id);
    }
    return group;
  }

  private emit(
    name: string,
    ctx: RequestContext,
    group: Group,
    changes?: Record<string, [unknown, unknown]>,
  ): void {
    this.events.emit(
      name,
      ctx,
      {
        type: 'groups',
        id: group.id,
        record: group,
        serializer: GroupSerializer as never,
      },
      changes ? { changes } : {},
    );
  }
}

const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;

/** Model validation (422), then Keygen's save-time integer range check (400). */
function assertValid(group: Group): void {
  const errors = groupValidationErrors(group);
  if (errors.length > 0) {
    throw new UnprocessableError(errors);
  }
  for (const n of [group.maxUsers, group.maxLicenses, group.maxMachines]) {
    if (n !== null && (n < INT4_MIN || n > INT4_MAX)) {
      throw new BadRequestError('integer is too large');
    }
  }
}
