import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Bull from 'bull';
import { BullJobQueue } from '@app/common/jobs/bull-job-queue';
import { QUEUES, type QueueName } from '@app/common/jobs/queues';
import { WebhookEvent } from '@app/modules/webhooks/webhook-event.entity';
import { deliveryJobId } from '@app/modules/webhooks/webhook-delivery.service';
import { bootApp, TEST_ENCRYPTION_KEY, type TestApp } from '../../support/app';
import { given, givenWebhooks } from '../../support/factories';
import { Receiver } from '../../e2e/webhooks/support';

const redisUrl = process.env.REDIS_URL;
const ROOT = join(__dirname, '..', '..', '..');

interface Worker {
  child: ChildProcess;
  /** Starts consuming; resolves once the consumers are registered. */
  go: () => Promise<void>;
}

/** Boots a worker process (not consuming yet); resolves once it is built. */
function bootWorker(prefix: string): Promise<Worker> {
  const child = fork(join(__dirname, 'support', 'delivery-worker.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: {
      ...process.env,
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      WORKER_PREFIX: prefix,
      WORKER_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = (expected: string) =>
    new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`worker exited early (${String(code)})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        if (m === expected) {
          resolve();
        } else {
          reject(new Error(`worker said ${String(m)}`));
        }
      });
    });
  return next('compiled').then(() => ({
    child,
    go: () => {
      const ready = next('ready');
      child.send('go');
      return ready;
    },
  }));
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function until<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) {
      return v;
    }
    if (Date.now() > deadline) {
      throw new Error('timed out waiting');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Spec 05 §4 / issue #5 "no loss": a worker process killed in the middle of a
 * delivery (request sent, no response yet) leaves a stalled Bull job; a worker
 * started afterwards recovers it and the event ends DELIVERED, same event and token.
 */
(redisUrl ? describe : describe.skip)(
  'webhook delivery survives a killed worker (Bull on Redis)',
  () => {
    let t: TestApp;
    let rx: Receiver;
    let producer: BullJobQueue;
    const workers: ChildProcess[] = [];
    const prefix = `keyward-webhooks-${process.pid}-${Date.now()}`;

    beforeAll(async () => {
      t = await bootApp();
      rx = await new Receiver().start();
      const names = Object.values(QUEUES) as QueueName[];
      producer = new BullJobQueue(
        new Map(names.map((n) => [n, new Bull(n, redisUrl!, { prefix })])),
        false,
      );
    });
    afterAll(async () => {
      await Promise.all(workers.map(killed));
      await producer.close();
      await rx.stop();
      await t.close();
    });

    it('completes the delivery after a restart', async () => {
      const a = await given(t).account();
      const w = givenWebhooks(t);
      const endpoint = await w.endpoint(a.account, { url: rx.url('/hooks') });
      const event = await w.event(a.account, { endpoint, event: 'license.created' });
      rx.replies = ['hang'];

      await producer.enqueue(
        QUEUES.webhooks,
        'deliver-webhook',
        { accountId: a.id, eventId: event.id, attempt: 0 },
        { jobId: deliveryJobId(event.id, 0), attempts: 5, backoffMs: 1000 },
      );
      // Both workers boot up front (building the app takes a while); only one consumes.
      const [first, spare] = await Promise.all([bootWorker(prefix), bootWorker(prefix)]);
      workers.push(first.child, spare.child);
      await first.go();
      await rx.waitFor(1);
      await killed(first.child);
      const inFlight = await t.ds.getRepository(WebhookEvent).findOneByOrFail({ id: event.id });
      expect(inFlight.status).toBe('DELIVERING');

      await spare.go();
      const delivered = await until(async () => {
        const row = await t.ds.getRepository(WebhookEvent).findOneByOrFail({ id: event.id });
        return row.status === 'DELIVERED' ? row : null;
      }, 60_000);

      expect(rx.requests).toHaveLength(2);
      const [dead, recovered] = rx.requests.map((r) => JSON.parse(r.body.toString('utf8')));
      expect(recovered.data.id).toBe(event.id);
      expect(recovered.data.meta.idempotencyToken).toBe(dead.data.meta.idempotencyToken);
      expect(delivered).toMatchObject({
        lastResponseCode: 200,
        lastResponseBody: 'ok',
        attempts: 1,
      });
    }, 300_000);
  },
);
