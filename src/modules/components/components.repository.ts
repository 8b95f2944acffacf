import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike } from '@app/common/ids';
import { License } from '@app/modules/licenses/license.entity';
import { MachineComponent } from '@app/modules/machines/machine.entity';
import type { UniquenessScope } from '@app/modules/machines/machine-activation.repository';
import {
  childLookupSql,
  inInputOrder,
  listChildren,
  machineChildClauseSql,
} from '@app/modules/machines/machine-children.repository';
import type { MachineAccess } from '@app/modules/machines/machine.policy';
import { Product } from '@app/modules/products/product.entity';
import type { ComponentClause } from './component-filters';
import type { ComponentRecord, TargetMachine } from './component.view';

const RECORD_COLUMNS = `
  c.id, c.account_id, c.environment_id, c.machine_id, c.fingerprint, c.name, c.metadata,
  c.created_at, c.updated_at, m.license_id, m.product_id, m.owner_id AS machine_owner_id,
  l.owner_id AS license_owner_id, coalesce(l.protected, p.protected) AS license_protected`;

const RECORD_FROM = `
  FROM machine_components c
  JOIN machines m ON m.id = c.machine_id
  JOIN licenses l ON l.id = m.license_id
  JOIN policies p ON p.id = m.policy_id`;

interface RecordRow {
  id: string;
  account_id: string;
  environment_id: string | null;
  machine_id: string;
  fingerprint: string;
  name: string;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  license_id: string;
  product_id: string;
  machine_owner_id: string | null;
  license_owner_id: string | null;
  license_protected: boolean;
  bearer_is_licensee?: boolean;
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
    licenseId: r.license_id,
    productId: r.product_id,
    machineOwnerId: r.machine_owner_id,
    licenseOwnerId: r.license_owner_id,
    licenseProtected: r.license_protected,
  });
}

/** A component found for a route, with whether the user bearer is a licensee. */
export interface FoundComponent {
  record: ComponentRecord;
  bearerIsLicensee: boolean;
}

/**
 * SQL for components: scoped lookups, filtered lists, the record with its machine's
 * license and product facts (one query), the machine a create names, fingerprint
 * uniqueness per strategy, and the plain writes.
 */
@Injectable()
export class ComponentsRepository {
  constructor(
    @InjectRepository(MachineComponent) private readonly repo: Repository<MachineComponent>,
  ) {}

  /**
   * A component by UUID within the bearer's reach (non-UUIDs never match); with
   * `machineId`, only that machine's. `licenseeOf` asks whether that user is a
   * licensee of the machine's license.
   */
  async find(
    scope: AccountScope,
    access: MachineAccess,
    id: string,
    licenseeOf: string | null,
    machineId?: string,
  ): Promise<FoundComponent | null> {
    if (!isUuidLike(id)) {
      return null;
    }
    const { where, licensee, values } = childLookupSql(
      scope,
      access,
      'c',
      id,
      licenseeOf,
      machineId,
    );
    const rows = (await this.repo.query(
      `SELECT ${RECORD_COLUMNS}, ${licensee} AS bearer_is_licensee ${RECORD_FROM} WHERE ${where}`,
      values,
    )) as RecordRow[];
    const row = rows[0];
    return row
      ? { record: toRecord(row), bearerIsLicensee: row.bearer_is_licensee === true }
      : null;
  }

  /** A component by id in the account, any environment (after writes). */
  async recordById(
    accountId: string,
    id: string,
    m: EntityManager = this.repo.manager,
  ): Promise<ComponentRecord | null> {
    const rows = (await m.query(
      `SELECT ${RECORD_COLUMNS} ${RECORD_FROM} WHERE c.account_id = $1 AND c.id = $2`,
      [accountId, id],
    )) as RecordRow[];
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Rows → records, in input order. */
  async records(rows: readonly MachineComponent[]): Promise<ComponentRecord[]> {
    if (rows.length === 0) {
      return [];
    }
    const found = (await this.repo.query(
      `SELECT ${RECORD_COLUMNS} ${RECORD_FROM} WHERE c.id = ANY($1)`,
      [rows.map((r) => r.id)],
    )) as RecordRow[];
    return inInputOrder(rows, found, toRecord);
  }

  /**
   * One page of the components the bearer reaches, filtered, newest first; with
   * `machineId`, only that machine's.
   */
  list(
    scope: AccountScope,
    access: MachineAccess,
    clauses: readonly ComponentClause[],
    pagination: Pagination,
    machineId?: string,
  ): Promise<ListResult<MachineComponent>> {
    return listChildren(
      this.repo.createQueryBuilder('c'),
      'c',
      scope,
      access,
      clauses,
      (c: ComponentClause, add) => machineChildClauseSql(c, 'c', add),
      pagination,
      machineId,
    );
  }

  /** The machine a create names, anywhere in the account; `m` may hold the license lock. */
  async targetMachine(
    accountId: string,
    machineId: string,
    m: EntityManager = this.repo.manager,
  ): Promise<TargetMachine | null> {
    const rows = (await m.query(
      `SELECT m.id, m.account_id, m.environment_id, m.license_id, m.policy_id, m.product_id,
              m.owner_id, l.owner_id AS license_owner_id,
              coalesce(l.protected, p.protected) AS license_protected,
              p.component_uniqueness_strategy
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
      policy_id: string;
      product_id: string;
      owner_id: string | null;
      license_owner_id: string | null;
      license_protected: boolean;
      component_uniqueness_strategy: string | null;
    }>;
    const r = rows[0];
    return r
      ? {
          id: r.id,
          accountId: r.account_id,
          environmentId: r.environment_id,
          licenseId: r.license_id,
          policyId: r.policy_id,
          productId: r.product_id,
          ownerId: r.owner_id,
          licenseOwnerId: r.license_owner_id,
          licenseProtected: r.license_protected,
          componentUniquenessStrategy: r.component_uniqueness_strategy,
        }
      : null;
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

  async insert(component: MachineComponent, m: EntityManager): Promise<void> {
    await m.getRepository(MachineComponent).insert(row(component));
  }

  async update(accountId: string, id: string, patch: Partial<MachineComponent>): Promise<void> {
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

/** TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values. */
function row(values: Partial<MachineComponent>): QueryDeepPartialEntity<MachineComponent> {
  return values as QueryDeepPartialEntity<MachineComponent>;
}
