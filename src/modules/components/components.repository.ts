import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { MachineComponent } from '@app/modules/machines/machine.entity';
import type { UniquenessScope } from '@app/modules/machines/machine-activation.repository';
import {
  MachineChildRepository,
  childViewReads,
  machineChildClauseSql,
  parentFacts,
  type AddParam,
  type MachineChildClause,
  type ParentRow,
} from '@app/modules/machines/machine-children.repository';
import type { ComponentRecord, TargetMachine } from './component.view';

const RECORD_COLUMNS = `
  c.id, c.account_id, c.environment_id, c.machine_id, c.fingerprint, c.name, c.metadata,
  c.created_at, c.updated_at`;

interface RecordRow extends ParentRow {
  account_id: string;
  environment_id: string | null;
  machine_id: string;
  fingerprint: string;
  name: string;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

function toRecord(r: RecordRow): ComponentRecord {
  return Object.assign(new MachineComponent(), {
    id: r.id,
    accountId: r.account_id,
    environmentId: r.environment_id,
    machineId: r.machine_id,
    fingerprint: r.fingerprint,
    name: r.name,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...parentFacts(r),
  });
}

/**
 * SQL for components: the record with its machine's license and product facts (one
 * query) behind the scoped lookups, filtered lists and plain writes components share
 * with processes (MachineChildRepository), the machine a create names, and
 * fingerprint uniqueness per strategy.
 */
@Injectable()
export class ComponentsRepository extends MachineChildRepository<
  MachineComponent,
  ComponentRecord
> {
  constructor(@InjectRepository(MachineComponent) repo: Repository<MachineComponent>) {
    super(repo, childViewReads('machine_components', 'c', RECORD_COLUMNS, toRecord));
  }

  protected override clauseSql(c: MachineChildClause, add: AddParam): string {
    return machineChildClauseSql(c, 'c', add);
  }

  /** The machine a create names, anywhere in the account; `m` may hold the license lock. */
  targetMachine(
    accountId: string,
    machineId: string,
    m: EntityManager = this.repo.manager,
  ): Promise<TargetMachine | null> {
    return this.readTarget(
      m,
      accountId,
      machineId,
      'm.policy_id, p.component_uniqueness_strategy',
      (r: { policy_id: string; component_uniqueness_strategy: string | null }) => ({
        policyId: r.policy_id,
        componentUniquenessStrategy: r.component_uniqueness_strategy,
      }),
    );
  }

  /**
   * Whether a component in `scope` (a machine, or the machines of an account,
   * product, policy or license) already has the fingerprint (exact, case-sensitive).
   */
  async fingerprintTaken(
    scope: UniquenessScope,
    fingerprint: string,
    m: EntityManager,
  ): Promise<boolean> {
    const params: unknown[] = [fingerprint];
    const machineHas = (column: string, value: string): string => {
      params.push(value);
      return `EXISTS (SELECT 1 FROM machines um WHERE um.id = c.machine_id AND um.${column} = $${params.length})`;
    };
    let where: string;
    switch (scope.kind) {
      case 'machine':
        params.push(scope.machineId);
        where = `c.machine_id = $${params.length}`;
        break;
      case 'account':
        params.push(scope.accountId);
        where = `c.account_id = $${params.length}`;
        break;
      case 'product':
        params.push(scope.accountId);
        where = `c.account_id = $${params.length} AND ${machineHas('product_id', scope.productId)}`;
        break;
      case 'policy':
        params.push(scope.accountId);
        where = `c.account_id = $${params.length} AND ${machineHas('policy_id', scope.policyId)}`;
        break;
      case 'license':
        where = machineHas('license_id', scope.licenseId);
        break;
    }
    const rows = (await m.query(
      `SELECT 1 FROM machine_components c
        WHERE md5(c.fingerprint) = md5($1) AND c.fingerprint = $1 AND ${where} LIMIT 1`,
      params,
    )) as unknown[];
    return rows.length > 0;
  }
}
