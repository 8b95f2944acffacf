import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike } from '@app/common/ids';
import { License } from '@app/modules/licenses/license.entity';
import {
  childLookupSql,
  inInputOrder,
  listChildren,
  machineChildClauseSql,
  type AddParam,
} from '@app/modules/machines/machine-children.repository';
import { MachineProcess } from '@app/modules/machines/machine.entity';
import type { MachineAccess } from '@app/modules/machines/machine.policy';
import { Product } from '@app/modules/products/product.entity';
import type { ProcessClause } from './process-filters';
import type { ProcessLeasing } from './process.rules';
import type { ProcessView, SpawnTarget } from './process.view';

const VIEW_COLUMNS = `
  mp.id, mp.account_id, mp.environment_id, mp.machine_id, mp.pid, mp.last_heartbeat_at,
  mp.last_death_event_sent_at, mp.heartbeat_claimed_until, mp.metadata, mp.created_at,
  mp.updated_at, m.license_id, m.product_id, m.owner_id AS machine_owner_id,
  l.owner_id AS license_owner_id, coalesce(l.protected, p.protected) AS license_protected,
  p.heartbeat_duration, p.heartbeat_cull_strategy, p.heartbeat_resurrection_strategy`;

const VIEW_FROM = `
  FROM machine_processes mp
  JOIN machines m ON m.id = mp.machine_id
  JOIN licenses l ON l.id = m.license_id
  JOIN policies p ON p.id = m.policy_id`;

interface ViewRow {
  id: string;
  account_id: string;
  environment_id: string | null;
  machine_id: string;
  pid: string;
  last_heartbeat_at: Date;
  last_death_event_sent_at: Date | null;
  heartbeat_claimed_until: Date | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  license_id: string;
  product_id: string;
  machine_owner_id: string | null;
  license_owner_id: string | null;
  license_protected: boolean;
  heartbeat_duration: number | null;
  heartbeat_cull_strategy: string | null;
  heartbeat_resurrection_strategy: string | null;
  bearer_is_licensee?: boolean;
}

function toView(r: ViewRow): ProcessView {
  return Object.assign(new MachineProcess(), {
    id: r.id,
    accountId: r.account_id,
    environmentId: r.environment_id,
    machineId: r.machine_id,
    pid: r.pid,
    lastHeartbeatAt: r.last_heartbeat_at,
    lastDeathEventSentAt: r.last_death_event_sent_at,
    heartbeatClaimedUntil: r.heartbeat_claimed_until,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    licenseId: r.license_id,
    productId: r.product_id,
    machineOwnerId: r.machine_owner_id,
    licenseOwnerId: r.license_owner_id,
    licenseProtected: r.license_protected,
    policy: {
      heartbeatDuration: r.heartbeat_duration,
      heartbeatCullStrategy: r.heartbeat_cull_strategy,
      heartbeatResurrectionStrategy: r.heartbeat_resurrection_strategy,
    },
  });
}

/** A process found for a route, with whether the user bearer is a licensee. */
export interface FoundProcess {
  view: ProcessView;
  bearerIsLicensee: boolean;
}

/**
 * SQL for processes: scoped lookups, filtered lists, views (the row with its
 * machine's license, product and policy facts, one query), what a spawn checks
 * (its machine, pid and id uniqueness, the counts per leasing bucket) and the plain
 * writes. Heartbeat and culling writes live in ProcessHeartbeatsRepository.
 */
@Injectable()
export class ProcessesRepository {
  constructor(
    @InjectRepository(MachineProcess) private readonly repo: Repository<MachineProcess>,
  ) {}

  /**
   * A process by UUID within the bearer's reach (non-UUIDs never match); with
   * `machineId`, only that machine's. `licenseeOf` asks whether that user is a
   * licensee of the machine's license.
   */
  async find(
    scope: AccountScope,
    access: MachineAccess,
    id: string,
    licenseeOf: string | null,
    machineId?: string,
  ): Promise<FoundProcess | null> {
    if (!isUuidLike(id)) {
      return null;
    }
    const { where, licensee, values } = childLookupSql(
      scope,
      access,
      'mp',
      id,
      licenseeOf,
      machineId,
    );
    const rows = (await this.repo.query(
      `SELECT ${VIEW_COLUMNS}, ${licensee} AS bearer_is_licensee ${VIEW_FROM} WHERE ${where}`,
      values,
    )) as ViewRow[];
    const row = rows[0];
    return row ? { view: toView(row), bearerIsLicensee: row.bearer_is_licensee === true } : null;
  }

