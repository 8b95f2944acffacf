/**
 * `npm run bench`: boots the real app next to two baseline routes and loads each
 * route with autocannon (from a child process, 127.0.0.1 only), then prints a
 * table and writes bench/results/latest.json. BENCH_DURATION (s per route),
 * BENCH_CONNECTIONS and BENCH_WARMUP (s) tune it; BENCH_ONLY (a regex on route names)
 * narrows the run (e.g. for profiling one route); BENCH_ROUNDS (default 3) repeats the
 * routes interleaved and reports medians; BENCH_PROFILE=<dir> writes a V8 CPU profile
 * of the server for each measured window (<dir>/<route>-r<round>.cpuprofile, open it in
 * Chrome DevTools); DATABASE_URL picks the server.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { closeApp, createApp } from '@app/bootstrap';
import { loadConfig } from '@app/config/app.config';
import { DataSource } from 'typeorm';
import { JobQueue } from '@app/common/jobs/queues';
import { AccountsCache } from '@app/modules/accounts/accounts.cache';
import { RequestLogRecorder } from '@app/modules/logs/request-log-recorder';
import { BenchModule } from './bench.module';
import { createFixtures, prepareDatabase } from './fixtures';
import type { LoadJob, LoadResult } from './load';
import { benchRoutes, type BenchRoute } from './routes';
import { measureSigning, type SigningCost } from './signing';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'bench', 'results', 'latest.json');

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw.trim() === '' ? fallback : Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${name} must be a positive integer (got ${raw})`);
  }
  return n;
}

const log = (m: string): void => console.log(`[bench] ${m}`);

/** Runs one load in a child process; killed if it overruns its duration by 30 s. */
function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error(`load on ${job.path} did not finish in time`));
      },
      (job.durationS + 30) * 1000,
    );
    let result: LoadResult | undefined;
    child.once('message', (m) => {
      result = m as LoadResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (result) {
        resolve(result);
      } else {
        reject(new Error(`load child exited with ${code} and no result`));
      }
    });
    child.send(job);
  });
}

/**
 * Lets the previous load finish before the next step: its connections close, then
 * handlers still running for requests whose client already left get 1 s to end.
 */
async function settle(server: Server): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const open = await new Promise<number>((resolve) =>
      server.getConnections((_e, n) => resolve(n)),
    );
    if (open === 0 || Date.now() > deadline) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}

/**
 * Lets PostgreSQL's background work finish before the next window, so no route pays
 * for the rows the previous one wrote: a CHECKPOINT writes the dirty pages now (it
 * needs a superuser or pg_checkpoint, as on the embedded server; skipped otherwise),
 * then waits (up to 10 s) for autovacuum workers to finish.
 */
async function quiesceDatabase(ds: DataSource): Promise<void> {
  await ds.query('CHECKPOINT').catch(() => undefined);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [{ n }] = (await ds.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
    )) as Array<{ n: number }>;
    if (n === 0) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** CPU profiles of the server process, one per measured window (BENCH_PROFILE). */
class Profiler {
  private session?: Session;

  constructor(private readonly dir: string | undefined) {}

  async start(): Promise<void> {
    if (!this.dir) {
      return;
    }
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.start');
  }

  async stop(name: string): Promise<void> {
    if (!this.session || !this.dir) {
      return;
    }
    const { profile } = await this.session.post('Profiler.stop');
    this.session.disconnect();
    this.session = undefined;
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    log(`profile written to ${file}`);
  }
}

interface Row {
  route: BenchRoute;
  /** Median per-round ratios (set on the merged rows). */
  ratios?: { rpsVsBaseline1: number; rpsVsBaseline2: number; p99VsBaseline2: number };
  /** The path actually loaded (the fallback when the route answered 404). */
  path: string;
  note?: string;
  result: LoadResult;
  /** CPU time of the server process (all its threads) per 2xx response, in µs. */
  cpuUsPerReq: number;
}

const median = (xs: number[]): number => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) {
    return Number.NaN;
  }
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

