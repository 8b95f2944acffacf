import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { metadataFilterCandidates, snakeKey, type Pagination } from '@libs/jsonapi';
import type { UserRole } from '@app/common/auth/roles';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import { whereSatisfies, type SqlPredicate } from '@app/common/database/sql-predicate';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { User } from './user.entity';
import type { UserScopeFilter } from './user.policy';
import { ACTIVITY_WINDOW_MS, type LicenseActivity } from './user-status';

/** Parsed `GET /users` filters (spec 01 §5.3). */
export interface UserListFilters {
  /** Role wire names to include; an empty list matches nothing. */
  roles: UserRole[];
  /** Upper-cased status, or undefined for none. */
  status?: string;
  /** Raw `metadata[key]=value` pairs. */
  metadata?: Record<string, string>;
  /** Reference time for ACTIVE/INACTIVE. */
  now: Date;
  /** `assigned`/`active`: owns a license (true) or owns none (false). */
  assigned?: boolean;
  /** `product`: owns or is attached to a license of this product; null matches nothing. */
  productId?: string | null;
  /** `license`: the license's owner or a licensee; null matches nothing. */
  licenseId?: string | null;
  /** `group`: member of this group; null matches nothing. */
  groupId?: string | null;
}

/**
 * A license the user (`u`) owns or is attached to was created or active since `:since`
 * (Keygen's `any_active_licenses`).
 */
const HAS_ACTIVE_LICENSE = `EXISTS (
  SELECT 1 FROM licenses al
   WHERE (al.owner_id = u.id OR EXISTS (
           SELECT 1 FROM license_users alu WHERE alu.license_id = al.id AND alu.user_id = u.id))
     AND (al.created_at >= :since OR al.last_validated_at >= :since
          OR al.last_check_out_at >= :since OR al.last_check_in_at >= :since))`;

