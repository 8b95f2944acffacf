/**
 * Every environment variable Keyward reads is parsed here and nowhere else
 * (lint forbids `process.env` outside src/config). Each one is documented in
 * .env.example.
 */
export type KeygenMode = 'singleplayer' | 'multiplayer';

export interface AppConfig {
  port: number;
  mode: KeygenMode;
  accountId: string | null;
  accountIdGenerated: boolean;
  adminEmail: string | null;
  adminPassword: string | null;
  /** KEYGEN_ACCOUNT_SLUG: slug of the singleplayer account created at first boot. */
  accountSlug: string | null;
  /** Extra domain lists for account slug derivation (EMAIL_CHECK_*_DOMAINS, comma separated). */
  emailCheck: {
    freeDomains: string[];
    disposableDomains: string[];
    eduDomains: string[];
  };
  edition: 'CE' | 'EE';
  host: string;
  revision: string | null;
  databaseUrl: string | null;
  dataDir: string;
  embeddedPostgresPort: number;
  redisUrl: string | null;
  encryptionKey: string;
  encryptionKeyGenerated: boolean;
  rateLimit: {
    disabled: boolean;
    maxRps: number;
    maxRpm: number;
    whitelist: string[];
    blacklist: string[];
  };
  healthCheckStatus: number;
  /** SIDEKIQ_MAX_QUEUE_LATENCY: GET /v1/health/webhooks fails once the webhook queue waits this long (s). */
  maxQueueLatencySeconds: number;
  maxBodyBytes: number | null;
  dbPoolSize: number;
  runJobs: boolean;
  logLevel: string;
  trustedProxies: string[];
  webhooks: WebhooksConfig;
  logs: LogsConfig;
}

/** Request and event logs (spec 06): recording switch, retention, origin deny-list, body cap. */
export interface LogsConfig {
  /** REQUEST_LOGS_ENABLED: record request logs at all (event logs are always recorded). */
  requestLogsEnabled: boolean;
  /** KEYGEN_PRUNE_REQUEST_BACKLOG_DAYS: request logs older than this are pruned daily (<= 0 keeps them). */
  requestLogRetentionDays: number;
  /** KEYGEN_PRUNE_EVENT_BACKLOG_DAYS: the same for event logs. */
  eventLogRetentionDays: number;
  /** REQUEST_LOG_IGNORED_ORIGINS: requests sent with one of these Origin headers are not logged. */
  ignoredOrigins: string[];
  /** REQUEST_LOG_MAX_BODY_BYTES: a request or response body above this is stored as null. */
  maxBodyBytes: number;
  /**
   * REQUEST_LOGS_THREAD: with in-process jobs, write request logs from a worker thread
   * (`auto`: when running the compiled build; `true`: also from TypeScript sources,
   * through ts-node; `false`: as queued jobs on the main thread).
   */
  writerThread: 'auto' | 'on' | 'off';
}

