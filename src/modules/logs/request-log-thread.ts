import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CapturedRequest } from './request-log-entry';

/** What the writer thread starts with. */
export interface ThreadStart {
  url: string;
  maxBodyBytes: number;
}

/** A capture as posted: its response bytes are a slice of the batch's one buffer. */
export type ThreadCapture = Omit<CapturedRequest, 'responseBytes'> & {
  bodyOffset: number;
  bodyLength: number;
};

export interface ThreadBatch {
  seq: number;
  captures: ThreadCapture[];
  /** Every response body of the batch, back to back (transferred, not copied). */
  bodies: ArrayBuffer;
  /** App clock minus wall clock (ms): the rows' `updated` follows the app clock. */
  clockOffset: number;
}

export interface ThreadReply {
  seq: number;
  /** Rows dropped one by one (Postgres refused them), for the main thread's log. */
  problems: string[];
  /** Set when the batch could not be written after its attempts. */
  error?: string;
}

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
}

/** The compiled worker, or the TypeScript one through ts-node (tests, `true`). */
function workerScript(mode: 'auto' | 'on'): { file: string; execArgv: string[] } | null {
  const js = join(__dirname, 'request-log-writer.worker.js');
  if (existsSync(js)) {
    return { file: js, execArgv: [] };
  }
  const ts = join(__dirname, 'request-log-writer.worker.ts');
  if (mode === 'on' && existsSync(ts)) {
    return {
      file: ts,
      execArgv: [
        '--require',
        'ts-node/register/transpile-only',
        '--require',
        'tsconfig-paths/register',
      ],
    };
  }
  return null;
}

/**
 * Request logs written from a worker thread: the event loop hands each batch over in
 * one message (the bodies copied once into a transferred buffer) and the thread builds
 * the rows (redaction, resource resolution) and inserts them on its own connection.
 * With in-process jobs this is the same durability as the queue (both live in this
 * process) for none of the main thread's time. A crashed thread is restarted for the
 * next batch.
 */
export class RequestLogThread {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  /** Batches posted and not yet answered (close waits for them). */
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly script: { file: string; execArgv: string[] },
    private readonly start: ThreadStart,
    private readonly report: (message: string) => void,
  ) {}

  /** Null when no runnable worker script exists (TypeScript sources in `auto` mode). */
  static create(
    mode: 'auto' | 'on',
    start: ThreadStart,
    report: (message: string) => void,
  ): RequestLogThread | null {
    const script = workerScript(mode);
    return script ? new RequestLogThread(script, start, report) : null;
  }

  /** Resolves once the batch is written; rejects if it could not be. */
  write(batch: readonly CapturedRequest[], clockOffset: number): Promise<void> {
    let size = 0;
    for (const c of batch) {
      size += c.responseBytes.length;
    }
    // Its own allocation (never the shared pool), so it can be transferred.
    const bodies = new Uint8Array(new ArrayBuffer(size));
    const captures: ThreadCapture[] = [];
    let offset = 0;
    for (const c of batch) {
      const { responseBytes, ...rest } = c;
      bodies.set(responseBytes, offset);
      captures.push({ ...rest, bodyOffset: offset, bodyLength: responseBytes.length });
      offset += responseBytes.length;
    }
    const seq = ++this.seq;
    const message: ThreadBatch = { seq, captures, bodies: bodies.buffer, clockOffset };
    const written = new Promise<void>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.thread().postMessage(message, [bodies.buffer]);
    });
    this.inFlight.add(written);
    const settled = (): void => void this.inFlight.delete(written);
    written.then(settled, settled);
    return written;
  }

  /** Waits for the batches in flight, then closes the thread's connection and the thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) {
      return;
    }
    await Promise.allSettled([...this.inFlight]);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      worker.once('message', () => (clearTimeout(timer), resolve()));
      worker.postMessage({ close: true });
    });
    this.worker = null;
    await worker.terminate();
  }

  private thread(): Worker {
    if (this.worker) {
      return this.worker;
    }
    const worker = new Worker(this.script.file, {
      workerData: this.start,
      execArgv: this.script.execArgv,
    });
    worker.unref();
    worker.on('message', (reply: ThreadReply | { closed: true }) => {
      if ('closed' in reply) {
        return;
      }
      for (const problem of reply.problems) {
        this.report(problem);
      }
      const p = this.pending.get(reply.seq);
      this.pending.delete(reply.seq);
      if (reply.error === undefined) {
        p?.resolve();
      } else {
        p?.reject(new Error(reply.error));
      }
    });
    const fail = (e: Error): void => {
      if (this.worker === worker) {
        this.worker = null;
      }
      for (const p of this.pending.values()) {
        p.reject(e);
      }
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`request log thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
