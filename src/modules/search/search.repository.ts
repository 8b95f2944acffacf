import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { likeEscape } from '@app/modules/logs/log-query';
import type { RelatedMatch, Relation, SearchClause, SearchOp, SearchType } from './search-query';

/**
 * The SQL of search terms (spec 00 §5.6): clauses become one parameterised predicate
 * that the resource's own list query ANDs in, so account, environment and bearer
 * scoping, ordering and pagination stay the list's. Every value is a bound parameter;
 * column and table names come from our clause constants only.
 */

type Bind = (value: unknown) => string;

/** Related table, the foreign key on the searched row and the text column names match. */
const RELATED: Record<Exclude<Relation, 'user'>, { table: string; fk: string; text: string }> = {
  product: { table: 'products', fk: 'product_id', text: 'name' },
  policy: { table: 'policies', fk: 'policy_id', text: 'name' },
  license: { table: 'licenses', fk: 'license_id', text: 'name' },
  owner: { table: 'users', fk: 'owner_id', text: 'email' },
};

/** Terms combined with AND (intersection) or OR (union), as one predicate. */
export function searchPredicate(
  type: SearchType,
  op: SearchOp,
  clauses: readonly SearchClause[],
): SqlPredicate {
  const params: Record<string, unknown> = {};
  let n = 0;
  const bind: Bind = (value) => {
    const name = `srch${n++}`;
    params[name] = value;
    return `:${name}`;
  };
  // Rendered once per alias: the list queries each use their own.
  return {
    params,
    sql(alias: string): string {
      n = 0;
      const parts = clauses.map((c) => clauseSql(type, alias, c, bind));
      return parts.length === 0 ? 'FALSE' : `(${parts.join(` ${op} `)})`;
    },
  };
}

const contains = (term: string): string => `%${likeEscape(term)}%`;

function clauseSql(type: SearchType, a: string, c: SearchClause, bind: Bind): string {
  switch (c.kind) {
    case 'none':
      return 'FALSE';
    case 'idExact':
      return `${a}.${c.column} = ${bind(c.id)}`;
    case 'idLike':
      return `${a}.${c.column}::text ILIKE ${bind(contains(c.term))}`;
    case 'contains':
      return `${a}.${c.column} ILIKE ${bind(contains(c.term))}`;
    case 'containsCase':
      return `${a}.${c.column} LIKE ${bind(contains(c.term))}`;
    case 'startsWith':
      return `${a}.${c.column} ILIKE ${bind(`${likeEscape(c.term)}%`)}`;
    case 'equals':
      return `${a}.${c.column} = ${bind(c.value)}`;
    case 'role':
      return `replace(${a}.role, '-', '_') ILIKE ${bind(contains(c.term))}`;
    case 'metadata':
      return c.entries.length === 0
        ? 'TRUE'
        : `(${c.entries
            .map(
              (candidates) =>
                `(${candidates
                  .map((v) => `${a}.metadata @> CAST(${bind(JSON.stringify(v))} AS jsonb)`)
                  .join(' OR ')})`,
            )
            .join(' AND ')})`;
    case 'related':
      return relatedSql(type, a, c.relation, c.match, bind);
    case 'all':
      return c.clauses.length === 0
        ? 'TRUE'
        : `(${c.clauses.map((x) => clauseSql(type, a, x, bind)).join(' AND ')})`;
  }
}

/** How a related row `r` matches: exact id, or text substring (plus an id prefix). */
function matchSql(match: RelatedMatch, textColumn: string, bind: Bind): string {
  if (match.kind === 'id') {
    return `r.id = ${bind(match.id)}`;
  }
  const byText = `r.${textColumn} ILIKE ${bind(contains(match.term))}`;
  return match.idPrefix
    ? `(${byText} OR r.id::text ILIKE ${bind(`${likeEscape(match.term)}%`)})`
    : byText;
}

function relatedSql(
  type: SearchType,
  a: string,
  relation: Relation,
  match: RelatedMatch,
  bind: Bind,
): string {
  if (relation !== 'user') {
    const { table, fk, text } = RELATED[relation];
    return `EXISTS (SELECT 1 FROM ${table} r WHERE r.id = ${a}.${fk} AND ${matchSql(match, text, bind)})`;
  }
  // A license's users are its owner and its licensees; a machine's are its license's.
  const license = type === 'machines' ? `${a}.license_id` : `${a}.id`;
  const m = matchSql(match, 'email', bind);
  return `EXISTS (SELECT 1 FROM licenses sl WHERE sl.id = ${license} AND (
    EXISTS (SELECT 1 FROM users r WHERE r.id = sl.owner_id AND ${m})
    OR EXISTS (SELECT 1 FROM license_users slu JOIN users r ON r.id = slu.user_id
      WHERE slu.license_id = sl.id AND ${m})))`;
}
