import { BENCH_ITEMS } from './bench.module';

/** What the benchmark set up before the routes run (extend when a route needs more). */
export interface BenchFixtures {
  accountId: string;
  accountSlug: string;
  adminToken: string;
  /** Licenses `bench-key-<n>` (n in 1..count), each with one machine `bench-fp-<n>`. */
  validationLicenses: number;
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
}

const JSONAPI = 'application/vnd.api+json';

/**
 * The routes measured, in table order. Add a route by appending an entry (and any
 * fixture it needs to BenchFixtures / fixtures.ts): validate-key, heartbeat ping,
 * machine activation, ...
 */
export function benchRoutes(f: BenchFixtures): BenchRoute[] {
  const admin = { Accept: JSONAPI, Authorization: `Bearer ${f.adminToken}` };
  return [
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
  ];
}
