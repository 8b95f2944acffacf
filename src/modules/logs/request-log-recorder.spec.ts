import { MovableClock } from '@app/common/clock/clock';
import { DomainEvents } from '@app/common/events/domain-events';
import type { KeywardRequest } from '@app/common/http/http-state';
import type { EnqueueOptions, JobQueue, QueueName } from '@app/common/jobs/queues';
import { loadConfig } from '@app/config/app.config';
import { toRow, type RequestLogEntry } from './request-log-entry';
import { RequestLogRecorder } from './request-log-recorder';

const ACCOUNT = '7fb2e7ed-718e-4b2f-abc5-580143e96c9c';
const KEY = 'C1B6DE-39A6E3-DE1A5C-E8C6B6-5E0B8A-V3';

class FakeJobs {
  readonly jobs: Array<{
    queue: QueueName;
    name: string;
    payload: Record<string, unknown>;
    opts?: EnqueueOptions;
  }> = [];
  enqueue(
    queue: QueueName,
    name: string,
    payload: Record<string, unknown>,
    opts?: EnqueueOptions,
  ): Promise<void> {
    this.jobs.push({ queue, name, payload, opts });
    return Promise.resolve();
  }
}

function request(
  over: { route?: string; headers?: Record<string, string>; body?: unknown; origin?: string } = {},
): KeywardRequest {
  const headers: Record<string, string> = {
    accept: 'application/vnd.api+json',
    host: 'api.test',
    ...over.headers,
  };
  return {
    headers,
    body: over.body ?? {},
    ip: '10.0.0.1',
    keyward: {
      requestId: '01a20243-d295-72ec-8f9d-3396e3c1e7bf',
      startedAt: Date.now() - 5,
      originalUrl: `/v1/accounts/${ACCOUNT}/licenses/actions/validate-key`,
      method: 'POST',
      apiVersion: '1.8',
      signatureAlgorithm: 'ed25519',
      authScheme: 'License',
      route: over.route ?? '/v1/accounts/:account/licenses/actions/validate-key',
      account: { account: { id: ACCOUNT } },
    },
  } as unknown as KeywardRequest;
}

function recorder(env: Record<string, string> = {}) {
  const jobs = new FakeJobs();
  const config = loadConfig({ KEYGEN_MODE: 'multiplayer', ...env });
  const rec = new RequestLogRecorder(
    config,
    jobs as unknown as JobQueue,
    new MovableClock(),
    new DomainEvents(),
  );
  const entries = async (): Promise<RequestLogEntry[]> => {
    await rec.flush();
    return jobs.jobs.flatMap((j) => j.payload.entries as RequestLogEntry[]);
  };
  return { rec, jobs, entries };
}

const body = Buffer.from(JSON.stringify({ data: null, meta: { valid: false, code: 'NOT_FOUND' } }));
/** The response headers the finalizer hands over with the body. */
const headers = { 'Content-Type': 'application/vnd.api+json; charset=utf-8' };

describe('RequestLogRecorder', () => {
  it('never keeps the Authorization header (License keys, tokens, Basic credentials)', async () => {
    const { rec, entries } = recorder();
    rec.record(
      request({ headers: { authorization: `License ${KEY}` }, body: { meta: { key: KEY } } }),
      200,
      body,
      headers,
    );
    const [entry] = await entries();
    expect(entry.requestHeaders).toEqual({ Accept: 'application/vnd.api+json', Host: 'api.test' });
    const row = toRow(entry, new Date());
    expect(JSON.stringify(row)).not.toContain(KEY);
    expect(row.requestBody).toBe('{"meta":{"key":"C1B6...A-V3"}}');
  });

  it('queues one job per batch on the logs queue, not one per request', async () => {
    const { rec, jobs } = recorder();
    for (let i = 0; i < 5; i++) {
      rec.record(request(), 200, body, headers);
    }
    expect(jobs.jobs).toHaveLength(0);
    await rec.flush();
    expect(jobs.jobs).toHaveLength(1);
    expect(jobs.jobs[0]).toMatchObject({
      queue: 'logs',
      name: 'write-request-logs',
      opts: { attempts: 3 },
    });
    expect(jobs.jobs[0].payload.entries).toHaveLength(5);
  });

  it.each([
    '/v1/accounts/:account',
    '/v1/accounts/:account/settings/:id',
    '/v1/accounts/:account/request-logs',
    '/v1/accounts/:account/event-logs/:id',
    '/v1/accounts/:account/webhook-endpoints',
    '/v1/accounts/:account/webhook-events/:id/actions/retry',
    '/v1/accounts/:account/search',
    '/v1/accounts',
  ])('skips %s', async (route) => {
    const { rec, entries } = recorder();
    rec.record(request({ route }), 200, body, headers);
    expect(await entries()).toEqual([]);
  });

  it('skips ignored origins, and everything when disabled', async () => {
    const a = recorder({ REQUEST_LOG_IGNORED_ORIGINS: 'https://app.example.com' });
    a.rec.record(request({ headers: { origin: 'https://app.example.com' } }), 200, body, headers);
    a.rec.record(request({ headers: { origin: 'https://other.example.com' } }), 200, body, headers);
    expect(await a.entries()).toHaveLength(1);
    const b = recorder({ REQUEST_LOGS_ENABLED: 'false' });
    b.rec.record(request(), 200, body, headers);
    expect(await b.entries()).toEqual([]);
    b.rec.setRecording(true);
    b.rec.record(request(), 200, body, headers);
    expect(await b.entries()).toHaveLength(1);
  });

  it('drops a request body over the cap without reading it', async () => {
    const { rec, entries } = recorder({ REQUEST_LOG_MAX_BODY_BYTES: '16' });
    const req = request({ body: { meta: { key: KEY } } });
    req.keyward.rawBody = Buffer.alloc(17);
    rec.record(req, 200, body, headers);
    const [entry] = await entries();
    expect(entry.requestBody).toBeNull();
    expect(entry.responseText).toBeNull();
  });
});
