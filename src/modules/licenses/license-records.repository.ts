import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate } from '@app/common/database/scoped-query';
import { whereSatisfies, type SqlPredicate } from '@app/common/database/sql-predicate';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { License } from './license.entity';
import type { LicenseClause, LicenseFilters } from './license-filters';
import type { LicenseAccess } from './license.policy';
import { THREE_DAYS_MS } from './license.view';
import { LicensesRepository } from './licenses.repository';

/**
 * The parent a nested list or lookup is confined to: a product, a policy, a user
 * (licenses it owns or is attached to) or a group.
 */
export type LicenseParent =
  | { productId: string }
  | { policyId: string }
  | { userId: string }
  | { groupId: string };

/** What create needs to know about a user named as owner. */
export interface OwnerRow {
  id: string;
  email: string;
  environmentId: string | null;
  groupId: string | null;
  role: string;
}

/** A group row as the license rules need it. */
export interface GroupRow {
  id: string;
  environmentId: string | null;
  maxLicenses: number | null;
}

/**
 * SQL of the license CRUD routes: the filtered lists (spec 02 §4.6), nested
 * lookups, and the facts create validates against (key and id uniqueness, owner,
 * group limit under a row lock).
 */
@Injectable()
export class LicenseRecordsRepository {
  constructor(
    @InjectRepository(License) private readonly repo: Repository<License>,
    private readonly licenses: LicensesRepository,
  ) {}

  /** One page of the licenses the bearer can address, filtered, newest first. */
  list(
    scope: AccountScope,
    access: LicenseAccess,
    filters: LicenseFilters,
    pagination: Pagination,
    parent?: LicenseParent,
    search?: SqlPredicate,
  ): Promise<ListResult<License>> {
    const qb = this.licenses.scoped(scope, access);
    if (parent) {
      confine(qb, parent);
    }
    applyFilters(qb, filters.clauses);
    whereSatisfies(qb, 'l', search);
    return paginate(qb, 'l', pagination);
  }

  /**
   * `{id|key}` among a parent's licenses in the account (any
   * environment; the rule checks it), oldest match first.
   */
  findInParent(scope: AccountScope, parent: LicenseParent, value: string): Promise<License | null> {
    if (value === '') {
      return Promise.resolve(null);
    }
    const qb = this.repo
      .createQueryBuilder('l')
      .where('l.account_id = :accountId', { accountId: scope.accountId });
    confine(qb, parent);
    if (isUuidLike(value)) {
      qb.andWhere('(l.id = :aliasId OR (md5(l.key) = md5(:alias) AND l.key = :alias))', {
        aliasId: normalizeUuid(value),
        alias: value,
      });
    } else {
      qb.andWhere('md5(l.key) = md5(:alias) AND l.key = :alias', { alias: value });
    }
    return qb.orderBy('l.createdAt', 'ASC').limit(1).getOne();
  }

  /** Whether the account already has a license with this exact key (case-sensitive). */
  async keyTakenInAccount(scope: AccountScope, key: string, m?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (m ?? this.repo.manager).query(
      'SELECT 1 FROM licenses WHERE account_id = $1 AND md5(key) = md5($2) AND key = $2 LIMIT 1',
      [scope.accountId, key],
    );
    return rows.length > 0;
  }

  /** Whether a license with this id exists in the account. */
  async idInAccount(scope: AccountScope, id: string, m?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (m ?? this.repo.manager).query(
      'SELECT 1 FROM licenses WHERE account_id = $1 AND id = $2 LIMIT 1',
      [scope.accountId, id],
    );
    return rows.length > 0;
  }

  /** Whether a license with this id exists in any account (ids are global). */
  async idTaken(id: string, m?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (m ?? this.repo.manager).query(
      'SELECT 1 FROM licenses WHERE id = $1 LIMIT 1',
      [id],
    );
    return rows.length > 0;
  }

  /** Whether a policy with this id exists in any account. */
  async policyExistsAnywhere(id: string): Promise<boolean> {
    const rows: unknown[] = await this.repo.query('SELECT 1 FROM policies WHERE id = $1 LIMIT 1', [
      id,
    ]);
    return rows.length > 0;
  }

