import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * A parameterised WHERE fragment built elsewhere (e.g. search terms) that a list query
 * ANDs in. `sql` receives the list's table alias; named parameters must not collide
 * with the list's own (prefix them).
 */
export interface SqlPredicate {
  sql(alias: string): string;
  params: Record<string, unknown>;
}

/** ANDs the predicate, when there is one, into the query on `alias`. */
export function whereSatisfies<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  predicate: SqlPredicate | undefined,
): SelectQueryBuilder<T> {
  if (predicate) {
    qb.andWhere(predicate.sql(alias), predicate.params);
  }
  return qb;
}