  /** A process by id in the account, any environment (after writes, in jobs). */
  async viewById(
    accountId: string,
    id: string,
    m: EntityManager = this.repo.manager,
  ): Promise<ProcessView | null> {
    const rows = (await m.query(
      `SELECT ${VIEW_COLUMNS} ${VIEW_FROM} WHERE mp.account_id = $1 AND mp.id = $2`,
      [accountId, id],
    )) as ViewRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Rows → views, in input order. */
  async views(rows: readonly MachineProcess[]): Promise<ProcessView[]> {
    if (rows.length === 0) {
      return [];
    }
    const found = (await this.repo.query(
      `SELECT ${VIEW_COLUMNS} ${VIEW_FROM} WHERE mp.id = ANY($1)`,
      [rows.map((r) => r.id)],
    )) as ViewRow[];
    return inInputOrder(rows, found, toView);
  }

  /**
   * One page of the processes the bearer reaches, filtered, newest first; with
   * `machineId`, only that machine's.
   */
  list(
    scope: AccountScope,
    access: MachineAccess,
    clauses: readonly ProcessClause[],
    pagination: Pagination,
    machineId?: string,
  ): Promise<ListResult<MachineProcess>> {
    return listChildren(
      this.repo.createQueryBuilder('mp'),
      'mp',
      scope,
      access,
      clauses,
      clauseSql,
      pagination,
      machineId,
    );
  }

  /** The machine a spawn names, anywhere in the account; `m` may hold the license lock. */
  async spawnTarget(
    accountId: string,
    machineId: string,
    m: EntityManager = this.repo.manager,
  ): Promise<SpawnTarget | null> {
    const rows = (await m.query(
      `SELECT m.id, m.account_id, m.environment_id, m.license_id, m.product_id, m.owner_id,
              m.max_processes, l.owner_id AS license_owner_id,
              coalesce(l.protected, p.protected) AS license_protected
         FROM machines m
         JOIN licenses l ON l.id = m.license_id
         JOIN policies p ON p.id = m.policy_id
        WHERE m.account_id = $1 AND m.id = $2`,
      [accountId, machineId],
    )) as Array<{
      id: string;
      account_id: string;
      environment_id: string | null;
      license_id: string;
      product_id: string;
      owner_id: string | null;
      max_processes: number | null;
      license_owner_id: string | null;
      license_protected: boolean;
    }>;
    const r = rows[0];
    return r
      ? {
          id: r.id,
          accountId: r.account_id,
          environmentId: r.environment_id,
          licenseId: r.license_id,
          productId: r.product_id,
          ownerId: r.owner_id,
          maxProcesses: r.max_processes,
          licenseOwnerId: r.license_owner_id,
          licenseProtected: r.license_protected,
        }
      : null;
  }

  /** Whether the machine already has a process with this pid (exact). */
  async pidTaken(machineId: string, pid: string, m: EntityManager): Promise<boolean> {
    const rows = (await m.query(
      `SELECT 1 FROM machine_processes WHERE machine_id = $1 AND md5(pid) = md5($2) AND pid = $2`,
      [machineId, pid],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Whether any process, in any account, has this id (Keygen's `MachineProcess.exists?(id)`). */
  async idTaken(id: string, m: EntityManager): Promise<boolean> {
    const rows = (await m.query('SELECT 1 FROM machine_processes WHERE id = $1', [
      id,
    ])) as unknown[];
    return rows.length > 0;
  }

  /**
   * Processes in a leasing bucket, dead ones not yet culled included: the machine's,
   * the license's, or those on the license's machines with the same owner (null is a
   * bucket of its own).
   */
  async countInBucket(
    bucket: ProcessLeasing,
    machine: SpawnTarget,
    m: EntityManager,
  ): Promise<number> {
    let sql: string;
    let params: unknown[];
    switch (bucket) {
      case 'machine':
        sql = 'SELECT count(*)::int AS n FROM machine_processes WHERE machine_id = $1';
        params = [machine.id];
        break;
      case 'license':
        sql = `SELECT count(*)::int AS n FROM machine_processes mp JOIN machines m ON m.id = mp.machine_id
                WHERE m.license_id = $1`;
        params = [machine.licenseId];
        break;
      case 'user':
        sql = `SELECT count(*)::int AS n FROM machine_processes mp JOIN machines m ON m.id = mp.machine_id
                WHERE m.license_id = $1 AND m.owner_id IS NOT DISTINCT FROM $2`;
        params = [machine.licenseId, machine.ownerId];
        break;
    }
    const rows = (await m.query(sql, params)) as Array<{ n: number }>;
    return rows[0].n;
  }

  async insert(process: MachineProcess, m: EntityManager): Promise<void> {
    await m.getRepository(MachineProcess).insert(row(process));
  }

  async update(accountId: string, id: string, patch: Partial<MachineProcess>): Promise<void> {
    await this.repo.update({ accountId, id }, row(patch));
  }

  async delete(accountId: string, id: string): Promise<void> {
    await this.repo.delete({ accountId, id });
  }

  product(accountId: string, id: string): Promise<Product | null> {
    return this.repo.manager.getRepository(Product).findOneBy({ accountId, id });
  }

  license(accountId: string, id: string): Promise<License | null> {
    return this.repo.manager.getRepository(License).findOneBy({ accountId, id });
  }
}

/** DEAD: lastHeartbeat + the machine's policy heartbeatDuration (else 600 s) < now. */
export const PROCESS_DEAD_SQL = (now: string, process = 'mp', policy = 'p'): string =>
  `${process}.last_heartbeat_at < CAST(${now} AS timestamptz) - make_interval(secs => coalesce(${policy}.heartbeat_duration, 600))`;

/** The shared filters, plus `status` (ALIVE/DEAD at the clause's time). */
function clauseSql(c: ProcessClause, add: AddParam): string {
  if (c.kind !== 'status') {
    return machineChildClauseSql(c, 'mp', add);
  }
  const dead = PROCESS_DEAD_SQL(add(c.now.toISOString()), 'mp', 'sp');
  return `EXISTS (SELECT 1 FROM machines sm JOIN policies sp ON sp.id = sm.policy_id
    WHERE sm.id = mp.machine_id AND ${c.status === 'DEAD' ? '' : 'NOT '}(${dead}))`;
}

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function row(values: Partial<MachineProcess>): QueryDeepPartialEntity<MachineProcess> {
  return values as QueryDeepPartialEntity<MachineProcess>;
}
