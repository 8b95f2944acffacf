/**
 * The request-log writer thread (see RequestLogThread): receives captured batches,
 * turns them into rows and inserts them on a connection of its own, then answers
 * each batch. Framework-free: only the row builder, the insert and pg.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { toEntry, type CapturedRequest } from './request-log-entry';
import { insertRequestLogRows, requestLogRows, writeAllOrEach } from './request-log-insert';
import type { ThreadBatch, ThreadReply, ThreadStart } from './request-log-thread';

const start = workerData as ThreadStart;
/** Attempts per batch before it is reported failed (as the queued job's). */
const ATTEMPTS = 3;
const BACKOFF_MS = 1000;

let client: Client | null = null;

async function connection(): Promise<Client> {
  if (client === null) {
    const c = new Client({ connectionString: start.url, statement_timeout: 15_000 });
    c.on('error', () => {
      // A broken connection is replaced on the next batch.
      if (client === c) {
        client = null;
      }
    });
    await c.connect();
    client = c;
  }
  return client;
}

function captures(batch: ThreadBatch): CapturedRequest[] {
  const bodies = Buffer.from(batch.bodies);
  return batch.captures.map(({ bodyOffset, bodyLength, ...c }) => ({
    ...c,
    responseBytes: bodies.subarray(bodyOffset, bodyOffset + bodyLength),
  }));
}

async function write(batch: ThreadBatch): Promise<string[]> {
  const problems: string[] = [];
  const dropped = (id: string, reason: unknown): void => {
    problems.push(`dropped request log ${id}: ${String(reason)}`);
  };
  const entries = captures(batch).map((c) => toEntry(c, start.maxBodyBytes, true));
  const rows = requestLogRows(entries, new Date(Date.now() + batch.clockOffset), dropped);
  for (let attempt = 1; ; attempt++) {
    try {
      const c = await connection();
      await writeAllOrEach(
        rows,
        (chunk) => insertRequestLogRows((sql, values) => c.query(sql, values), chunk),
        dropped,
      );
      return problems;
    } catch (e) {
      if (attempt >= ATTEMPTS) {
        throw e;
      }
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * attempt));
    }
  }
}

/** Batches are written one after another: one connection, one statement at a time. */
let queue: Promise<void> = Promise.resolve();

const port = parentPort;
if (port) {
  port.on('message', (message: ThreadBatch | { close: true }) => {
    queue = queue.then(async () => {
      if ('close' in message) {
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
        port.postMessage({ closed: true });
        return;
      }
      try {
        const problems = await write(message);
        port.postMessage({ seq: message.seq, problems } satisfies ThreadReply);
      } catch (e) {
        port.postMessage({ seq: message.seq, problems: [], error: String(e) } satisfies ThreadReply);
      }
    });
  });
}
