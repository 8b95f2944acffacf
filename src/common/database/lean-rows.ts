/**
 * Wide rows as one JSON value. pg decodes a result column by column: per execution
 * it builds a parser list and an empty row object from the RowDescription, then a
 * dictionary-mode object per row. For a 100-column join that is ~113 µs of the
 * event loop's time per query, measured here; the same row as `row_to_json` is one
 * column and one JSON.parse (~60 µs). Which statements qualify, and how a JSON row
 * is turned back into exactly what pg would have returned, is decided here from the
 * column types pg reported when the statement first ran plainly.
 */

/** A result column as pg reports it. */
export interface FieldInfo {
  name: string;
  dataTypeID: number;
}

/** How a statement runs from now on: plainly, or wrapped, with the columns to restore. */
export type LeanShape =
  | { lean: false }
  | {
      lean: true;
      text: string;
      /** Timestamp columns: ISO strings in the JSON, revived as Date like pg-types does. */
      dates: readonly string[];
      /** Columns read outside the JSON (extra column `__kw_<i>` is `passed[i]`), decoded by pg. */
      passed: readonly string[];
    };

/** Below this many columns pg's own decoding is as cheap as the JSON round. */
export const LEAN_MIN_COLUMNS = 8;

/**
 * Types whose JSON rendering parses to the value pg-types returns: booleans,
 * 2- and 4-byte integers, strings (text, varchar, name, uuid, inet), json/jsonb,
 * and one-dimensional string arrays. Every other type (int8 and numeric, which pg
 * returns as strings, floats, date, bytea, enums, ...) is passed beside the JSON as
 * a plain column, so it keeps pg's decoding exactly.
 */
const SAME_IN_JSON = new Set([
  16, // bool
  21, // int2
  23, // int4
  26, // oid
  19, // name
  25, // text
  1043, // varchar
  2950, // uuid
  869, // inet
  114, // json
  3802, // jsonb
  1009, // text[]
  1015, // varchar[]
  2951, // uuid[]
]);

/** timestamptz and timestamp: ISO strings in JSON, revived as Date like pg-types does. */
const TIMESTAMPS = new Set([1184, 1114]);

const JSON_COLUMN = '__kw_json';
const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Whether (and how) a statement with these result columns runs lean. Only SELECT
 * (wrapped as a subquery) and UPDATE/INSERT/DELETE … RETURNING (wrapped as a
 * top-level CTE) qualify; a statement that starts with WITH stays plain, since a
 * data-modifying CTE cannot be nested. Rows keep the plain statement's order: the
 * wrapper only projects.
 */
export function leanShape(text: string, fields: readonly FieldInfo[]): LeanShape {
  if (fields.length < LEAN_MIN_COLUMNS) {
    return { lean: false };
  }
  const names = new Set(fields.map((f) => f.name));
  if (names.size !== fields.length || names.has('') || names.has(JSON_COLUMN)) {
    return { lean: false };
  }
  const passed = fields.filter(
    (f) => !SAME_IN_JSON.has(f.dataTypeID) && !TIMESTAMPS.has(f.dataTypeID),
  );
  if (passed.length * 2 > fields.length) {
    return { lean: false };
  }
  const select = [
    `row_to_json(q) AS ${JSON_COLUMN}`,
    ...passed.map((f, i) => `q.${quoted(f.name)} AS __kw_${i}`),
  ].join(', ');
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase();
  let wrapped: string;
  if (verb === 'SELECT') {
    wrapped = `SELECT ${select} FROM (${text}) q`;
  } else if (verb === 'UPDATE' || verb === 'INSERT' || verb === 'DELETE') {
    wrapped = `WITH q AS (${text}) SELECT ${select} FROM q`;
  } else {
    return { lean: false };
  }
  return {
    lean: true,
    text: wrapped,
    dates: fields.filter((f) => TIMESTAMPS.has(f.dataTypeID)).map((f) => f.name),
    passed: passed.map((f) => f.name),
  };
}

/** A wrapped statement's rows back as the rows the plain statement returns. */
export function leanRows<T>(
  rows: ReadonlyArray<Record<string, unknown>>,
  shape: { dates: readonly string[]; passed: readonly string[] },
): T[] {
  return rows.map((row) => {
    const j = row[JSON_COLUMN] as Record<string, unknown>;
    for (const name of shape.dates) {
      const v = j[name];
      if (typeof v === 'string') {
        j[name] = new Date(v);
      }
    }
    for (let i = 0; i < shape.passed.length; i++) {
      j[shape.passed[i]] = row[`__kw_${i}`];
    }
    return j as T;
  });
}
