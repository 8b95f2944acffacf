import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { DateRange, IdMatch, RefFilter } from './dto/log-filters';

/**
 * Query-builder helpers the two log repositories share (no SQL outside repositories
 * uses them). Parameter names are prefixed per call so filters never collide.
 */

/** `%`, `_` and `\` taken literally inside a LIKE pattern. */
export function likeEscape(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function whereId<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  column: string,
  match: IdMatch,
  param: string,
): void {
  if (match.kind === 'exact') {
    qb.andWhere(`${column} = :${param}`, { [param]: match.id });
  } else {
    qb.andWhere(`${column}::text ILIKE :${param}`, { [param]: `%${likeEscape(match.term)}%` });
  }
}

/** A polymorphic filter on `<prefix>_type` / `<prefix>_id`. */
export function whereRef<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  prefix: string,
  filter: RefFilter,
): void {
  if (filter.type !== null) {
    qb.andWhere(`${alias}.${prefix}_type = :${prefix}Type`, { [`${prefix}Type`]: filter.type });
  }
  whereId(qb, `${alias}.${prefix}_id`, filter.id, `${prefix}Id`);
}

export function whereDate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  range: DateRange,
): void {
  qb.andWhere(`${alias}.created_at >= :dateFrom AND ${alias}.created_at < :dateUntil`, {
    dateFrom: range.from,
    dateUntil: range.until,
  });
}

/** The smallest UUIDv7 of the millisecond `at`: every id minted earlier sorts below it. */
export function uuidv7Floor(at: Date): string {
  const h = Math.max(0, at.getTime()).toString(16).padStart(12, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7000-8000-000000000000`;
}
