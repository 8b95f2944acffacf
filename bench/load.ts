/**
 * Load generator, run in a child process (`fork`) so autocannon does not share the
 * server's event loop. Receives one LoadJob over IPC, answers with one LoadResult.
 * Latency percentiles come from every 2xx response time (float ms), not from
 * autocannon's integer-millisecond histogram.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  origin: string;
  method: string;
  path: string;
  randomMax?: number;
  headers?: Record<string, string>;
  body?: string;
  /**
   * A second request sent after each first one (a pair, e.g. activate then deactivate);
   * `{id}` in its path is the `data.id` of the first response.
   */
  then?: { method: string; path: string; headers?: Record<string, string> };
  connections: number;
  durationS: number;
}

export interface LoadResult {
  requestsPerSec: number;
  total: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latencyMs: { mean: number; p50: number; p99: number; max: number };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const origin = new URL(job.origin);
  // Only ever load the local server.
  if (origin.hostname !== '127.0.0.1') {
    throw new Error(`refusing to load ${origin.hostname}: the benchmark only targets 127.0.0.1`);
  }
  const latencies: number[] = [];
  const randomMax = job.randomMax;
  const options: autocannon.Options = {
    url: origin.origin,
    connections: job.connections,
    pipelining: 1,
    duration: job.durationS,
    timeout: 10,
    requests: [
      {
        ...(job.then
          ? {
              onResponse: (_status: number, body: string, context: object) => {
                const ctx = context as { id?: string };
                try {
                  ctx.id = (JSON.parse(body) as { data?: { id?: string } }).data?.id ?? 'none';
                } catch {
                  ctx.id = 'none';
                }
              },
            }
          : {}),
        method: job.method as autocannon.Request['method'],
        path: job.path,
        headers: job.headers,
        body: job.body,
        // autocannon calls setupRequest whenever the key is present, so only set it when used.
        ...(randomMax === undefined
          ? {}
          : {
              setupRequest: (req: autocannon.Request) => {
                const n = String(1 + Math.floor(Math.random() * randomMax));
                return {
                  ...req,
                  path: job.path.replace('{random}', n),
                  ...(job.body === undefined ? {} : { body: job.body.replace(/\{random\}/g, n) }),
                };
              },
            }),
      },
      ...(job.then
        ? [
            {
              method: job.then.method as autocannon.Request['method'],
              path: job.then.path,
              headers: job.then.headers ?? job.headers,
              setupRequest: (req: autocannon.Request, context: object) => ({
                ...req,
                path: job.then!.path.replace('{id}', (context as { id?: string }).id ?? 'none'),
              }),
            },
          ]
        : []),
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, res: autocannon.Result) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res),
    );
    instance.on(
      'response',
      (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        if (statusCode >= 200 && statusCode < 300) {
          latencies.push(responseTime);
        }
      },
    );
  });
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = (stat as { count?: number }).count ?? 0;
  }
  return {
    requestsPerSec: result.requests.average,
    total: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latencyMs: {
      mean: sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : Number.NaN,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    },
  };
}

if (require.main === module) {
  process.once('message', (job: LoadJob) => {
    runLoad(job).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
}
