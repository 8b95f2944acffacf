import type {
  EntityManager,
  FindOptionsWhere,
  ObjectLiteral,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { License } from '@app/modules/licenses/license.entity';
import { Product } from '@app/modules/products/product.entity';
import type { MachineAccess, MachineFacts } from './machine.policy';

/**
 * SQL for the tables that hang off a machine (`machine_components`,
 * `machine_processes`): the bearer's reach through the machine, the environment rule,
 * the filters both lists take, the WHERE of a scoped lookup, view reads, and
 * `MachineChildRepository`, the lookups, lists and writes both repositories share.
 * The owning repositories keep their columns, mappers and own checks.
 */

/** Binds a value and returns its placeholder. */
export type AddParam = (v: unknown) => string;

/** Positional placeholders collected while a WHERE clause is built. */
export class Params {
  readonly values: unknown[] = [];

  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** The machines (alias `m` unless told) a bearer reaches (spec 03 §0.2). */
export function machineAccessSql(access: MachineAccess, add: AddParam, alias = 'm'): string {
  switch (access.kind) {
    case 'all':
      return 'TRUE';
    case 'product':
      return `${alias}.product_id = ${add(access.productId)}`;
    case 'license':
      return `${alias}.license_id = ${add(access.licenseId)}`;
    case 'user': {
      const u = add(access.userId);
      return `EXISTS (SELECT 1 FROM licenses al WHERE al.id = ${alias}.license_id AND (al.owner_id = ${u}
        OR EXISTS (SELECT 1 FROM license_users alu WHERE alu.license_id = al.id AND alu.user_id = ${u})))`;
    }
    case 'none':
      return 'FALSE';
  }
}

/**
 * Whether user `licenseeOf` is a licensee of the license of machine `machine`
 * (`FALSE` without a user).
 */
export function licenseeSql(licenseeOf: string | null, add: AddParam, machine = 'm'): string {
  return licenseeOf === null
    ? 'FALSE'
    : `EXISTS (SELECT 1 FROM license_users lu WHERE lu.license_id = ${machine}.license_id AND lu.user_id = ${add(licenseeOf)})`;
}

/** The environment rule (spec 01 §3.3) on the row (alias `alias`). */
export function environmentSql(scope: AccountScope, alias: string, add: AddParam): string {
  if (scope.environmentId === null) {
    return `${alias}.environment_id IS NULL`;
  }
  const env = add(scope.environmentId);
  return scope.shared
    ? `(${alias}.environment_id = ${env} OR ${alias}.environment_id IS NULL)`
    : `${alias}.environment_id = ${env}`;
}

/** The list filters components and processes share (parsed by their `*-filters.ts`). */
export type MachineChildClause =
  | { kind: 'none' }
  | { kind: 'machine'; id: string }
  /** A column of the row's machine. */
  | { kind: 'machine-column'; column: 'license_id' | 'product_id' | 'owner_id'; id: string }
  /** Rows on machines of licenses the user owns or is a licensee of. */
  | { kind: 'user'; id: string | null; email: string | null };

export function machineChildClauseSql(c: MachineChildClause, alias: string, add: AddParam): string {
  switch (c.kind) {
    case 'none':
      return 'FALSE';
    case 'machine':
      return `${alias}.machine_id = ${add(c.id)}`;
    case 'machine-column':
      return `EXISTS (SELECT 1 FROM machines fm WHERE fm.id = ${alias}.machine_id AND fm.${c.column} = ${add(c.id)})`;
    case 'user': {
      const match = c.id !== null ? `u.id = ${add(c.id)}` : `u.email = ${add(c.email)}`;
      return `EXISTS (SELECT 1 FROM machines um JOIN licenses ul ON ul.id = um.license_id
        JOIN users u ON ${match}
        WHERE um.id = ${alias}.machine_id AND (ul.owner_id = u.id
          OR EXISTS (SELECT 1 FROM license_users ulu WHERE ulu.license_id = ul.id AND ulu.user_id = u.id)))`;
    }
  }
}

/**
 * The WHERE of a lookup by UUID (`id`, already checked UUID-like) within the bearer's
 * reach, on a row `alias` joined to its machine `m`; with `machineId`, only that
 * machine's. `licensee` says whether `licenseeOf` is a licensee of the machine's license.
 */
function childLookupSql(
  scope: AccountScope,
  access: MachineAccess,
  alias: string,
  id: string,
  licenseeOf: string | null,
  machineId?: string,
): { where: string; licensee: string; values: unknown[] } {
  const ps = new Params();
  const add = (v: unknown): string => ps.add(v);
  const where = [
    `${alias}.account_id = ${add(scope.accountId)}`,
    environmentSql(scope, alias, add),
    machineAccessSql(access, add),
    `${alias}.id = ${add(normalizeUuid(id))}`,
  ];
  if (machineId !== undefined) {
    where.push(`${alias}.machine_id = ${add(machineId)}`);
  }
  const licensee = licenseeSql(licenseeOf, add);
  return { where: where.join(' AND '), licensee, values: ps.values };
}

/**
 * One page of the rows in `qb` (alias `alias`) the bearer reaches, filtered by
 * `clauses` through `clauseSql`, newest first; with `machineId`, only that machine's.
 */
function listChildren<T extends ObjectLiteral & { id: string }, C>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  scope: AccountScope,
  access: MachineAccess,
  clauses: readonly C[],
  clauseSql: (c: C, add: AddParam) => string,
  pagination: Pagination,
  machineId?: string,
): Promise<ListResult<T>> {
  whereInScope(qb, alias, scope);
  let n = 0;
  const params: Record<string, unknown> = {};
  const add = (v: unknown): string => {
    const name = `mc${n++}`;
    params[name] = v;
    return `:${name}`;
  };
  const reach = machineAccessSql(access, add);
  if (reach !== 'TRUE') {
    qb.andWhere(`EXISTS (SELECT 1 FROM machines m WHERE m.id = ${alias}.machine_id AND ${reach})`);
  }
  if (machineId !== undefined) {
    qb.andWhere(`${alias}.machine_id = ${add(machineId)}`);
  }
  for (const clause of clauses) {
    qb.andWhere(clauseSql(clause, add));
  }
  qb.setParameters(params);
  return paginate(qb, alias, pagination);
}

/** What runs a raw query: an EntityManager (a transaction's, or a repository's). */
export type Queryable = Pick<EntityManager, 'query'>;

/** A view found for a route, with whether the user bearer is a licensee. */
export interface FoundView<V> {
  view: V;
  bearerIsLicensee: boolean;
}

/** The reads of a view: a row with its machine's, license's and policy's facts in one query. */
export interface ViewReads<V> {
  /** The row's alias in the SELECT. */
  readonly alias: string;
  /** A view by id in the account, any environment (after writes, in jobs). */
  byId(db: Queryable, accountId: string, id: string): Promise<V | null>;
  /** Rows → views, in input order (rows that vanished are dropped). */
  inOrder(db: Queryable, rows: readonly { id: string }[]): Promise<V[]>;
  /** The view matching `where`, with whether `licensee` (SQL) holds. */
  first(
    db: Queryable,
    where: string,
    licensee: string,
    values: unknown[],
  ): Promise<FoundView<V> | null>;
}

/** The view reads of `SELECT columns from`, the row under `alias`, mapped by `toView`. */
export function viewReads<R extends { id: string; bearer_is_licensee?: boolean }, V>(
  alias: string,
  columns: string,
  from: string,
  toView: (r: R) => V,
): ViewReads<V> {
  return {
    alias,
    async byId(db, accountId, id) {
      const rows = (await db.query(
        `SELECT ${columns} ${from} WHERE ${alias}.account_id = $1 AND ${alias}.id = $2`,
        [accountId, id],
      )) as R[];
      return rows[0] ? toView(rows[0]) : null;
    },
    async inOrder(db, rows) {
      if (rows.length === 0) {
        return [];
      }
      const found = (await db.query(`SELECT ${columns} ${from} WHERE ${alias}.id = ANY($1)`, [
        rows.map((r) => r.id),
      ])) as R[];
      const byId = new Map(found.map((r) => [r.id, toView(r)]));
      return rows.map((r) => byId.get(r.id)).filter((v): v is V => v !== undefined);
    },
    async first(db, where, licensee, values) {
      const rows = (await db.query(
        `SELECT ${columns}, ${licensee} AS bearer_is_licensee ${from} WHERE ${where}`,
        values,
      )) as R[];
      const row = rows[0];
      return row ? { view: toView(row), bearerIsLicensee: row.bearer_is_licensee === true } : null;
    },
  };
}

/** What a component's or process's view reads of its machine `m`, license `l` and policy `p`. */
const PARENT_COLUMNS = `m.license_id, m.product_id, m.owner_id AS machine_owner_id,
  l.owner_id AS license_owner_id, coalesce(l.protected, p.protected) AS license_protected`;

/** The row of a component's or process's view: its own columns and these. */
export interface ParentRow {
  id: string;
  license_id: string;
  product_id: string;
  machine_owner_id: string | null;
  license_owner_id: string | null;
  license_protected: boolean;
  bearer_is_licensee?: boolean;
}

/** The parent columns as view fields. */
export function parentFacts(r: ParentRow): {
  licenseId: string;
  productId: string;
  machineOwnerId: string | null;
  licenseOwnerId: string | null;
  licenseProtected: boolean;
} {
  return {
    licenseId: r.license_id,
    productId: r.product_id,
    machineOwnerId: r.machine_owner_id,
    licenseOwnerId: r.license_owner_id,
    licenseProtected: r.license_protected,
  };
}

/**
 * The view reads of `table` (alias `alias`): `columns` (the row's, its policy `p`'s)
 * and the parent columns, the row joined to its machine `m` (the alias the shared
 * lookups and filters use), license `l` and policy `p`.
 */
export function childViewReads<R extends ParentRow, V>(
  table: string,
  alias: string,
  columns: string,
  toView: (r: R) => V,
): ViewReads<V> {
  return viewReads(
    alias,
    `${columns}, ${PARENT_COLUMNS}`,
    `
  FROM ${table} ${alias}
  JOIN machines m ON m.id = ${alias}.machine_id
  JOIN licenses l ON l.id = m.license_id
  JOIN policies p ON p.id = m.policy_id`,
    toView,
  );
}

/** The machine a create names, anywhere in the account, with what the rules read. */
export interface MachineChildTarget extends Omit<MachineFacts, 'bearerIsLicensee'> {
  accountId: string;
}

interface TargetRow {
  id: string;
  account_id: string;
  environment_id: string | null;
  license_id: string;
  product_id: string;
  owner_id: string | null;
  license_owner_id: string | null;
  license_protected: boolean;
}

/** A row of `machine_components` or `machine_processes`. */
export type MachineChildEntity = ObjectLiteral & { id: string; accountId: string };

/**
 * What the components and processes repositories share: the lookup by UUID in the
 * bearer's reach, the filtered list, views by id, the machine a create names, and
 * the plain writes. A subclass gives its view reads (childViewReads), its filters'
 * SQL, and keeps its own checks.
 */
export abstract class MachineChildRepository<
  E extends MachineChildEntity,
  V,
  C = MachineChildClause,
> {
  protected constructor(
    protected readonly repo: Repository<E>,
    private readonly reads: ViewReads<V>,
  ) {}

  /** One list filter as SQL on the row. */
  protected abstract clauseSql(c: C, add: AddParam): string;

  /**
   * A record by UUID within the bearer's reach (non-UUIDs never match); with
   * `machineId`, only that machine's. `licenseeOf` asks whether that user is a
   * licensee of the machine's license.
   */
  async find(
    scope: AccountScope,
    access: MachineAccess,
    id: string,
    licenseeOf: string | null,
    machineId?: string,
  ): Promise<FoundView<V> | null> {
    if (!isUuidLike(id)) {
      return null;
    }
    const { where, licensee, values } = childLookupSql(
      scope,
      access,
      this.reads.alias,
      id,
      licenseeOf,
      machineId,
    );
    return this.reads.first(this.repo.manager, where, licensee, values);
  }

  /** A record by id in the account, any environment (after writes, in jobs). */
  viewById(accountId: string, id: string, m: EntityManager = this.repo.manager): Promise<V | null> {
    return this.reads.byId(m, accountId, id);
  }

  /**
   * One page of the records the bearer reaches, filtered, newest first; with
   * `machineId`, only that machine's.
   */
  async list(
    scope: AccountScope,
    access: MachineAccess,
    clauses: readonly C[],
    pagination: Pagination,
    machineId?: string,
  ): Promise<ListResult<V>> {
    const page = await listChildren(
      this.repo.createQueryBuilder(this.reads.alias),
      this.reads.alias,
      scope,
      access,
      clauses,
      (c: C, add) => this.clauseSql(c, add),
      pagination,
      machineId,
    );
    return { ...page, rows: await this.reads.inOrder(this.repo.manager, page.rows) };
  }

  // TypeORM's deep-partial type cannot express `jsonb` records; the columns are plain values.
  async insert(record: E, m: EntityManager): Promise<void> {
    await m.getRepository(this.repo.target).insert(record as QueryDeepPartialEntity<E>);
  }

  async update(accountId: string, id: string, patch: Partial<E>): Promise<void> {
    await this.repo.update(this.key(accountId, id), patch as QueryDeepPartialEntity<E>);
  }

  async delete(accountId: string, id: string): Promise<void> {
    await this.repo.delete(this.key(accountId, id));
  }

  product(accountId: string, id: string): Promise<Product | null> {
    return this.repo.manager.getRepository(Product).findOneBy({ accountId, id });
  }

  license(accountId: string, id: string): Promise<License | null> {
    return this.repo.manager.getRepository(License).findOneBy({ accountId, id });
  }

  /**
   * The machine a create names, anywhere in the account (`m` may hold the license
   * lock), with `extra` columns of the machine `m`, license `l` or policy `p`.
   */
  protected async readTarget<XR, X>(
    m: EntityManager,
    accountId: string,
    machineId: string,
    extra: string,
    mapExtra: (r: XR) => X,
  ): Promise<(MachineChildTarget & X) | null> {
    const rows = (await m.query(
      `SELECT m.id, m.account_id, m.environment_id, m.license_id, m.product_id, m.owner_id,
              l.owner_id AS license_owner_id,
              coalesce(l.protected, p.protected) AS license_protected, ${extra}
         FROM machines m
         JOIN licenses l ON l.id = m.license_id
         JOIN policies p ON p.id = m.policy_id
        WHERE m.account_id = $1 AND m.id = $2`,
      [accountId, machineId],
    )) as Array<TargetRow & XR>;
    const r = rows[0];
    return r
      ? {
          id: r.id,
          accountId: r.account_id,
          environmentId: r.environment_id,
          licenseId: r.license_id,
          productId: r.product_id,
          ownerId: r.owner_id,
          licenseOwnerId: r.license_owner_id,
          licenseProtected: r.license_protected,
          ...mapExtra(r),
        }
      : null;
  }

  private key(accountId: string, id: string): FindOptionsWhere<E> {
    return { accountId, id } as FindOptionsWhere<E>;
  }
}
