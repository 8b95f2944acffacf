import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '../context/request-context';
import type { ListResult } from '../http/render';

/**
 * Applies the account + environment rule (spec 01 §3.3) to a query: global sees
 * global rows; isolated sees its own; shared sees its own plus global.
 */
export function whereInScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  scope: AccountScope,
): SelectQueryBuilder<T> {
  qb.andWhere(`${alias}.account_id = :scopeAccountId`, { scopeAccountId: scope.accountId });
  if (scope.environmentId === null) {
    qb.andWhere(`${alias}.environment_id IS NULL`);
  } else if (scope.shared) {
    qb.andWhere(`(${alias}.environment_id = :scopeEnvId OR ${alias}.environment_id IS NULL)`, {
      scopeEnvId: scope.environmentId,
    });
  } else {
    qb.andWhere(`${alias}.environment_id = :scopeEnvId`, { scopeEnvId: scope.environmentId });
  }
  return qb;
}

/**
 * Orders newest first (or `order=asc`) and pages per the pagination mode.
 * `countable` adds the total count (offset mode links carry pages/count).
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  pagination: Pagination,
  countable = true,
): Promise<ListResult<T>> {
  const dir = pagination.order === 'asc' ? 'ASC' : 'DESC';
  qb.orderBy(`${alias}.createdAt`, dir).addOrderBy(`${alias}.id`, dir);
  switch (pagination.mode) {
    case 'limit': {
      const rows = await qb.limit(pagination.limit).getMany();
      return { kind: 'list', rows, pagination };
    }
    case 'offset': {
      qb.offset((pagination.number - 1) * pagination.size).limit(pagination.size);
      if (countable) {
        const [rows, count] = await qb.getManyAndCount();
        return { kind: 'list', rows, pagination, count };
      }
      const rows = await qb.getMany();
      return { kind: 'list', rows, pagination };
    }
    case 'cursor': {
      if (pagination.cursor !== '') {
        const op = dir === 'DESC' ? '<' : '>';
        qb.andWhere(
          `(${alias}.created_at, ${alias}.id) ${op} (SELECT c.created_at, c.id FROM ${qb.expressionMap.mainAlias!.metadata.tableName} c WHERE c.id = :cursorId)`,
          { cursorId: pagination.cursor },
        );
      }
      const rows = await qb.limit(pagination.size + 1).getMany();
      const hasMore = rows.length > pagination.size;
      return { kind: 'list', rows: rows.slice(0, pagination.size), pagination, hasMore };
    }
  }
}