/** Webhook delivery (spec 05 §4). Defaults are Keygen's schedule and timeouts. */
export interface WebhooksConfig {
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS: deliver to private/loopback addresses and over http://. */
  allowPrivateTargets: boolean;
  /** WEBHOOKS_TIMEOUT_MS: open/read/write (socket inactivity) timeout per attempt. */
  timeoutMs: number;
  /** WEBHOOKS_MAX_RETRIES: automatic retries after the first attempt. */
  maxRetries: number;
  /** WEBHOOKS_RETRY_UNIT_MS: one "second" of Keygen's `n⁴ + 600·rand(1..10)` schedule. */
  retryUnitMs: number;
  /** WEBHOOKS_RETRY_JITTER_UNITS: the 600 of that schedule (0 disables the jitter). */
  retryJitterUnits: number;
  /** WEBHOOKS_BLOCKED_HOSTS plus KEYGEN_HOST's name: refused as endpoint hosts. */
  blockedHosts: string[];
  /** KEYGEN_PRUNE_WEBHOOK_BACKLOG_DAYS: events older than this are pruned daily (<= 0 keeps them). */
  pruneBacklogDays: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') {
    return fallback;
  }
  const n = Number.parseInt(value, 10);
  if (Number.isNaN(n)) {
    throw new Error(`expected an integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function blank(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/** `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off` (any case); unset → fallback; anything else → null. */
function flag(value: string | undefined, fallback: boolean): boolean | null {
  const v = blank(value)?.toLowerCase();
  if (v === undefined) {
    return fallback;
  }
  if (['true', '1', 'yes', 'on'].includes(v)) {
    return true;
  }
  return ['false', '0', 'no', 'off'].includes(v) ? false : null;
}

/** Parses and validates configuration; throws with a readable message on bad input. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const errors: string[] = [];
  const mode = (blank(env.KEYGEN_MODE) ?? 'singleplayer').toLowerCase();
  if (mode !== 'singleplayer' && mode !== 'multiplayer') {
    errors.push(`KEYGEN_MODE must be singleplayer or multiplayer (got ${mode})`);
  }
  let accountId = blank(env.KEYGEN_ACCOUNT_ID)?.toLowerCase() ?? null;
  let accountIdGenerated = false;
  if (accountId && !UUID_RE.test(accountId)) {
    errors.push(`KEYGEN_ACCOUNT_ID must be a UUID (got ${accountId})`);
  }
  if (!accountId && mode === 'singleplayer') {
    accountId = null;
    accountIdGenerated = true;
  }
  const edition = (blank(env.KEYGEN_EDITION) ?? 'EE').toUpperCase();
  const encryptionKey = blank(env.ENCRYPTION_PRIMARY_KEY) ?? blank(env.SECRET_KEY_BASE);
  const numbers: Record<string, number> = {};
  for (const [name, fallback] of [
    ['PORT', 3000],
    ['RACK_ATTACK_MAX_RPS', -1],
    ['RACK_ATTACK_MAX_RPM', -1],
    ['HTTP_HEALTH_CHECK_STATUS_CODE', 204],
    ['SIDEKIQ_MAX_QUEUE_LATENCY', 30],
    ['EMBEDDED_POSTGRES_PORT', 54329],
    ['DB_POOL_SIZE', 5],
    ['WEBHOOKS_TIMEOUT_MS', 15_000],
    ['WEBHOOKS_MAX_RETRIES', 15],
    ['WEBHOOKS_RETRY_UNIT_MS', 1000],
    ['WEBHOOKS_RETRY_JITTER_UNITS', 600],
    ['KEYGEN_PRUNE_WEBHOOK_BACKLOG_DAYS', 30],
    ['KEYGEN_PRUNE_REQUEST_BACKLOG_DAYS', 30],
    ['KEYGEN_PRUNE_EVENT_BACKLOG_DAYS', 90],
    ['REQUEST_LOG_MAX_BODY_BYTES', 1024 * 1024],
  ] as const) {
    try {
      numbers[name] = int(env[name], fallback);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
  }
  let maxBodyBytes: number | null = null;
  try {
    const v = int(env.RAILS_MAX_REQUEST_BODY_SIZE, -1);
    maxBodyBytes = v > 0 ? v : null;
  } catch (e) {
    errors.push(`RAILS_MAX_REQUEST_BODY_SIZE: ${(e as Error).message}`);
  }
  const requestLogsEnabled = flag(env.REQUEST_LOGS_ENABLED, true);
  if (requestLogsEnabled === null) {
    errors.push(`REQUEST_LOGS_ENABLED must be true or false (got ${env.REQUEST_LOGS_ENABLED})`);
  }
  const writerThread = ({ auto: 'auto', true: 'on', false: 'off' } as const)[
    (env.REQUEST_LOGS_THREAD ?? 'auto').trim().toLowerCase() as 'auto' | 'true' | 'false'
  ];
  if (writerThread === undefined) {
    errors.push(`REQUEST_LOGS_THREAD must be auto, true or false (got ${env.REQUEST_LOGS_THREAD})`);
  }
  if (numbers.REQUEST_LOG_MAX_BODY_BYTES <= 0) {
    errors.push(`REQUEST_LOG_MAX_BODY_BYTES must be positive (got ${numbers.REQUEST_LOG_MAX_BODY_BYTES})`);
  }
  if (errors.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  }
  const runJobs = (blank(env.KEYWARD_RUN_JOBS) ?? (blank(env.REDIS_URL) ? 'false' : 'true')) === 'true';
  return {
    port: numbers.PORT,
    mode: mode as KeygenMode,
    accountId,
    accountIdGenerated,
    adminEmail: blank(env.KEYGEN_ADMIN_EMAIL)?.toLowerCase() ?? null,
    adminPassword: blank(env.KEYGEN_ADMIN_PASSWORD),
    accountSlug: blank(env.KEYGEN_ACCOUNT_SLUG),
    emailCheck: {
      freeDomains: list(env.EMAIL_CHECK_FREE_DOMAINS).map((d) => d.toLowerCase()),
      disposableDomains: list(env.EMAIL_CHECK_DISPOSABLE_DOMAINS).map((d) => d.toLowerCase()),
      eduDomains: list(env.EMAIL_CHECK_EDU_DOMAINS).map((d) => d.toLowerCase()),
    },
    edition: edition === 'CE' ? 'CE' : 'EE',
    host: blank(env.KEYGEN_HOST) ?? `localhost:${numbers.PORT}`,
    revision: blank(env.COMMIT_HASH) ?? blank(env.COMMIT_SHA),
    databaseUrl: blank(env.DATABASE_URL),
    dataDir: blank(env.KEYWARD_DATA_DIR) ?? '.data',
    embeddedPostgresPort: numbers.EMBEDDED_POSTGRES_PORT,
    redisUrl: blank(env.REDIS_URL),
    encryptionKey: encryptionKey ?? '',
    encryptionKeyGenerated: encryptionKey === null,
    rateLimit: {
      disabled: blank(env.NO_RACK_ATTACK) !== null,
      maxRps: numbers.RACK_ATTACK_MAX_RPS,
      maxRpm: numbers.RACK_ATTACK_MAX_RPM,
      whitelist: list(env.RACK_ATTACK_IP_WHITELIST),
      blacklist: list(env.RACK_ATTACK_IP_BLACKLIST),
    },
    healthCheckStatus: numbers.HTTP_HEALTH_CHECK_STATUS_CODE,
    maxQueueLatencySeconds: numbers.SIDEKIQ_MAX_QUEUE_LATENCY,
    maxBodyBytes,
    dbPoolSize: numbers.DB_POOL_SIZE,
    runJobs,
    logLevel: blank(env.LOG_LEVEL) ?? 'log',
    trustedProxies: list(env.TRUSTED_PROXIES),
    webhooks: {
      allowPrivateTargets: blank(env.WEBHOOKS_ALLOW_PRIVATE_TARGETS)?.toLowerCase() === 'true',
      timeoutMs: Math.max(1, numbers.WEBHOOKS_TIMEOUT_MS),
      maxRetries: Math.max(0, numbers.WEBHOOKS_MAX_RETRIES),
      retryUnitMs: Math.max(0, numbers.WEBHOOKS_RETRY_UNIT_MS),
      retryJitterUnits: Math.max(0, numbers.WEBHOOKS_RETRY_JITTER_UNITS),
      blockedHosts: [
        ...list(env.WEBHOOKS_BLOCKED_HOSTS),
        (blank(env.KEYGEN_HOST) ?? '').replace(/:\d+$/, ''),
      ]
        .map((h) => h.toLowerCase())
        .filter(Boolean),
      pruneBacklogDays: numbers.KEYGEN_PRUNE_WEBHOOK_BACKLOG_DAYS,
    },
    logs: {
      requestLogsEnabled: requestLogsEnabled ?? true,
      requestLogRetentionDays: numbers.KEYGEN_PRUNE_REQUEST_BACKLOG_DAYS,
      eventLogRetentionDays: numbers.KEYGEN_PRUNE_EVENT_BACKLOG_DAYS,
      ignoredOrigins: list(env.REQUEST_LOG_IGNORED_ORIGINS),
      maxBodyBytes: numbers.REQUEST_LOG_MAX_BODY_BYTES,
      writerThread: writerThread ?? 'auto',
    },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
