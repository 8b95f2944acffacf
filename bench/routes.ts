import { BENCH_ITEMS } from './bench.module';

/** What the benchmark set up before the routes run (extend when a route needs more). */
export interface BenchFixtures {
  accountId: string;
  accountSlug: string;
  adminToken: string;
  /** Licenses `bench-key-<n>` (n in 1..count), each with one machine `bench-fp-<n>`. */
  validationLicenses: number;
  /** Machines `bench-hb-<n>` (n in 1..count) on one license, pinged with its token. */
  heartbeatMachines: number;
  heartbeatLicenseToken: string;
  /** A floating license without limits that activation pairs activate on. */
  activationLicenseId: string;
}

export interface BenchRoute {
  /** Row label in the table and key in latest.json. */
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** `{random}` is replaced per request by an integer in [1, randomMax] (in `body` too). */
  path: string;
  randomMax?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Benchmarked instead when `path` answers 404 (a route still being written). */
  fallbackPath?: string;
  /** Marks the baselines the ratios are computed against. */
  baseline?: 1 | 2;
  /** The route whose mean latency the signing cost is compared with. */
  signingReference?: boolean;
  /**
   * Measured with request logging switched off, as the twin of the named route (which
   * runs with it on, in the same rounds); the report prints on ÷ off req/s.
   */
  requestLogsOffFor?: string;
  /**
   * Each request is followed by this one (a pair); `{id}` in its path is the first
   * response's `data.id`. Req/s then counts both requests of every pair.
   */
  then?: { method: BenchRoute['method']; path: string };
}

/** The same route measured with request logging off (the "logs on vs off" comparison). */
export function withoutRequestLogs(route: BenchRoute): BenchRoute {
  const { signingReference: _s, baseline: _b, ...rest } = route;
  return { ...rest, name: `${route.name} [request logs off]`, requestLogsOffFor: route.name };
}

const JSONAPI = 'application/vnd.api+json';

/**
 * The routes measured, in table order. Add a route by appending an entry (and any
 * fixture it needs to BenchFixtures / fixtures.ts): validate-key, heartbeat ping,
 * machine activation, ...
 */
export function benchRoutes(f: BenchFixtures): BenchRoute[] {
  const admin = { Accept: JSONAPI, Authorization: `Bearer ${f.adminToken}` };
  const routes: BenchRoute[] = [
    { name: 'baseline 1: constant', method: 'GET', path: '/bench/constant', baseline: 1 },
    {
      name: 'baseline 2: indexed read',
      method: 'GET',
      path: '/bench/indexed/key-{random}',
      randomMax: BENCH_ITEMS,
      baseline: 2,
    },
    {
      name: 'GET /v1/accounts/{slug}/me',
      method: 'GET',
      path: `/v1/accounts/${f.accountSlug}/me`,
      fallbackPath: `/v1/accounts/${f.accountId}`,
      headers: admin,
      signingReference: true,
    },
    {
      // Diagnostic: the same token auth and signing as /me with a small body (no permission lists).
      name: 'GET /v1/accounts/{id} (small signed body)',
      method: 'GET',
      path: `/v1/accounts/${f.accountId}`,
      headers: admin,
    },
    {
      // Strict node-locked policy (maxMachines 1), one machine per license, random keys.
      name: 'POST validate-key (fingerprint scope)',
      method: 'POST',
      path: `/v1/accounts/${f.accountSlug}/licenses/actions/validate-key`,
      randomMax: f.validationLicenses,
      headers: { Accept: JSONAPI, 'Content-Type': JSONAPI },
      body: JSON.stringify({
        meta: { key: 'bench-key-{random}', scope: { fingerprint: 'bench-fp-{random}' } },
      }),
    },
    {
      // A client's heartbeat: license-token auth, the machine named by its fingerprint.
      name: 'POST machines/{fingerprint}/actions/ping',
      method: 'POST',
      path: `/v1/accounts/${f.accountSlug}/machines/bench-hb-{random}/actions/ping`,
      randomMax: f.heartbeatMachines,
      headers: { Accept: JSONAPI, Authorization: `Bearer ${f.heartbeatLicenseToken}` },
    },
    {
      // Diagnostic: the same ping with an admin token, to separate license-token auth cost.
      name: 'POST machines/{fingerprint}/actions/ping (admin token)',
      method: 'POST',
      path: `/v1/accounts/${f.accountSlug}/machines/bench-hb-{random}/actions/ping`,
      randomMax: f.heartbeatMachines,
      headers: admin,
    },
    {
      // Activation (row-locked limit checks) then deactivation of the same machine.
      name: 'POST machines + DELETE machines/{id} (pair = 2 requests)',
      method: 'POST',
      path: `/v1/accounts/${f.accountSlug}/machines`,
      randomMax: 1_000_000_000,
      headers: { ...admin, 'Content-Type': JSONAPI },
      body: JSON.stringify({
        data: {
          type: 'machines',
          attributes: { fingerprint: 'pair-{random}', cores: 4 },
          relationships: { license: { data: { type: 'licenses', id: f.activationLicenseId } } },
        },
      }),
      then: { method: 'DELETE', path: `/v1/accounts/${f.accountSlug}/machines/{id}` },
    },
  ];
  // Request logging must not slow the hot routes (issue #5: within 10%): each is also
  // measured with logging off, right next to its logging-on run.
  const compared = ['GET /v1/accounts/{slug}/me', 'POST validate-key (fingerprint scope)'];
  return routes.flatMap((r) => (compared.includes(r.name) ? [r, withoutRequestLogs(r)] : [r]));
}
