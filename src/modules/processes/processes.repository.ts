import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import {
  MachineChildRepository,
  childViewReads,
  machineChildClauseSql,
  parentFacts,
  type AddParam,
  type ParentRow,
} from '@app/modules/machines/machine-children.repository';
import { MachineProcess } from '@app/modules/machines/machine.entity';
import type { ProcessClause } from './process-filters';
import type { ProcessLeasing } from './process.rules';
import type { ProcessView, SpawnTarget } from './process.view';

const VIEW_COLUMNS = `
  mp.id, mp.account_id, mp.environment_id, mp.machine_id, mp.pid, mp.last_heartbeat_at,
  mp.last_death_event_sent_at, mp.heartbeat_claimed_until, mp.metadata, mp.created_at,
  mp.updated_at, p.heartbeat_duration, p.heartbeat_cull_strategy,
  p.heartbeat_resurrection_strategy`;

interface ViewRow extends ParentRow {
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
  heartbeat_duration: number | null;
  heartbeat_cull_strategy: string | null;
  heartbeat_resurrection_strategy: string | null;
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
    ...parentFacts(r),
    policy: {
      heartbeatDuration: r.heartbeat_duration,
      heartbeatCullStrategy: r.heartbeat_cull_strategy,
      heartbeatResurrectionStrategy: r.heartbeat_resurrection_strategy,
    },
  });
}

/**
 * SQL for processes: views (the row with its machine's license, product and policy
 * facts, one query) behind the scoped lookups, filtered lists and plain writes
 * processes share with components (MachineChildRepository), and what a spawn checks
 * (its machine, pid and id uniqueness, the counts per leasing bucket). Heartbeat and
 * culling writes live in ProcessHeartbeatsRepository.
 */
@Injectable()
export class ProcessesRepository extends MachineChildRepository<
  MachineProcess,
  ProcessView,
  ProcessClause
> {
  constructor(@InjectRepository(MachineProcess) repo: Repository<MachineProcess>) {
    super(repo, childViewReads('machine_processes', 'mp', VIEW_COLUMNS, toView));
  }

  /** The shared filters, plus `status` (ALIVE/DEAD at the clause's time). */
  protected override clauseSql(c: ProcessClause, add: AddParam): string {
    if (c.kind !== 'status') {
      return machineChildClauseSql(c, 'mp', add);
    }
    const dead = PROCESS_DEAD_SQL(add(c.now.toISOString()), 'mp', 'sp');
    return `EXISTS (SELECT 1 FROM machines sm JOIN policies sp ON sp.id = sm.policy_id
    WHERE sm.id = mp.machine_id AND ${c.status === 'DEAD' ? '' : 'NOT '}(${dead}))`;
  }

  /** The machine a spawn names, anywhere in the account; `m` may hold the license lock. */
  spawnTarget(
    accountId: string,
    machineId: string,
    m: EntityManager = this.repo.manager,
  ): Promise<SpawnTarget | null> {
    return this.readTarget(
      m,
      accountId,
      machineId,
      'm.max_processes',
      (r: { max_processes: number | null }) => ({ maxProcesses: r.max_processes }),
    );
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
}

/** DEAD: lastHeartbeat + the machine's policy heartbeatDuration (else 600 s) < now. */
export const PROCESS_DEAD_SQL = (now: string, process = 'mp', policy = 'p'): string =>
  `${process}.last_heartbeat_at < CAST(${now} AS timestamptz) - make_interval(secs => coalesce(${policy}.heartbeat_duration, 600))`;