/**
 * All SQL for users. Every method takes the AccountScope first; lookups by id
 * are visible-in-scope lookups (spec 01 §3.3). The few account-wide queries (admin
 * minimums, e-mail uniqueness, token-based password reset) say so in their name.
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly repo: Repository<User>) {}

  /** For list queries and custom filters; never leaves this module's repositories. */
  scoped(scope: AccountScope, m?: EntityManager) {
    const qb = (m ? m.getRepository(User) : this.repo).createQueryBuilder('u');
    return whereInScope(qb, 'u', scope);
  }

  findById(scope: AccountScope, id: string, m?: EntityManager): Promise<User | null> {
    return this.scoped(scope, m).andWhere('u.id = :id', { id }).getOne();
  }

  /** Email lookups are on the stored (trimmed, lower-cased) address. */
  findByEmail(scope: AccountScope, email: string, m?: EntityManager): Promise<User | null> {
    return this.scoped(scope, m)
      .andWhere('u.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
  }

  /**
   * Password login candidates (spec 01 §1.5): a user visible in the scope, or any
   * global admin of the account.
   */
  findForLogin(scope: AccountScope, email: string): Promise<User | null> {
    const qb = this.repo
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('u.email = :email', { email: email.trim().toLowerCase() });
    if (scope.environmentId === null) {
      qb.andWhere('(u.environment_id IS NULL)');
    } else if (scope.shared) {
      qb.andWhere('(u.environment_id = :env OR u.environment_id IS NULL)', {
        env: scope.environmentId,
      });
    } else {
      qb.andWhere("(u.environment_id = :env OR (u.environment_id IS NULL AND u.role = 'admin'))", {
        env: scope.environmentId,
      });
    }
    return qb.getOne();
  }

  /**
   * `{id|email}` lookup visible in the scope and within the bearer's filter; a
   * UUID-looking value matches id or email, anything else email only (exact, as
   * given). Oldest match wins.
   */
  findByAlias(scope: AccountScope, filter: UserScopeFilter, value: string): Promise<User | null> {
    const qb = applyScopeFilter(this.scoped(scope), filter);
    return byAlias(qb, value).getOne();
  }

  /** Account-wide `{id|email}` lookup (token-based password reset looks users up unscoped). */
  findByAliasInAccount(scope: AccountScope, value: string): Promise<User | null> {
    const qb = this.repo
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId });
    return byAlias(qb, value).getOne();
  }

  /** Account-wide e-mail lookup (e-mails are unique per account across environments). */
  findByEmailInAccount(scope: AccountScope, email: string): Promise<User | null> {
    return this.repo
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('u.email = :email', { email })
      .getOne();
  }

  /** Whether another user of the account (any environment) already has this e-mail. */
  async emailTakenInAccount(
    scope: AccountScope,
    email: string,
    exceptId?: string,
  ): Promise<boolean> {
    const qb = this.repo
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('lower(u.email) = lower(:email)', { email });
    if (exceptId) {
      qb.andWhere('u.id <> :exceptId', { exceptId });
    }
    return (await qb.getCount()) > 0;
  }

  /** Permissions of every other admin of the account, across environments (admin minimums). */
  async otherAdminPermissionsInAccount(
    scope: AccountScope,
    exceptId: string | null,
  ): Promise<string[][]> {
    const qb = this.repo
      .createQueryBuilder('u')
      .select(['u.id', 'u.permissions'])
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere("u.role = 'admin'");
    if (exceptId) {
      qb.andWhere('u.id <> :exceptId', { exceptId });
    }
    return (await qb.getMany()).map((u) => u.permissions);
  }

  /**
   * Whether a group exists in the account. Groups are another module's table; until
   * it exists every group id is unknown.
   */
  async groupExistsInAccount(scope: AccountScope, id: string): Promise<boolean> {
    const [{ present }] = (await this.repo.query(
      `SELECT to_regclass('groups') IS NOT NULL AS present`,
    )) as Array<{
      present: boolean;
    }>;
    if (!present) {
      return false;
    }
    const rows = (await this.repo.query(
      `SELECT 1 FROM groups WHERE id = $1 AND account_id = $2 LIMIT 1`,
      [id, scope.accountId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** One page of users visible in the scope, within the bearer's filter, newest first. */
  async list(
    scope: AccountScope,
    filter: UserScopeFilter,
    filters: UserListFilters,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<User>> {
    const qb = applyScopeFilter(this.scoped(scope), filter);
    whereSatisfies(qb, 'u', search);
    if (filters.roles.length === 0) {
      qb.andWhere('1 = 0');
    } else {
      qb.andWhere('u.role IN (:...roles)', { roles: filters.roles });
    }
    if (filters.status !== undefined) {
      const since = new Date(filters.now.getTime() - ACTIVITY_WINDOW_MS);
      switch (filters.status) {
        case 'BANNED':
          qb.andWhere('u.banned_at IS NOT NULL');
          break;
        case 'ACTIVE':
          qb.andWhere(`u.banned_at IS NULL AND (u.created_at >= :since OR ${HAS_ACTIVE_LICENSE})`, {
            since,
          });
          break;
        case 'INACTIVE':
          qb.andWhere(
            `u.banned_at IS NULL AND u.created_at < :since AND NOT ${HAS_ACTIVE_LICENSE}`,
            { since },
          );
          break;
        default:
          qb.andWhere('1 = 0');
      }
    }
    applyLicenseFilters(qb, filters);
    let i = 0;
    for (const [key, value] of Object.entries(filters.metadata ?? {})) {
      const k = snakeKey(key);
      const alternatives = metadataFilterCandidates(value).map((candidate) => {
        const name = `meta${i++}`;
        qb.setParameter(name, JSON.stringify({ [k]: candidate }));
        return `u.metadata @> CAST(:${name} AS jsonb)`;
      });
      qb.andWhere(`(${alternatives.join(' OR ')})`);
    }
    const page = await paginate(qb, 'u', pagination);
    await this.markLicenseActivity(page.rows, filters.now);
    return page;
  }

  /**
   * Sets `hasActiveLicense` on users about to be rendered, so their status reflects
   * recent license activity (one query for the batch).
   */
  async markLicenseActivity(
    users: ReadonlyArray<User & LicenseActivity>,
    now: Date,
  ): Promise<void> {
    const candidates = users.filter(
      (u) => !u.bannedAt && new Date(u.createdAt).getTime() < now.getTime() - ACTIVITY_WINDOW_MS,
    );
    if (candidates.length === 0) {
      return;
    }
    const since = new Date(now.getTime() - ACTIVITY_WINDOW_MS);
    const rows: Array<{ id: string }> = await this.repo.query(
      `SELECT DISTINCT x.user_id AS id FROM (
         SELECT l.owner_id AS user_id, l.id FROM licenses l WHERE l.owner_id = ANY($1)
         UNION ALL
         SELECT lu.user_id, lu.license_id FROM license_users lu WHERE lu.user_id = ANY($1)
       ) x JOIN licenses al ON al.id = x.id
       WHERE al.created_at >= $2 OR al.last_validated_at >= $2
          OR al.last_check_out_at >= $2 OR al.last_check_in_at >= $2`,
      [candidates.map((u) => u.id), since],
    );
    const active = new Set(rows.map((r) => r.id));
    for (const u of candidates) {
      u.hasActiveLicense = active.has(u.id);
    }
  }

  async insert(scope: AccountScope, user: User, m?: EntityManager): Promise<User> {
    await (m ? m.getRepository(User) : this.repo).insert(
      row({ ...user, accountId: scope.accountId }),
    );
    return user;
  }

  async update(
    scope: AccountScope,
    id: string,
    patch: Partial<User>,
    m?: EntityManager,
  ): Promise<void> {
    await (m ? m.getRepository(User) : this.repo).update(
      { id, accountId: scope.accountId },
      row(patch),
    );
  }

  async delete(scope: AccountScope, id: string, m: EntityManager): Promise<void> {
    await m.getRepository(User).delete({ id, accountId: scope.accountId });
  }

  /**
   * Revokes the user's tokens (spec 01 §2.6.5), keeping `exceptTokenId` when given.
   * NOTE: a plain statement on the tokens table so users need not import the tokens module.
   */
  async revokeTokens(
    scope: AccountScope,
    userId: string,
    exceptTokenId: string | null,
    m: EntityManager,
  ): Promise<void> {
    if (exceptTokenId) {
      await m.query(
        `DELETE FROM tokens WHERE account_id = $1 AND bearer_type = 'users' AND bearer_id = $2 AND id <> $3`,
        [scope.accountId, userId, exceptTokenId],
      );
    } else {
      await m.query(
        `DELETE FROM tokens WHERE account_id = $1 AND bearer_type = 'users' AND bearer_id = $2`,
        [scope.accountId, userId],
      );
    }
  }

  /** Removes the user's second factors (also cascaded by the foreign key). */
  async deleteSecondFactors(scope: AccountScope, userId: string, m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM second_factors WHERE account_id = $1 AND user_id = $2`, [
      scope.accountId,
      userId,
    ]);
  }
}

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function row(values: Partial<User>): QueryDeepPartialEntity<User> {
  return values as QueryDeepPartialEntity<User>;
}

/** `assigned`, `product`, `license` and `group` (Keygen's users has_scope filters). */
function applyLicenseFilters(qb: SelectQueryBuilder<User>, f: UserListFilters): void {
  if (f.assigned !== undefined) {
    const owns = 'EXISTS (SELECT 1 FROM licenses fl WHERE fl.owner_id = u.id)';
    qb.andWhere(f.assigned ? owns : `NOT ${owns}`);
  }
  if (f.productId !== undefined) {
    if (f.productId === null) {
      qb.andWhere('1 = 0');
    } else {
      qb.andWhere(
        `(EXISTS (SELECT 1 FROM licenses fl WHERE fl.owner_id = u.id AND fl.product_id = :filterProductId)
          OR EXISTS (SELECT 1 FROM license_users flu JOIN licenses fl ON fl.id = flu.license_id
                      WHERE flu.user_id = u.id AND fl.product_id = :filterProductId))`,
        { filterProductId: f.productId },
      );
    }
  }
  if (f.licenseId !== undefined) {
    if (f.licenseId === null) {
      qb.andWhere('1 = 0');
    } else {
      qb.andWhere(
        `(EXISTS (SELECT 1 FROM licenses fl WHERE fl.id = :filterLicenseId AND fl.owner_id = u.id)
          OR EXISTS (SELECT 1 FROM license_users flu WHERE flu.license_id = :filterLicenseId AND flu.user_id = u.id))`,
        { filterLicenseId: f.licenseId },
      );
    }
  }
  if (f.groupId !== undefined) {
    qb.andWhere(f.groupId === null ? '1 = 0' : 'u.group_id = :filterGroupId', {
      filterGroupId: f.groupId,
    });
  }
}

function applyScopeFilter(
  qb: SelectQueryBuilder<User>,
  filter: UserScopeFilter,
): SelectQueryBuilder<User> {
  switch (filter.kind) {
    case 'all':
      return qb;
    case 'none':
      return qb.andWhere('1 = 0');
    case 'role':
      return qb.andWhere('u.role = :scopeRole', { scopeRole: filter.role });
    case 'ids':
      return filter.ids.length === 0
        ? qb.andWhere('1 = 0')
        : qb.andWhere('u.id IN (:...scopeIds)', { scopeIds: filter.ids });
  }
}

function byAlias(qb: SelectQueryBuilder<User>, value: string): SelectQueryBuilder<User> {
  if (isUuidLike(value)) {
    qb.andWhere('(u.id = :aliasId OR u.email = :alias)', {
      aliasId: normalizeUuid(value),
      alias: value,
    });
  } else {
    qb.andWhere('u.email = :alias', { alias: value });
  }
  return qb.orderBy('u.createdAt', 'ASC').limit(1);
}
