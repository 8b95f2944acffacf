import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import { whereSatisfies, type SqlPredicate } from '@app/common/database/sql-predicate';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { User } from '@app/modules/users/user.entity';
import { GroupOwner } from './group-owner.entity';
import { Group } from './group.entity';
import type { GroupScopeFilter, MemberScopeFilter } from './group.policy';

/**
 * All SQL for groups, group owners and group membership. Every method takes the
 * AccountScope first. Lookups named `InAccount` ignore the environment rule on purpose
 * (Keygen's unscoped group lookups and its account-wide `must exist` checks).
 */
@Injectable()
export class GroupsRepository {
  constructor(
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    @InjectRepository(GroupOwner) private readonly owners: Repository<GroupOwner>,
  ) {}

  private groupRepo(m?: EntityManager): Repository<Group> {
    return m ? m.getRepository(Group) : this.groups;
  }

  private ownerRepo(m?: EntityManager): Repository<GroupOwner> {
    return m ? m.getRepository(GroupOwner) : this.owners;
  }

  private userRepo(m?: EntityManager): Repository<User> {
    return (m ?? this.groups.manager).getRepository(User);
  }

  /** By id anywhere in the account (non-UUID ids match nothing). */
  findByIdInAccount(scope: AccountScope, id: string): Promise<Group | null> {
    if (!isUuidLike(id)) {
      return Promise.resolve(null);
    }
    return this.groups.findOneBy({ accountId: scope.accountId, id: normalizeUuid(id) });
  }

  /** By id, visible in the scope and within the bearer's reach. */
  findInScope(scope: AccountScope, filter: GroupScopeFilter, id: string): Promise<Group | null> {
    if (!isUuidLike(id)) {
      return Promise.resolve(null);
    }
    const qb = applyGroupFilter(this.scopedGroups(scope), filter).andWhere('g.id = :id', {
      id: normalizeUuid(id),
    });
    return qb.getOne();
  }

