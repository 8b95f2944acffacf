import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { PreparedQueries } from '@app/common/database/prepared';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import { whereSatisfies, type SqlPredicate } from '@app/common/database/sql-predicate';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import {
  Params,
  environmentSql,
  licenseeSql,
  machineAccessSql,
  viewReads,
} from './machine-children.repository';
import { deadSql } from './machine-heartbeat';
import { Machine } from './machine.entity';
import type { MachineClause } from './machine-filters';
import type { MachineAccess, MachineFacts } from './machine.policy';
import type { MachineView } from './machine.view';

/** The license's `protected`, else its policy's (MachineFacts.licenseProtected). */
const LICENSE_PROTECTED = 'coalesce(l.protected, p.protected)';

/** Which of several machines a lookup by `{id}` answers: the oldest. */
const OLDEST_FIRST = 'ORDER BY m.created_at ASC, m.id ASC LIMIT 1';

/** Columns of a machine view: the row, its policy's heartbeat settings, license facts. */
const VIEW_COLUMNS = `
  m.id, m.account_id, m.environment_id, m.license_id, m.policy_id, m.product_id, m.owner_id,
  m.group_id, m.fingerprint, m.name, m.ip, m.hostname, m.platform, m.cores,
  m.memory::text AS memory, m.disk::text AS disk, m.max_processes, m.last_heartbeat_at,
  m.last_death_event_sent_at, m.heartbeat_claimed_until, m.last_check_out_at, m.metadata,
  m.created_at, m.updated_at,
  p.require_heartbeat, p.heartbeat_duration, p.heartbeat_cull_strategy,
  p.heartbeat_resurrection_strategy, p.heartbeat_basis,
  coalesce(nullif(l.max_processes, 0), p.max_processes) AS license_max_processes,
  l.owner_id AS license_owner_id, l.environment_id AS license_environment_id,
  ${LICENSE_PROTECTED} AS license_protected`;

const VIEW_FROM = `
  FROM machines m
  JOIN licenses l ON l.id = m.license_id
  JOIN policies p ON p.id = m.policy_id`;

interface ViewRow {
  id: string;
  account_id: string;
  environment_id: string | null;
  license_id: string;
  policy_id: string;
  product_id: string;
  owner_id: string | null;
  group_id: string | null;
  fingerprint: string;
  name: string | null;
  ip: string | null;
  hostname: string | null;
  platform: string | null;
  cores: number | null;
  memory: string | null;
  disk: string | null;
  max_processes: number | null;
  last_heartbeat_at: Date | null;
  last_death_event_sent_at: Date | null;
  heartbeat_claimed_until: Date | null;
  last_check_out_at: Date | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  require_heartbeat: boolean;
  heartbeat_duration: number | null;
  heartbeat_cull_strategy: string | null;
  heartbeat_resurrection_strategy: string | null;
  heartbeat_basis: string | null;
  license_max_processes: number | null;
  license_owner_id: string | null;
  license_environment_id: string | null;
  license_protected: boolean;
  bearer_is_licensee?: boolean;
}

function toView(r: ViewRow): MachineView {
  return Object.assign(new Machine(), {
    id: r.id,
    accountId: r.account_id,
    environmentId: r.environment_id,
    licenseId: r.license_id,
    policyId: r.policy_id,
    productId: r.product_id,
    ownerId: r.owner_id,
    groupId: r.group_id,
    fingerprint: r.fingerprint,
    name: r.name,
    ip: r.ip,
    hostname: r.hostname,
    platform: r.platform,
    cores: r.cores,
    memory: r.memory,
    disk: r.disk,
    maxProcesses: r.max_processes,
    lastHeartbeatAt: r.last_heartbeat_at,
    lastDeathEventSentAt: r.last_death_event_sent_at,
    heartbeatClaimedUntil: r.heartbeat_claimed_until,
    lastCheckOutAt: r.last_check_out_at,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    policy: {
      requireHeartbeat: r.require_heartbeat,
      heartbeatDuration: r.heartbeat_duration,
      heartbeatCullStrategy: r.heartbeat_cull_strategy,
      heartbeatResurrectionStrategy: r.heartbeat_resurrection_strategy,
      heartbeatBasis: r.heartbeat_basis,
    },
    licenseMaxProcesses: r.license_max_processes,
    licenseOwnerId: r.license_owner_id,
    licenseEnvironmentId: r.license_environment_id,
    licenseProtected: r.license_protected,
  });
}