  /** A user of the account (any environment) by id, or null. */
  async findUserInAccount(scope: AccountScope, id: string): Promise<OwnerRow | null> {
    const rows: Array<{
      id: string;
      email: string;
      environment_id: string | null;
      group_id: string | null;
      role: string;
    }> = await this.repo.query(
      'SELECT id, email, environment_id, group_id, role FROM users WHERE account_id = $1 AND id = $2',
      [scope.accountId, id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          email: r.email,
          environmentId: r.environment_id,
          groupId: r.group_id,
          role: r.role,
        }
      : null;
  }

  /**
   * Locks a group of the account (FOR UPDATE) inside the create/update transaction, so
   * concurrent joins serialise on it; null when the account has no such group.
   */
  async lockGroupInAccount(
    scope: AccountScope,
    id: string,
    m: EntityManager,
  ): Promise<GroupRow | null> {
    const rows: Array<{ id: string; environment_id: string | null; max_licenses: number | null }> =
      await m.query(
        'SELECT id, environment_id, max_licenses FROM groups WHERE account_id = $1 AND id = $2 FOR UPDATE',
        [scope.accountId, id],
      );
    const r = rows[0];
    return r ? { id: r.id, environmentId: r.environment_id, maxLicenses: r.max_licenses } : null;
  }

  /** Licenses in a group (every environment). */
  async countGroupLicenses(groupId: string, m: EntityManager): Promise<number> {
    const rows: Array<{ n: number }> = await m.query(
      'SELECT count(*)::int AS n FROM licenses WHERE group_id = $1',
      [groupId],
    );
    return rows[0]?.n ?? 0;
  }
}

function confine(qb: SelectQueryBuilder<License>, parent: LicenseParent): void {
  if ('productId' in parent) {
    qb.andWhere('l.product_id = :parentProductId', { parentProductId: parent.productId });
  } else if ('policyId' in parent) {
    qb.andWhere('l.policy_id = :parentPolicyId', { parentPolicyId: parent.policyId });
  } else if ('userId' in parent) {
    qb.andWhere(
      '(l.owner_id = :parentUserId OR EXISTS (SELECT 1 FROM license_users plu WHERE plu.license_id = l.id AND plu.user_id = :parentUserId))',
      { parentUserId: parent.userId },
    );
  } else {
    qb.andWhere('l.group_id = :parentGroupId', { parentGroupId: parent.groupId });
  }
}

const OWNER_BANNED =
  'EXISTS (SELECT 1 FROM users fu WHERE fu.id = l.owner_id AND fu.banned_at IS NOT NULL)';
const HAS_LICENSEE = 'EXISTS (SELECT 1 FROM license_users flu WHERE flu.license_id = l.id)';
const MACHINE_COUNT = '(SELECT count(*) FROM machines fm WHERE fm.license_id = l.id)';

/** Every clause ANDed onto the query (spec 02 §4.6). */
function applyFilters(qb: SelectQueryBuilder<License>, clauses: readonly LicenseClause[]): void {
  clauses.forEach((c, i) => {
    const p = (name: string): string => `f${i}_${name}`;
    switch (c.kind) {
      case 'none':
        qb.andWhere('1 = 0');
        break;
      case 'column':
        qb.andWhere(`l.${c.column} = :${p('v')}`, { [p('v')]: c.value });
        break;
      case 'ownerEmail':
        qb.andWhere(
          `EXISTS (SELECT 1 FROM users fu WHERE fu.id = l.owner_id AND fu.email = :${p('v')})`,
          { [p('v')]: c.email },
        );
        break;
      case 'user':
        if (c.id !== null) {
          qb.andWhere(
            `(l.owner_id = :${p('v')} OR EXISTS (SELECT 1 FROM license_users flu WHERE flu.license_id = l.id AND flu.user_id = :${p('v')}))`,
            { [p('v')]: c.id },
          );
        } else {
          qb.andWhere(
            `EXISTS (SELECT 1 FROM users fu WHERE fu.account_id = l.account_id AND fu.email = :${p('v')}
               AND (fu.id = l.owner_id OR EXISTS (SELECT 1 FROM license_users flu WHERE flu.license_id = l.id AND flu.user_id = fu.id)))`,
            { [p('v')]: c.email },
          );
        }
        break;
      case 'machine':
        qb.andWhere(
          `EXISTS (SELECT 1 FROM machines fm WHERE fm.license_id = l.id AND fm.id = :${p('v')})`,
          { [p('v')]: c.id },
        );
        break;
      case 'suspended':
        qb.andWhere(`l.suspended = :${p('v')}`, { [p('v')]: c.value });
        break;
      case 'expiring': {
        const params = {
          [p('now')]: c.now,
          [p('soon')]: new Date(c.now.getTime() + THREE_DAYS_MS),
        };
        qb.andWhere(
          c.value
            ? `(l.expiry IS NOT NULL AND l.expiry > :${p('now')} AND l.expiry < :${p('soon')})`
            : `(l.expiry IS NULL OR l.expiry < :${p('now')} OR l.expiry > :${p('soon')})`,
          params,
        );
        break;
      }
      case 'expired':
        qb.andWhere(
          c.value
            ? `(l.expiry IS NOT NULL AND l.expiry < :${p('now')})`
            : `(l.expiry IS NULL OR l.expiry >= :${p('now')})`,
          { [p('now')]: c.now },
        );
        break;
      case 'expiry': {
        const params: Record<string, Date> = {};
        const parts = c.checks.map(([op, t], j) => {
          params[p(`t${j}`)] = t;
          return `l.expiry ${op} :${p(`t${j}`)}`;
        });
        qb.andWhere(`(l.expiry IS NOT NULL AND ${parts.join(' AND ')})`, params);
        break;
      }
      case 'activity': {
        const s = `:${p('since')}`;
        const sql = c.active
          ? `(l.created_at >= ${s} OR l.last_validated_at >= ${s} OR l.last_check_out_at >= ${s} OR l.last_check_in_at >= ${s})`
          : `(l.created_at < ${s} AND (l.last_validated_at IS NULL OR l.last_validated_at < ${s})
              AND (l.last_check_out_at IS NULL OR l.last_check_out_at < ${s})
              AND (l.last_check_in_at IS NULL OR l.last_check_in_at < ${s}))`;
        qb.andWhere(`(NOT ${OWNER_BANNED} AND ${sql})`, { [p('since')]: c.since });
        break;
      }
      case 'banned':
        qb.andWhere(OWNER_BANNED);
        break;
      case 'assigned':
        qb.andWhere(
          c.value
            ? `(l.owner_id IS NOT NULL OR ${HAS_LICENSEE})`
            : `(l.owner_id IS NULL AND NOT ${HAS_LICENSEE})`,
        );
        break;
      case 'activations':
        qb.andWhere(`${MACHINE_COUNT} ${c.op} :${p('n')}`, { [p('n')]: c.n });
        break;
      case 'metadata': {
        const params: Record<string, string> = {};
        const parts = c.candidates.map((candidate, j) => {
          params[p(`m${j}`)] = JSON.stringify(candidate);
          return `l.metadata @> CAST(:${p(`m${j}`)} AS jsonb)`;
        });
        qb.andWhere(`(${parts.join(' OR ')})`, params);
        break;
      }
    }
  });
}
