import { SchedulerRegistry } from '@nestjs/schedule';
import Bull from 'bull';
import { MovableClock } from '@app/common/clock/clock';
import { ScheduleRunner } from '@app/common/jobs/schedule-runner';
import { loadConfig } from '@app/config/app.config';
import { BullJobQueue } from '@app/common/jobs/bull-job-queue';
import { InProcessJobQueue } from '@app/common/jobs/in-process-job-queue';
import { QUEUES, type JobQueue, type QueueName } from '@app/common/jobs/queues';

/**
 * One contract, two implementations: in-process (no Redis) and Bull on a real
 * Redis (REDIS_URL; CI always sets it). Two queue instances stand for two replicas.
 */
const redisUrl = process.env.REDIS_URL;
const opened: JobQueue[] = [];
let prefix = '';

/** Each test gets its own Redis key prefix: Bull hands every job of a queue to any consumer of it. */
beforeEach(() => {
  prefix = `keyward-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
});

function bullQueue(runsJobs: boolean): JobQueue {
  const names = Object.values(QUEUES) as QueueName[];
  const q = new BullJobQueue(
    new Map(names.map((n) => [n, new Bull(n, redisUrl!, { prefix })])),
    runsJobs,
  );
  opened.push(q);
  return q;
}

const inProcess: JobQueue[] = [];
const implementations: Array<[string, (runsJobs: boolean) => JobQueue]> = [
  ['in-process', () => {
    const q = new InProcessJobQueue();
    inProcess.push(q);
    return q;
  }],
];
if (redisUrl) {
  implementations.push(['bull on redis', bullQueue]);
} else {
  process.stdout.write('REDIS_URL is unset: the Bull queue contract runs only where Redis is available (CI sets it)\n');
}

afterAll(async () => {
  await Promise.all([...opened, ...inProcess].map((q) => q.close()));
});

describe.each(implementations)('job queue contract: %s', (_name, make) => {
  it('runs a job with a deterministic id once, even when two replicas enqueue it', async () => {
    const a = make(true);
    // In-process there is a single queue per process, so the second replica is the same queue.
    const b = _name === 'in-process' ? a : make(false);
    const seen: string[] = [];
    const job = `dedupe-${_name}`;
    a.process(QUEUES.default, job, async (payload) => {
      seen.push(String(payload.tick));
    });
    await a.enqueue(QUEUES.default, job, { tick: 't1' }, { jobId: `${job}:t1` });
    await b.enqueue(QUEUES.default, job, { tick: 't1' }, { jobId: `${job}:t1` });
    await a.enqueue(QUEUES.default, job, { tick: 't2' }, { jobId: `${job}:t2` });
    await a.drain();
    expect(seen.sort()).toEqual(['t1', 't2']);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const q = make(true);
    const attempts: number[] = [];
    const job = `retry-${_name}`;
    q.process(QUEUES.default, job, async (_payload, meta) => {
      attempts.push(meta.attempt);
      if (attempts.length < 3) {
        throw new Error('receiver down');
      }
    });
    await q.enqueue(QUEUES.default, job, {}, { attempts: 5, backoffMs: 10 });
    await q.drain();
    expect(attempts).toEqual([1, 2, 3]);
  });
});

describe.each(implementations)('queue health (GET /v1/health/webhooks): %s', (name, make) => {
  it('counts the workers taking the queue and the wait of its oldest ready job', async () => {
    const job = `health-${name}`;
    if (name === 'in-process') {
      const q = make(true);
      q.process(QUEUES.webhooks, job, async () => undefined);
      expect(await q.health(QUEUES.webhooks)).toEqual({ workers: 1, latencyMs: 0 });
      await q.enqueue(QUEUES.webhooks, job, {});
      await q.drain();
      expect(await q.health(QUEUES.webhooks)).toEqual({ workers: 1, latencyMs: 0 });
      await q.close();
      expect((await q.health(QUEUES.webhooks)).workers).toBe(0);
      return;
    }
    // No replica takes jobs yet: no workers, and a waiting job ages.
    const producer = make(false);
    expect(await producer.health(QUEUES.webhooks)).toEqual({ workers: 0, latencyMs: 0 });
    await producer.enqueue(QUEUES.webhooks, job, {});
    await new Promise((resolve) => setTimeout(resolve, 60));
    const waiting = await producer.health(QUEUES.webhooks);
    expect(waiting.workers).toBe(0);
    expect(waiting.latencyMs).toBeGreaterThanOrEqual(50);

    // A worker replica starts: the producer sees it, and the queue empties.
    const worker = make(true);
    const done: string[] = [];
    worker.process(QUEUES.webhooks, job, async () => {
      done.push(job);
    });
    await worker.drain();
    expect(done).toEqual([job]);
    const after = await producer.health(QUEUES.webhooks);
    expect(after.workers).toBeGreaterThanOrEqual(1);
    expect(after.latencyMs).toBe(0);
  });
});

if (redisUrl) {
  describe('bull on redis: durability', () => {
    it('keeps a job enqueued while no worker runs and completes it after a worker starts', async () => {
      const producer = bullQueue(false);
      const job = 'survives-restart';
      await producer.enqueue(QUEUES.default, job, { id: 'x1' });
      await producer.close();

      const worker = bullQueue(true);
      const done: string[] = [];
      worker.process(QUEUES.default, job, async (payload) => {
        done.push(String(payload.id));
      });
      await worker.drain();
      expect(done).toEqual(['x1']);
    });
  });
}

describe.each(implementations)('schedules: %s', (_name, make) => {
  it('enqueues one job per tick across replicas and a new one for the next tick', async () => {
    const config = loadConfig({ ENCRYPTION_PRIMARY_KEY: 'x', KEYWARD_RUN_JOBS: 'false' });
    const queueA = make(true);
    const queueB = _name === 'in-process' ? queueA : make(false);
    const clock = new MovableClock();
    const row = { name: `sweep-${_name}`, cron: '0 */2 * * * *', queue: QUEUES.schedules, job: 'sweep' };
    const runners = [queueA, queueB].map((q) => {
      const r = new ScheduleRunner(config, q, clock, new SchedulerRegistry());
      r.register(row);
      return r;
    });
    const ticks: string[] = [];
    queueA.process(QUEUES.schedules, 'sweep', async (payload) => {
      ticks.push(String(payload.tick));
    });
    const at = new Date('2026-11-22T10:02:00.000Z');
    const ids = await Promise.all(runners.map((r) => r.trigger(row.name, at)));
    expect(ids[0]).toBe(ids[1]);
    await runners[0].trigger(row.name, new Date('2026-11-22T10:04:00.000Z'));
    await queueA.drain();
    expect(ticks.sort()).toEqual(['2026-11-22T10:02:00.000Z', '2026-11-22T10:04:00.000Z']);
  });
});