const VIEWS = viewReads('m', VIEW_COLUMNS, VIEW_FROM, toView);

/** The environment rule (spec 01 §3.3) and the bearer's reach, on alias `m` (licenses `l`). */
function scopeSql(scope: AccountScope, access: MachineAccess, ps: Params): string {
  const add = (v: unknown): string => ps.add(v);
  return [
    `m.account_id = ${add(scope.accountId)}`,
    environmentSql(scope, 'm', add),
    machineAccessSql(access, add),
  ].join(' AND ');
}

/** The parent a nested list or lookup is confined to. */
export type MachineParent =
  { licenseId: string } | { productId: string } | { userId: string } | { groupId: string };

function parentClause(parent: MachineParent): MachineClause {
  if ('licenseId' in parent) {
    return { kind: 'id', column: 'license_id', value: parent.licenseId };
  }
  if ('productId' in parent) {
    return { kind: 'id', column: 'product_id', value: parent.productId };
  }
  if ('groupId' in parent) {
    return { kind: 'id', column: 'group_id', value: parent.groupId };
  }
  return { kind: 'user', id: parent.userId, email: null };
}

/** The parent as a raw `$n` fragment on alias `m` (lookups). */
function parentSql(parent: MachineParent): [string, unknown[]] {
  if ('licenseId' in parent) {
    return ['m.license_id = $1', [parent.licenseId]];
  }
  if ('productId' in parent) {
    return ['m.product_id = $1', [parent.productId]];
  }
  if ('groupId' in parent) {
    return ['m.group_id = $1', [parent.groupId]];
  }
  return [
    `EXISTS (SELECT 1 FROM licenses pl WHERE pl.id = m.license_id AND (pl.owner_id = $1
      OR EXISTS (SELECT 1 FROM license_users plu WHERE plu.license_id = pl.id AND plu.user_id = $1)))`,
    [parent.userId],
  ];
}

/**
 * The WHERE of a lookup by `{id}` (spec 03 §1.13): a UUID-looking value matches the
 * id or the fingerprint, anything else the fingerprint only; with `licensee`, the
 * SQL telling whether user `licenseeOf` is a licensee of the machine's license.
 */
function lookup(
  scope: AccountScope,
  access: MachineAccess,
  idOrFingerprint: string,
  licenseeOf: string | null,
  parent?: MachineParent,
): { where: string; licensee: string; ps: Params } {
  const ps = new Params();
  const where = [scopeSql(scope, access, ps)];
  const fp = ps.add(idOrFingerprint);
  const byFingerprint = `(md5(m.fingerprint) = md5(${fp}) AND m.fingerprint = ${fp})`;
  where.push(
    isUuidLike(idOrFingerprint)
      ? `(m.id = ${ps.add(normalizeUuid(idOrFingerprint))} OR ${byFingerprint})`
      : byFingerprint,
  );
  if (parent) {
    const [text, values] = parentSql(parent);
    where.push(text.replace(/\$(\d+)/g, (_, n: string) => ps.add(values[Number(n) - 1])));
  }
  const licensee = licenseeSql(licenseeOf, (v) => ps.add(v));
  return { where: where.join(' AND '), licensee, ps };
}

/** A machine (and its policy/license facts) with whether the user bearer is a licensee. */
export interface FoundMachine {
  view: MachineView;
  bearerIsLicensee: boolean;
}

/**
 * SQL for machines: scoped lookups by id or fingerprint, filtered lists, views
 * (the row with its policy and license facts, one query), and the plain writes.
 * Activation checks live in MachineActivationRepository, heartbeat and culling
 * writes in MachineHeartbeatsRepository.
 */
@Injectable()
export class MachinesRepository {
  constructor(
    @InjectRepository(Machine) private readonly repo: Repository<Machine>,
    private readonly prepared: PreparedQueries,
  ) {}

