import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { AccountScope } from '@app/common/context/request-context';
import { whereInScope } from '@app/common/database/scoped-query';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { renderPermissions } from '@app/common/auth/permissions';
import { Policy } from '@app/modules/policies/policy.entity';
import { User } from '@app/modules/users/user.entity';
import { License } from './license.entity';
import type { LicenseAccess } from './license.policy';
import { effectiveLicensePermissions, ownLicensePermissions } from './auth/license-bearer';
import { computeStatus, type LicenseOwner, type LicenseView, type MachineStats } from './license.view';

/**
 * Core SQL for licenses: scoped lookups (by id or key) and turning rows into
 * LicenseViews (policy, owner, counts and computed status, in four batched reads).
 * List filters and the hot validation read live beside it.
 */
@Injectable()
export class LicensesRepository {
  constructor(
    @InjectRepository(License) private readonly repo: Repository<License>,
    @InjectRepository(Policy) private readonly policies: Repository<Policy>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  get manager(): EntityManager {
    return this.repo.manager;
  }

  /** Licenses visible in the scope and addressable by the bearer. */
  scoped(
    scope: AccountScope,
    access: LicenseAccess,
    m?: EntityManager,
  ): SelectQueryBuilder<License> {
    const qb = whereInScope(
      (m ? m.getRepository(License) : this.repo).createQueryBuilder('l'),
      'l',
      scope,
    );
    switch (access.kind) {
      case 'all':
        break;
      case 'product':
        qb.andWhere('l.product_id = :accessProductId', { accessProductId: access.productId });
        break;
      case 'user':
        qb.andWhere(
          '(l.owner_id = :accessUserId OR EXISTS (SELECT 1 FROM license_users lu WHERE lu.license_id = l.id AND lu.user_id = :accessUserId))',
          { accessUserId: access.userId },
        );
        break;
      case 'self':
        qb.andWhere('l.id = :accessLicenseId', { accessLicenseId: access.licenseId });
        break;
    }
    return qb;
  }

  /**
   * `{id|key}` (spec 02 §0.2): a UUID-looking value matches the id or the key,
   * anything else the key only; the oldest match wins.
   */
  findByAlias(
    scope: AccountScope,
    access: LicenseAccess,
    value: string,
    m?: EntityManager,
  ): Promise<License | null> {
    const qb = this.scoped(scope, access, m);
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

  /** By id in the account, any environment, with a row lock when inside a transaction. */
  async lockById(m: EntityManager, scope: AccountScope, id: string): Promise<License | null> {
    return m
      .getRepository(License)
      .createQueryBuilder('l')
      .where('l.account_id = :accountId AND l.id = :id', { accountId: scope.accountId, id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async isLicensee(licenseId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.repo.query(
      'SELECT 1 FROM license_users WHERE license_id = $1 AND user_id = $2 LIMIT 1',
      [licenseId, userId],
    );
    return rows.length > 0;
  }

  async insert(l: License, m?: EntityManager): Promise<void> {
    await (m ? m.getRepository(License) : this.repo).insert(row(l));
  }

  async update(
    scope: AccountScope,
    id: string,
    patch: Partial<License>,
    m?: EntityManager,
  ): Promise<void> {
    await (m ? m.getRepository(License) : this.repo).update(
      { accountId: scope.accountId, id },
      row(patch),
    );
  }

  /**
   * Deletes the license; machines, licensees and license entitlements go through
   * the foreign keys, license tokens explicitly (their bearer link is polymorphic).
   */
  async delete(scope: AccountScope, id: string, m: EntityManager): Promise<void> {
    await m.query(
      `DELETE FROM tokens WHERE account_id = $1 AND bearer_type = 'licenses' AND bearer_id = $2`,
      [scope.accountId, id],
    );
    await m.getRepository(License).delete({ accountId: scope.accountId, id });
  }

  /** Rows → views, in input order: policies, owners, licensee counts, machine sums. */
  async views(rows: readonly License[], now: Date, m?: EntityManager): Promise<LicenseView[]> {
    if (rows.length === 0) {
      return [];
    }
    const mgr = m ?? this.repo.manager;
    const ids = rows.map((l) => l.id);
    const policyIds = [...new Set(rows.map((l) => l.policyId))];
    const ownerIds = [
      ...new Set(rows.map((l) => l.ownerId).filter((v): v is string => v !== null)),
    ];
    // A transaction's manager is one pg client, which runs one query at a time (queueing
    // them is deprecated by pg): read one after another there, in parallel on the pool.
    const readPolicies = () =>
      mgr
        .getRepository(Policy)
        .createQueryBuilder('p')
        .where('p.id IN (:...policyIds)', { policyIds })
        .getMany();
    const readOwners = () =>
      ownerIds.length === 0
        ? Promise.resolve([] as User[])
        : mgr
            .getRepository(User)
            .createQueryBuilder('u')
            .where('u.id IN (:...ownerIds)', { ownerIds })
            .getMany();
    const readUserCounts = () =>
      mgr.query(
        'SELECT license_id, count(*)::int AS n FROM license_users WHERE license_id = ANY($1) GROUP BY license_id',
        [ids],
      ) as Promise<Array<{ license_id: string; n: number }>>;
    const readMachines = () =>
      mgr.query(
        `SELECT license_id, count(*)::int AS n, coalesce(sum(cores), 0)::bigint AS cores,
                  coalesce(sum(memory), 0)::numeric AS memory, coalesce(sum(disk), 0)::numeric AS disk
             FROM machines WHERE license_id = ANY($1) GROUP BY license_id`,
        [ids],
      ) as Promise<
        Array<{ license_id: string; n: number; cores: string; memory: string; disk: string }>
      >;
    const [policies, owners, userCounts, machines] = m
      ? [await readPolicies(), await readOwners(), await readUserCounts(), await readMachines()]
      : await Promise.all([readPolicies(), readOwners(), readUserCounts(), readMachines()]);
    const policyById = new Map(policies.map((p) => [p.id, p]));
    const ownerById = new Map(owners.map((u) => [u.id, u]));
    const countById = new Map(userCounts.map((r) => [r.license_id, r.n]));
    const statsById = new Map<string, MachineStats>(
      machines.map((r) => [
        r.license_id,
        { count: r.n, cores: Number(r.cores), memory: Number(r.memory), disk: Number(r.disk) },
      ]),
    );
    return rows.map((l) => {
      const owner: LicenseOwner | null = l.ownerId ? (ownerById.get(l.ownerId) ?? null) : null;
      return toView(l, policyById.get(l.policyId) as Policy, owner, now, {
        usersCount: (countById.get(l.id) ?? 0) + (l.ownerId ? 1 : 0),
        machineStats: statsById.get(l.id) ?? { count: 0, cores: 0, memory: 0, disk: 0 },
      });
    });
  }

  async view(l: License, now: Date, m?: EntityManager): Promise<LicenseView> {
    return (await this.views([l], now, m))[0];
  }
}

/** Assembles a view from already-loaded parts. */
export function toView(
  l: License,
  policy: Policy,
  owner: LicenseOwner | null,
  now: Date,
  counts: Pick<LicenseView, 'usersCount' | 'machineStats'>,
): LicenseView {
  return Object.assign(Object.create(Object.getPrototypeOf(l) as object) as License, l, {
    policy,
    owner,
    status: computeStatus(l, owner, now),
    // Effective, as the license authenticates (spec 02 §4.2): its own ∩ its owner's.
    renderedPermissions: renderPermissions(
      effectiveLicensePermissions(ownLicensePermissions(l), owner?.permissions ?? null),
    ),
    ...counts,
  }) as LicenseView;
}

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function row(values: Partial<License>): QueryDeepPartialEntity<License> {
  return values as QueryDeepPartialEntity<License>;
}