/**
 * One row per route: the round with the median req/s as its figures, and the
 * median of the per-round ratios against that round's baselines.
 */
function medianRows(byRound: Row[][]): Row[] {
  return byRound[0].map((first, i) => {
    const perRound = byRound.map((rows) => {
      const r = rows[i];
      const b1 = rows.find((x) => x.route.baseline === 1)?.result;
      const b2 = rows.find((x) => x.route.baseline === 2)?.result;
      return {
        row: r,
        rpsVsBaseline1: b1 ? r.result.requestsPerSec / b1.requestsPerSec : Number.NaN,
        rpsVsBaseline2: b2 ? r.result.requestsPerSec / b2.requestsPerSec : Number.NaN,
        p99VsBaseline2: b2 ? r.result.latencyMs.p99 / b2.latencyMs.p99 : Number.NaN,
      };
    });
    const sorted = [...perRound].sort(
      (a, b) => a.row.result.requestsPerSec - b.row.result.requestsPerSec,
    );
    const mid = sorted[Math.floor((sorted.length - 1) / 2)].row;
    return {
      ...first,
      result: mid.result,
      cpuUsPerReq: median(perRound.map((x) => x.row.cpuUsPerReq)),
      ratios: {
        rpsVsBaseline1: median(perRound.map((x) => x.rpsVsBaseline1)),
        rpsVsBaseline2: median(perRound.map((x) => x.rpsVsBaseline2)),
        p99VsBaseline2: median(perRound.map((x) => x.p99VsBaseline2)),
      },
    };
  });
}

