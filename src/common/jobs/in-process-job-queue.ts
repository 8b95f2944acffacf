import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JobQueue, type EnqueueOptions, type JobHandler, type QueueHealth, type QueueName } from './queues';

interface PendingJob {
  key: string;
  queue: QueueName;
  name: string;
  payload: Record<string, unknown>;
  attempt: number;
  opts: EnqueueOptions;
}

/**
 * Runs jobs in this process (no Redis). Jobs start on the next tick, never on the
 * request path; failed jobs retry with exponential backoff like Bull does.
 */
export class InProcessJobQueue extends JobQueue {
  override readonly local = true;
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, JobHandler>();
  private readonly seen = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Jobs ready to run but not started yet, with when they became ready. */
  private readonly ready = new Map<PendingJob, number>();
  private closed = false;

  enqueue(queue: QueueName, name: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<void> {
    const key = opts.jobId ?? randomUUID();
    if (opts.jobId) {
      if (this.seen.has(opts.jobId)) {
        return Promise.resolve();
      }
      this.seen.add(opts.jobId);
      if (this.seen.size > 100_000) {
        this.seen.clear();
      }
    }
    this.schedule({ key, queue, name, payload, attempt: 1, opts }, opts.delayMs ?? 0);
    return Promise.resolve();
  }

  process(queue: QueueName, name: string, handler: JobHandler): void {
    this.handlers.set(`${queue}:${name}`, handler);
  }

  /** Waits for running jobs and for retries already scheduled. */
  async drain(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      if (this.running.size > 0) {
        await Promise.allSettled([...this.running]);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t);
    }
    await this.drain();
  }

  /** This process runs the jobs it is given (until closed); latency is the oldest ready job's wait. */
  health(queue: QueueName): Promise<QueueHealth> {
    const now = Date.now();
    let oldest = now;
    for (const [job, since] of this.ready) {
      if (job.queue === queue && since < oldest) {
        oldest = since;
      }
    }
    return Promise.resolve({ workers: this.closed ? 0 : 1, latencyMs: now - oldest });
  }

  private schedule(job: PendingJob, delayMs: number): void {
    if (this.closed) {
      return;
    }
    if (delayMs <= 0) {
      this.ready.set(job, Date.now());
      this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run(job)));
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.track(this.run(job));
    }, delayMs);
    t.unref();
    this.timers.add(t);
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async run(job: PendingJob): Promise<void> {
    this.ready.delete(job);
    const handler = this.handlers.get(`${job.queue}:${job.name}`);
    if (!handler) {
      this.logger.warn(`no handler for job ${job.queue}:${job.name}; dropped`);
      return;
    }
    try {
      await handler(job.payload, { attempt: job.attempt, jobId: job.key });
    } catch (e) {
      const attempts = job.opts.attempts ?? 1;
      if (job.attempt < attempts) {
        const delay = (job.opts.backoffMs ?? 1000) * 2 ** (job.attempt - 1);
        this.schedule({ ...job, attempt: job.attempt + 1 }, delay);
      } else {
        this.logger.error(`job ${job.queue}:${job.name} failed after ${job.attempt} attempt(s): ${String(e)}`);
      }
    }
  }
}
