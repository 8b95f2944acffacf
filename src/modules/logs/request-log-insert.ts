import { toRow, type RequestLogEntry, type RequestLogRow } from './request-log-entry';

/** Columns of an insert, in the order `insertRequestLogRows` pushes their values. */
const INSERT_COLUMNS = [
  'id',
  'account_id',
  'environment_id',
  'requestor_type',
  'requestor_id',
  'resource_type',
  'resource_id',
  'method',
  'url',
  'status',
  'user_agent',
  'ip',
  'request_headers',
  'request_body',
  'response_headers',
  'response_body',
  'response_signature',
  'queue_time',
  'run_time',
  'created_at',
  'updated_at',
] as const;

/** Rows per INSERT (21 parameters each; Postgres takes at most 65,535). */
const INSERT_CHUNK = 200;

/** Runs one parameterised statement (a TypeORM DataSource's or a pg client's `query`). */
export type RunQuery = (sql: string, values: unknown[]) => Promise<unknown>;

/**
 * Writes request log rows as multi-row INSERTs; a request logged twice (a retried
 * batch) keeps its first row. Each value is its own parameter, so a response body
 * still in its bytes goes to Postgres as they are (binary text), never escaped into
 * a JSON string first. Shared by the repository (queued jobs) and the writer thread.
 */
export async function insertRequestLogRows(
  query: RunQuery,
  rows: readonly RequestLogRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const values: unknown[] = [];
    const tuples = chunk.map((r) => {
      const at = values.length;
      values.push(
        r.id,
        r.accountId,
        r.environmentId,
        r.requestorType,
        r.requestorId,
        r.resourceType,
        r.resourceId,
        r.method,
        r.url,
        r.status,
        r.userAgent,
        r.ip,
        r.requestHeaders === null ? null : JSON.stringify(r.requestHeaders),
        r.requestBody,
        r.responseHeaders === null ? null : JSON.stringify(r.responseHeaders),
        r.responseBody,
        r.responseSignature,
        r.queueTime,
        r.runTime,
        r.createdAt,
        r.updatedAt,
      );
      return `(${INSERT_COLUMNS.map((_, k) => `$${at + k + 1}`).join(', ')})`;
    });
    await query(
      `INSERT INTO request_logs (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
         ON CONFLICT (id) DO NOTHING`,
      values,
    );
  }
}

/** Turns queued entries into rows; a malformed entry is reported and skipped. */
export function requestLogRows(
  entries: readonly RequestLogEntry[],
  now: Date,
  dropped: (id: string, reason: unknown) => void,
): RequestLogRow[] {
  const rows: RequestLogRow[] = [];
  for (const e of entries) {
    try {
      rows.push(toRow(e, now));
    } catch (err) {
      // One malformed entry must not cost the rest of the batch.
      dropped(e.id, err);
    }
  }
  return rows;
}

/**
 * Writes the batch; if Postgres refuses it, row by row, so one row it cannot store
 * costs that row only (reported) instead of the batch. A failure of every row (the
 * database is down) is thrown for the caller to retry.
 */
export async function writeAllOrEach<T extends { id: string }>(
  rows: T[],
  write: (batch: T[]) => Promise<void>,
  dropped: (id: string, reason: unknown) => void,
): Promise<void> {
  try {
    await write(rows);
    return;
  } catch (e) {
    if (rows.length <= 1) {
      throw e;
    }
  }
  let written = 0;
  let last: unknown;
  for (const row of rows) {
    try {
      await write([row]);
      written++;
    } catch (e) {
      last = e;
      dropped(row.id, e);
    }
  }
  if (written === 0) {
    throw last;
  }
}