  /**
   * Locks the group row (FOR UPDATE) inside the caller's transaction so concurrent joins
   * serialise on it, and returns it; null when the account has no such group.
   */
  lockInAccount(scope: AccountScope, id: string, m: EntityManager): Promise<Group | null> {
    return m
      .getRepository(Group)
      .createQueryBuilder('g')
      .setLock('pessimistic_write')
      .where('g.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('g.id = :id', { id })
      .getOne();
  }

  list(
    scope: AccountScope,
    filter: GroupScopeFilter,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<Group>> {
    const qb = applyGroupFilter(this.scopedGroups(scope), filter);
    return paginate(whereSatisfies(qb, 'g', search), 'g', pagination);
  }

  async insert(scope: AccountScope, group: Group): Promise<Group> {
    await this.groups.insert(groupRow({ ...group, accountId: scope.accountId }));
    return group;
  }

  async update(scope: AccountScope, id: string, patch: Partial<Group>): Promise<void> {
    await this.groups.update({ accountId: scope.accountId, id }, groupRow(patch));
  }

  /** Members' `group_id` is nulled and owners removed by the foreign keys. */
  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.groups.delete({ accountId: scope.accountId, id });
  }

  /** Ids of the groups a user owns (any environment). */
  async ownedGroupIds(scope: AccountScope, userId: string): Promise<string[]> {
    const rows = await this.owners
      .createQueryBuilder('o')
      .select('o.group_id', 'groupId')
      .where('o.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('o.user_id = :userId', { userId })
      .getRawMany<{ groupId: string }>();
    return rows.map((r) => r.groupId);
  }

  // ------------------------------------------------------------------------------------------
  // owners

  /** One page of a group's owners visible in the scope. */
  listOwners(
    scope: AccountScope,
    groupId: string,
    pagination: Pagination,
  ): Promise<ListResult<GroupOwner>> {
    const qb = whereInScope(this.owners.createQueryBuilder('o'), 'o', scope).andWhere(
      'o.group_id = :groupId',
      { groupId },
    );
    return paginate(qb, 'o', pagination);
  }

  /** An owner of the group by its id (any environment). */
  findOwner(scope: AccountScope, groupId: string, id: string): Promise<GroupOwner | null> {
    if (!isUuidLike(id)) {
      return Promise.resolve(null);
    }
    return this.owners.findOneBy({
      accountId: scope.accountId,
      groupId,
      id: normalizeUuid(id),
    });
  }

  /** The group's owners among these users (any environment). */
  ownersOfUsers(
    scope: AccountScope,
    groupId: string,
    userIds: readonly string[],
    m?: EntityManager,
  ): Promise<GroupOwner[]> {
    if (userIds.length === 0) {
      return Promise.resolve([]);
    }
    return this.ownerRepo(m)
      .createQueryBuilder('o')
      .where('o.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('o.group_id = :groupId', { groupId })
      .andWhere('o.user_id IN (:...userIds)', { userIds })
      .getMany();
  }

  async insertOwner(scope: AccountScope, owner: GroupOwner, m: EntityManager): Promise<void> {
    await m.getRepository(GroupOwner).insert({ ...owner, accountId: scope.accountId });
  }

  async deleteOwners(scope: AccountScope, ids: readonly string[], m: EntityManager): Promise<void> {
    if (ids.length > 0) {
      await m
        .getRepository(GroupOwner)
        .createQueryBuilder()
        .delete()
        .where('account_id = :accountId', { accountId: scope.accountId })
        .andWhere('id IN (:...ids)', { ids })
        .execute();
    }
  }

  // ------------------------------------------------------------------------------------------
  // members (users)

  /** Users of the account with these ids, any environment (owner attach/detach). */
  usersInAccount(scope: AccountScope, ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return this.userRepo()
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('u.id IN (:...ids)', { ids: [...new Set(ids)] })
      .getMany();
  }

  /** One page of the group's users visible in the scope, within the bearer's reach. */
  listMembers(
    scope: AccountScope,
    groupId: string,
    filter: MemberScopeFilter,
    pagination: Pagination,
  ): Promise<ListResult<User>> {
    const qb = whereInScope(this.userRepo().createQueryBuilder('u'), 'u', scope).andWhere(
      'u.group_id = :groupId',
      { groupId },
    );
    if (filter.kind === 'none') {
      qb.andWhere('1 = 0');
    }
    return paginate(qb, 'u', pagination);
  }

  /**
   * A user of the group by id or e-mail, exactly as given (any environment); a
   * UUID-looking value matches id or e-mail. Oldest match wins.
   */
  findMember(scope: AccountScope, groupId: string, value: string): Promise<User | null> {
    if (value === '') {
      return Promise.resolve(null);
    }
    const qb = this.userRepo()
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('u.group_id = :groupId', { groupId });
    if (isUuidLike(value)) {
      qb.andWhere('(u.id = :aliasId OR u.email = :alias)', {
        aliasId: normalizeUuid(value),
        alias: value,
      });
    } else {
      qb.andWhere('u.email = :alias', { alias: value });
    }
    return qb.orderBy('u.createdAt', 'ASC').limit(1).getOne();
  }

  /** How many users the group holds (all environments), inside the caller's transaction. */
  countUsers(scope: AccountScope, groupId: string, m: EntityManager): Promise<number> {
    return m
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('u.group_id = :groupId', { groupId })
      .getCount();
  }

  /** Moves a user to a group (or out of any). */
  async setUserGroup(
    scope: AccountScope,
    userId: string,
    groupId: string | null,
    updatedAt: Date,
    m: EntityManager,
  ): Promise<void> {
    await m
      .getRepository(User)
      .createQueryBuilder()
      .update()
      .set({ groupId, updatedAt })
      .where('account_id = :accountId', { accountId: scope.accountId })
      .andWhere('id = :userId', { userId })
      .execute();
  }

  private scopedGroups(scope: AccountScope): SelectQueryBuilder<Group> {
    return whereInScope(this.groups.createQueryBuilder('g'), 'g', scope);
  }
}

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function groupRow(values: Partial<Group>): QueryDeepPartialEntity<Group> {
  return values as QueryDeepPartialEntity<Group>;
}

function applyGroupFilter(
  qb: SelectQueryBuilder<Group>,
  filter: GroupScopeFilter,
): SelectQueryBuilder<Group> {
  if (filter.kind === 'ids') {
    if (filter.ids.length === 0) {
      return qb.andWhere('1 = 0');
    }
    qb.andWhere('g.id IN (:...scopeIds)', { scopeIds: filter.ids });
  }
  return qb;
}