  /**
   * `{id}` as a UUID or a fingerprint within the bearer's reach (spec 03 §1.13): a
   * UUID-looking value matches the id or the fingerprint, anything else the
   * fingerprint only; the oldest match wins. `licenseeOf` asks whether that user is a
   * licensee of the machine's license.
   */
  async find(
    scope: AccountScope,
    access: MachineAccess,
    idOrFingerprint: string,
    licenseeOf: string | null = null,
    parent?: MachineParent,
  ): Promise<FoundMachine | null> {
    if (idOrFingerprint === '') {
      return null;
    }
    const { where, licensee, ps } = lookup(scope, access, idOrFingerprint, licenseeOf, parent);
    // Prepared: the text depends on the scope's shape only (heartbeat pings come here).
    const { rows } = await this.prepared.query<ViewRow>(
      `SELECT ${VIEW_COLUMNS}, ${licensee} AS bearer_is_licensee ${VIEW_FROM}
        WHERE ${where} ${OLDEST_FIRST}`,
      ps.values,
    );
    const row = rows[0];
    return row ? { view: toView(row), bearerIsLicensee: row.bearer_is_licensee === true } : null;
  }

  /**
   * A heartbeat ping in one round trip, for a caller that expects the machine to have
   * certain facts (and has checked the ping rule against them): finds the machine as
   * `find` does and writes `now` as its heartbeat only if it has exactly those facts
   * (its id aside) and is not DEAD (spec 03 §1.8.1, deadSql). Returns the pinged
   * machine, or null when there is none or anything differs; the caller then reads,
   * checks and writes.
   */
  async pingIfUnchanged(
    scope: AccountScope,
    access: MachineAccess,
    idOrFingerprint: string,
    licenseeOf: string | null,
    expected: Omit<MachineFacts, 'id'>,
    now: Date,
  ): Promise<MachineView | null> {
    if (idOrFingerprint === '') {
      return null;
    }
    const { where, licensee, ps } = lookup(scope, access, idOrFingerprint, licenseeOf);
    const at = ps.add(now);
    const { rows } = await this.prepared.query<ViewRow>(
      `UPDATE machines m SET last_heartbeat_at = ${at}, heartbeat_claimed_until = NULL, updated_at = ${at}
         FROM licenses l, policies p
        WHERE l.id = m.license_id AND p.id = m.policy_id
          AND m.id = (SELECT m.id FROM machines m WHERE ${where} ${OLDEST_FIRST})
          AND m.environment_id IS NOT DISTINCT FROM ${ps.add(expected.environmentId)}::uuid
          AND m.license_id = ${ps.add(expected.licenseId)}
          AND m.product_id = ${ps.add(expected.productId)}
          AND m.owner_id IS NOT DISTINCT FROM ${ps.add(expected.ownerId)}::uuid
          AND l.owner_id IS NOT DISTINCT FROM ${ps.add(expected.licenseOwnerId)}::uuid
          AND ${LICENSE_PROTECTED} = ${ps.add(expected.licenseProtected)}::boolean
          AND (${licensee}) = ${ps.add(expected.bearerIsLicensee)}::boolean
          AND NOT ${deadSql('m', 'p', `${at}::timestamptz`)}
       RETURNING ${VIEW_COLUMNS}`,
      ps.values,
    );
    return rows.length === 1 ? toView(rows[0]) : null;
  }

  /** A machine by id in the account, any environment (after writes, in jobs). */
  viewById(accountId: string, id: string, m?: EntityManager): Promise<MachineView | null> {
    return VIEWS.byId(m ?? this.repo.manager, accountId, id);
  }

  /** Rows → views, in input order. */
  views(rows: readonly Machine[]): Promise<MachineView[]> {
    return VIEWS.inOrder(this.repo.manager, rows);
  }

