import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { normalizeUuid } from '@app/common/ids';
import type { MachineAccess } from './machine.policy';

/**
 * SQL fragments for the tables that hang off a machine (`machine_components`,
 * `machine_processes`): the bearer's reach through the machine, the environment rule,
 * the filters both lists take, and the WHERE of a scoped lookup. The owning
 * repositories keep their columns, mappers and writes.
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
export function childLookupSql(
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
  const licensee =
    licenseeOf === null
      ? 'FALSE'
      : `EXISTS (SELECT 1 FROM license_users lu WHERE lu.license_id = m.license_id AND lu.user_id = ${add(licenseeOf)})`;
  return { where: where.join(' AND '), licensee, values: ps.values };
}

/**
 * One page of the rows in `qb` (alias `alias`) the bearer reaches, filtered by
 * `clauses` through `clauseSql`, newest first; with `machineId`, only that machine's.
 */
export function listChildren<T extends ObjectLiteral & { id: string }, C>(
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

/** `found` rows mapped and put in the order of `rows` (rows that vanished are dropped). */
export function inInputOrder<R extends { id: string }, V>(
  rows: readonly { id: string }[],
  found: readonly R[],
  map: (r: R) => V,
): V[] {
  const byId = new Map(found.map((r) => [r.id, map(r)]));
  return rows.map((r) => byId.get(r.id)).filter((v): v is V => v !== undefined);
}
