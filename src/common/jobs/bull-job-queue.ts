import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobQueue, type EnqueueOptions, type JobHandler, type QueueHealth, type QueueName } from './queues';

/** Bull on Redis: jobs survive process restarts; any worker replica may take them. */
export class BullJobQueue extends JobQueue {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly queues: Map<QueueName, Queue>,
    private readonly runsJobs: boolean,
  ) {
    super();
  }

  async enqueue(queue: QueueName, name: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<void> {
    await this.queue(queue).add(name, payload, {
      jobId: opts.jobId,
      delay: opts.delayMs,
      attempts: opts.attempts ?? 1,
      backoff: opts.backoffMs ? { type: 'exponential', delay: opts.backoffMs } : undefined,
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  process(queue: QueueName, name: string, handler: JobHandler): void {
    if (!this.runsJobs) {
      return;
    }
    void this.queue(queue).process(name, 4, async (job) => {
      await handler(job.data as Record<string, unknown>, { attempt: job.attemptsMade + 1, jobId: String(job.id) });
    });
    this.logger.log(`processing ${queue}:${name}`);
  }

  async drain(): Promise<void> {
    for (const q of this.queues.values()) {
      for (;;) {
        const counts = await q.getJobCounts();
        if (counts.waiting + counts.active + counts.delayed === 0) {
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  /** Workers registered on Redis by any replica; latency from the oldest waiting job. */
  async health(name: QueueName): Promise<QueueHealth> {
    const q = this.queue(name);
    const [workers, oldest] = await Promise.all([q.getWorkers(), q.getWaiting(0, 0)]);
    const since = oldest[0]?.timestamp;
    return { workers: workers.length, latencyMs: since === undefined ? 0 : Math.max(0, Date.now() - since) };
  }

  private queue(name: QueueName): Queue {
    const q = this.queues.get(name);
    if (!q) {
      throw new Error(`unknown queue ${name}`);
    }
    return q;
  }
}