  /** One page of the machines the bearer can address, filtered (and searched), newest first. */
  list(
    scope: AccountScope,
    access: MachineAccess,
    clauses: readonly MachineClause[],
    pagination: Pagination,
    parent?: MachineParent,
    search?: SqlPredicate,
  ): Promise<ListResult<Machine>> {
    const qb = whereInScope(this.repo.createQueryBuilder('m'), 'm', scope);
    whereSatisfies(qb, 'm', search);
    if (parent) {
      applyClause(qb, parentClause(parent), 'parent');
    }
    const ps = new Params();
    const reach = machineAccessSql(access, (v) => ps.add(v));
    const [text, params] = named(reach, ps, 'a');
    qb.andWhere(text, params);
    clauses.forEach((c, i) => applyClause(qb, c, `f${i}`));
    return paginate(qb, 'm', pagination);
  }

  async insert(machine: Machine, m: EntityManager): Promise<void> {
    await m.getRepository(Machine).insert(row(machine));
  }

  async update(
    accountId: string,
    id: string,
    patch: Partial<Machine>,
    m?: EntityManager,
  ): Promise<void> {
    await (m ? m.getRepository(Machine) : this.repo).update({ accountId, id }, row(patch));
  }

  /** Deletes the machine; its components and processes go with it (foreign keys). */
  async delete(accountId: string, id: string, m?: EntityManager): Promise<void> {
    await (m ? m.getRepository(Machine) : this.repo).delete({ accountId, id });
  }

  /** Keygen's touch_async(:last_check_out_at): the timestamp and `updated_at`. */
  async touchCheckOut(accountId: string, id: string, at: Date): Promise<void> {
    await this.repo.update({ accountId, id }, { lastCheckOutAt: at, updatedAt: at });
  }
}

/** Rewrites `$n` placeholders of a raw fragment into TypeORM named parameters. */
function named(sql: string, ps: Params, prefix: string): [string, Record<string, unknown>] {
  const params: Record<string, unknown> = {};
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    const name = `${prefix}${n}`;
    params[name] = ps.values[Number(n) - 1];
    return `:${name}`;
  });
  return [text, params];
}

function applyClause(qb: SelectQueryBuilder<Machine>, c: MachineClause, p: string): void {
  switch (c.kind) {
    case 'none':
      qb.andWhere('FALSE');
      return;
    case 'column':
      qb.andWhere(`m.${c.column} = :${p}`, { [p]: c.value });
      return;
    case 'id':
      qb.andWhere(`m.${c.column} = :${p}`, { [p]: c.value });
      return;
    case 'key':
      qb.andWhere(
        `EXISTS (SELECT 1 FROM licenses kl WHERE kl.id = m.license_id AND md5(kl.key) = md5(:${p}) AND kl.key = :${p})`,
        { [p]: c.value },
      );
      return;
    case 'owner':
      if (c.id !== null) {
        qb.andWhere(`m.owner_id = :${p}`, { [p]: c.id });
      } else {
        qb.andWhere(
          `EXISTS (SELECT 1 FROM users ou WHERE ou.id = m.owner_id AND ou.email = :${p})`,
          { [p]: c.email },
        );
      }
      return;
    case 'user': {
      const match = c.id !== null ? `u.id = :${p}` : `u.email = :${p}`;
      qb.andWhere(
        `EXISTS (SELECT 1 FROM licenses ul JOIN users u ON ${match}
          WHERE ul.id = m.license_id AND (ul.owner_id = u.id
            OR EXISTS (SELECT 1 FROM license_users ulu WHERE ulu.license_id = ul.id AND ulu.user_id = u.id)))`,
        { [p]: c.id ?? c.email },
      );
      return;
    }
    case 'status': {
      const dead = deadSql('m', 'sp', `CAST(:${p} AS timestamptz)`);
      qb.andWhere(
        `EXISTS (SELECT 1 FROM policies sp WHERE sp.id = m.policy_id AND ${c.status === 'DEAD' ? '' : 'NOT '}${dead})`,
        { [p]: c.now.toISOString() },
      );
      return;
    }
    case 'metadata':
      qb.andWhere(
        `(${c.candidates.map((_, j) => `m.metadata @> CAST(:${p}_${j} AS jsonb)`).join(' OR ')})`,
        Object.fromEntries(c.candidates.map((v, j) => [`${p}_${j}`, JSON.stringify(v)])),
      );
      return;
  }
}

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function row(values: Partial<Machine>): QueryDeepPartialEntity<Machine> {
  return values as QueryDeepPartialEntity<Machine>;
}