const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function printTable(rows: Row[]): Array<Record<string, unknown>> {
  const b1 = rows.find((r) => r.route.baseline === 1)?.result;
  const b2 = rows.find((r) => r.route.baseline === 2)?.result;
  const table = rows.map((r) => ({
    route: r.route.name,
    path: r.path,
    note: r.note,
    rps: r.result.requestsPerSec,
    p50Ms: r.result.latencyMs.p50,
    p99Ms: r.result.latencyMs.p99,
    meanMs: r.result.latencyMs.mean,
    rpsVsBaseline1:
      r.ratios?.rpsVsBaseline1 ?? (b1 ? r.result.requestsPerSec / b1.requestsPerSec : Number.NaN),
    rpsVsBaseline2:
      r.ratios?.rpsVsBaseline2 ?? (b2 ? r.result.requestsPerSec / b2.requestsPerSec : Number.NaN),
    p99VsBaseline2:
      r.ratios?.p99VsBaseline2 ?? (b2 ? r.result.latencyMs.p99 / b2.latencyMs.p99 : Number.NaN),
    cpuUsPerReq: r.cpuUsPerReq,
    non2xx: r.result.non2xx,
    errors: r.result.errors,
  }));
  const header = [
    'route',
    'req/s',
    'p50 ms',
    'p99 ms',
    'req/s ÷ b1',
    'req/s ÷ b2',
    'p99 ÷ b2',
    'cpu µs/req',
  ];
  const lines = table.map((t) => [
    t.route + (t.note ? ` (${t.note})` : ''),
    fmt(t.rps, 0),
    fmt(t.p50Ms),
    fmt(t.p99Ms),
    fmt(t.rpsVsBaseline1),
    fmt(t.rpsVsBaseline2),
    fmt(t.p99VsBaseline2),
    fmt(t.cpuUsPerReq, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const l of lines) {
    console.log(line(l));
  }
  for (const t of table) {
    if (t.non2xx > 0 || t.errors > 0) {
      console.log(
        `! ${t.route}: ${t.non2xx} non-2xx responses, ${t.errors} errors (latencies count 2xx only)`,
      );
    }
  }
  return table;
}

/**
 * A route and its "request logs off" twin swap places every other round, so neither
 * side of the comparison always runs first.
 */
function twinsInOrder<T extends { route: BenchRoute }>(planned: T[], round: number): T[] {
  const out = [...planned];
  if (round % 2 === 0) {
    for (let i = 0; i + 1 < out.length; i++) {
      if (out[i + 1].route.requestLogsOffFor === out[i].route.name) {
        [out[i], out[i + 1]] = [out[i + 1], out[i]];
        i++;
      }
    }
  }
  return out;
}

/**
 * Request logging on vs off for each route measured both ways (median rounds), e.g.
 * validate-key must stay within 10% (issue #5). Printed and returned for latest.json.
 */
function compareRequestLogs(rows: Row[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const off of rows.filter((r) => r.route.requestLogsOffFor !== undefined)) {
    const on = rows.find((r) => r.route.name === off.route.requestLogsOffFor);
    if (!on) {
      continue;
    }
    const ratio = on.result.requestsPerSec / off.result.requestsPerSec;
    out.push({
      route: on.route.name,
      rpsLogsOn: on.result.requestsPerSec,
      rpsLogsOff: off.result.requestsPerSec,
      ratio,
      p99MsLogsOn: on.result.latencyMs.p99,
      p99MsLogsOff: off.result.latencyMs.p99,
    });
    console.log(
      `request logs on ÷ off, ${on.route.name}: ${fmt(on.result.requestsPerSec, 0)} ÷ ` +
        `${fmt(off.result.requestsPerSec, 0)} req/s = ${fmt(ratio, 3)} (${fmt((ratio - 1) * 100, 1)}%)`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const durationS = intEnv('BENCH_DURATION', 10);
  const connections = intEnv('BENCH_CONNECTIONS', 50);
  const warmupS = intEnv('BENCH_WARMUP', 2);

  const db = await prepareDatabase(ROOT, log);
  const config = loadConfig({
    KEYGEN_MODE: 'multiplayer',
    ENCRYPTION_PRIMARY_KEY: 'bench-only-encryption-key',
    DATABASE_URL: db.url,
    DB_POOL_SIZE: process.env.DB_POOL_SIZE,
    LOG_LEVEL: 'error',
  });
  const app = await createApp(
    { config, databaseUrl: db.url, stop: db.stop },
    { logger: ['fatal', 'error'], extraModules: [BenchModule] },
  );
  try {
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as Server;
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const fixtures = await createFixtures(app);
    log(
      `server ${origin}; ${connections} connections, ${warmupS} s warm-up + ${durationS} s per route`,
    );

    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
    const rounds = intEnv('BENCH_ROUNDS', 3);
    let signingBody: Buffer | undefined;
    let signingPath = '';
    const planned: Array<{ route: BenchRoute; job: LoadJob; note?: string }> = [];
    for (const route of benchRoutes(fixtures).filter((r) => !only || only.test(r.name))) {
      let path = route.path;
      let note: string | undefined;
      const probePath = path.replace('{random}', '1');
      let probe = await fetch(origin + probePath, {
        method: route.method,
        headers: route.headers,
        body: route.body?.replace(/\{random\}/g, '1'),
      });
      if (probe.status === 404 && route.fallbackPath) {
        note = `${probe.status} on ${probePath}; measured ${route.fallbackPath}`;
        log(`${route.name}: ${note}`);
        path = route.fallbackPath;
        probe = await fetch(origin + path, {
          method: route.method,
          headers: route.headers,
          body: route.body,
        });
      }
      const body = Buffer.from(await probe.arrayBuffer());
      if (probe.status >= 300) {
        log(
          `${route.name}: probe answered ${probe.status}: ${body.toString('utf8').slice(0, 200)}`,
        );
      }
      if (route.signingReference) {
        signingBody = body;
        signingPath = path;
      }
      planned.push({
        route,
        note,
        job: {
          origin,
          method: route.method,
          path,
          randomMax: route.randomMax,
          headers: route.headers,
          body: route.body,
          then: route.then,
          connections,
          durationS: warmupS,
        },
      });
    }

    // Rounds interleave the routes so slow drifts of the machine hit every route
    // alike; the table reports each route's median round, and the ratios are the
    // medians of the per-round ratios (each against the same round's baselines).
    const recorder = app.get(RequestLogRecorder);
    const logsOn = recorder.recording;
    const profiler = new Profiler(process.env.BENCH_PROFILE || undefined);
    const byRound: Row[][] = [];
    const ds = app.get(DataSource);
    // The fixtures just wrote thousands of rows: analyse them and start from a checkpoint.
    await ds.query('VACUUM ANALYZE');
    await quiesceDatabase(ds);
    for (let round = 1; round <= rounds; round++) {
      const rows: Row[] = [];
      for (const { route, job, note } of twinsInOrder(planned, round)) {
        recorder.setRecording(route.requestLogsOffFor === undefined && logsOn);
        log(`round ${round}/${rounds} ${route.name}: warming up`);
        await load(job);
        await settle(server);
        log(`round ${round}/${rounds} ${route.name}: measuring ${job.path}`);
        await profiler.start();
        const cpuBefore = process.cpuUsage();
        const result = await load({ ...job, durationS });
        const cpu = process.cpuUsage(cpuBefore);
        await profiler.stop(`${route.name}-r${round}`);
        rows.push({
          route,
          path: job.path,
          note,
          result,
          cpuUsPerReq: (cpu.user + cpu.system) / Math.max(1, result.ok2xx),
        });
        await settle(server);
        // Write the request logs still buffered, so no route pays for another's.
        await recorder.flush();
        await app.get(JobQueue).drain();
        await quiesceDatabase(ds);
      }
      // Back in table order: medianRows lines the rounds up by position.
      byRound.push(planned.map((p) => rows.find((r) => r.route === p.route)!));
    }
    const rows = medianRows(byRound);

    const table = printTable(rows);
    recorder.setRecording(logsOn);
    const requestLogs = compareRequestLogs(rows);

    let signing: SigningCost[] = [];
    const reference = rows.find((r) => r.route.signingReference);
    if (signingBody && reference) {
      const resolved = await app.get(AccountsCache).resolve(fixtures.accountId);
      if (resolved) {
        signing = measureSigning(resolved.signer, signingBody, {
          method: reference.route.method,
          target: signingPath,
          host: origin.replace('http://', ''),
        });
        const ed = signing.find((s) => s.algorithm === 'ed25519');
        const meanUs = reference.result.latencyMs.mean * 1000;
        if (ed) {
          console.log(
            `\nsigning cost per response ≈ ${fmt(ed.microsPerResponse, 1)} µs ` +
              `(${fmt((ed.microsPerResponse / meanUs) * 100, 1)}% of the ${reference.route.name} mean latency, ` +
              `${fmt(reference.result.latencyMs.mean)} ms; ed25519, ${signingBody.length}-byte body)`,
          );
          // Under 50 connections the mean latency is mostly queueing; 1 / (req/s) is the
          // server time each response costs on the single event loop.
          const serviceUs = 1e6 / reference.result.requestsPerSec;
          console.log(
            `  = ${fmt((ed.microsPerResponse / serviceUs) * 100, 1)}% of its per-response server time ` +
              `(1 / req/s = ${fmt(serviceUs / 1000)} ms)`,
          );
        }
        console.log(
          `other algorithms (Keygen-Accept-Signature): ${signing
            .filter((s) => s.algorithm !== 'ed25519')
            .map((s) => `${s.algorithm} ≈ ${fmt(s.microsPerResponse, 1)} µs`)
            .join(', ')}`,
        );
      }
    }

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      RESULTS,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          node: process.version,
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? null,
          // Other work on the machine skews absolute numbers; the ratios hold up better.
          loadAverage1m: loadavg()[0],
          database: db.label,
          settings: { durationS, warmupS, connections, rounds },
          routes: table,
          requestLogs,
          raw: byRound.map((rs) => Object.fromEntries(rs.map((r) => [r.route.name, r.result]))),
          signing: {
            referenceRoute: reference?.route.name ?? null,
            bodyBytes: signingBody?.length ?? 0,
            costs: signing,
          },
        },
        null,
        2,
      )}\n`,
    );
    log(`wrote ${RESULTS}`);
  } finally {
    await closeApp(app);
    await db.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
