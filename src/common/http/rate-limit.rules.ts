import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/**
 * Keygen's Rack::Attack rules (spec 00 §10), as pure functions: which limiters a
 * request counts against and under which key, the bot-probe filter, and IP
 * allow/deny matching. Everything mirrors config/initializers/rack_attack.rb,
 * including its quirks (noted `compat:`).
 */
export type RateLimitWindow = '1s' | '1m' | 'auth' | 'rstpwd' | 'mutpwd' | 'mutmfa';

export interface LimiterRule {
  /** `X-RateLimit-Window` value. */
  window: RateLimitWindow;
  periodS: number;
  limit: number;
  key: string;
}

export interface RateLimitRequest {
  method: string;
  /** Raw request path (no query), exactly as received. */
  path: string;
  /** Raw query string (no `?`). */
  query: string;
  authorization?: string;
  /** Parsed query parameters. */
  queryParams: Record<string, unknown>;
  /** Parsed JSON body as sent (keys not normalised), when there was one. */
  body?: unknown;
  ip: string;
}

export interface GeneralLimits {
  maxRps: number;
  maxRpm: number;
}

/** The general limiters are the only ones reported in X-RateLimit-* on normal responses. */
export const GENERAL_WINDOWS: ReadonlySet<RateLimitWindow> = new Set<RateLimitWindow>(['1s', '1m']);

const ACCOUNT_RE = /^\/v\d+\/accounts\/([^/]+)\//;
const USER_RE = /^\/v\d+\/accounts\/([^/]+)\/users\/([^/]+)\//;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Ruby `String#present?`: not empty and not only whitespace. */
const present = (s: string | undefined | null): s is string =>
  typeof s === 'string' && !/^\s*$/u.test(s);

/** Ruby `str.split(':', 2)`: [] for '', else [before, after?]. */
function splitPair(s: string): [string | undefined, string | undefined] {
  if (s === '') {
    return [undefined, undefined];
  }
  const i = s.indexOf(':');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** Ruby `Base64.decode64`: lenient, ignores characters outside the alphabet. */
function decode64(s: string): string {
  return Buffer.from(s.replace(/[^A-Za-z0-9+/]/g, ''), 'base64').toString('utf8');
}

function userOrSecret(value: string): string {
  const [user, pass] = splitPair(value);
  if (user === 'license' || user === 'token') {
    return pass ?? '';
  }
  return present(user) ? user : '';
}

/**
 * The credential the general limiters hash (`ip_limit_proc`): the token or key of
 * Bearer/Token/License, the secret of Basic `token:`/`license:`, else the Basic
 * username, else `?token=` / `?auth=` by the same rule. Anonymous → ''.
 */
export function generalCredential(
  authorization: string | undefined,
  queryParams: Record<string, unknown>,
): string {
  // Ruby `split(' ', 2)`: leading whitespace skipped, runs of whitespace separate.
  const m = /^\s*(\S+)(?:\s+([\s\S]*))?$/.exec(authorization ?? '');
  const scheme = m?.[1]?.toLowerCase();
  const rest = m?.[2];
  switch (scheme) {
    case 'license':
    case 'bearer':
    case 'token':
      return rest ?? '';
    case 'basic':
      return userOrSecret(decode64(rest ?? ''));
    default: {
      const q = queryParams.token ?? queryParams.auth;
      return typeof q === 'string' ? userOrSecret(q) : '';
    }
  }
}

/** The account path segment Keygen keys on (`/v1/accounts/{account}/…`; needs the trailing part). */
export function accountSegment(path: string): string | null {
  return ACCOUNT_RE.exec(path)?.[1] ?? null;
}

function bodyEmail(body: unknown, queryParams: Record<string, unknown>): string | null {
  const fromBody = (body as { meta?: { email?: unknown } } | null | undefined)?.meta?.email;
  const fromQuery = (queryParams.meta as { email?: unknown } | undefined)?.email;
  // Rails merges query and body params; body wins.
  const email = fromBody ?? fromQuery;
  if (typeof email === 'string') {
    return present(email) ? email : null;
  }
  return email === undefined || email === null || email === false ? null : String(email);
}

/**
 * Limiters a request counts against, in Keygen's evaluation order (the first one
 * over its limit answers 429 and later ones are not counted).
 */
export function selectLimiters(req: RateLimitRequest, limits: GeneralLimits): LimiterRule[] {
  const out: LimiterRule[] = [];
  const account = accountSegment(req.path);
  const method = req.method.toUpperCase();

  if (limits.maxRps > 0 || limits.maxRpm > 0) {
    const credential = sha256(generalCredential(req.authorization, req.queryParams));
    const general = `${account ? `${account}/` : ''}${req.ip}/${credential}`;
    if (limits.maxRps > 0) {
      out.push({ window: '1s', periodS: 1, limit: limits.maxRps, key: general });
    }
    if (limits.maxRpm > 0) {
      out.push({ window: '1m', periodS: 60, limit: limits.maxRpm, key: general });
    }
  }

  // Login: POST …/tokens with Basic email:password (both present, email has an @).
  if (method === 'POST' && req.path.endsWith('/tokens') && account) {
    const auth = req.authorization ?? '';
    // compat: Keygen matches the exact-case prefix "Basic ".
    if (auth.startsWith('Basic ')) {
      const [email, password] = splitPair(decode64(auth.slice(6)));
      if (present(email) && email.includes('@') && present(password)) {
        out.push({
          window: 'auth',
          periodS: 60,
          limit: 5,
          key: `${account}/${req.ip}/${sha256(email.toLowerCase())}`,
        });
      }
    }
  }

  // Password reset requests: POST …/passwords with meta.email.
  if (method === 'POST' && req.path.endsWith('/passwords') && account) {
    const email = bodyEmail(req.body, req.queryParams);
    if (email !== null) {
      out.push({
        window: 'rstpwd',
        periodS: 3600,
        limit: 5,
        key: `${account}/${req.ip}/${sha256(email.toLowerCase())}`,
      });
    }
  }

  const user = USER_RE.exec(req.path);
  // Password mutations: POST …/users/{user}/…/update-password|reset-password.
  if (
    method === 'POST' &&
    (req.path.endsWith('/update-password') || req.path.endsWith('/reset-password')) &&
    user
  ) {
    out.push({
      window: 'mutpwd',
      periodS: 600,
      limit: 5,
      key: `${user[1]}/${req.ip}/${sha256(user[2].toLowerCase())}`,
    });
  }

  // Second-factor mutations.
  const mfa =
    (method === 'POST' && req.path.endsWith('/second-factors')) ||
    ((method === 'DELETE' || method === 'PATCH' || method === 'PUT') &&
      req.path.includes('/second-factors/'));
  if (mfa && user) {
    out.push({
      window: 'mutmfa',
      periodS: 600,
      limit: 5,
      key: `${user[1]}/${req.ip}/${sha256(user[2].toLowerCase())}`,
    });
  }
  return out;
}

const BOT_PATH_PARTS = [
  '/etc/profile',
  '/etc/passwd',
  '/wp-content',
  '/wp-admin',
  '/wp-login',
  '/cgi-bin',
];

function unescapeQuery(q: string): string {
  // Ruby CGI.unescape: `+` is a space, invalid escapes are kept verbatim.
  return q.replace(/\+/g, ' ').replace(/(?:%[0-9a-fA-F]{2})+/g, (seq) => {
    try {
      return decodeURIComponent(seq);
    } catch {
      return Buffer.from(seq.replace(/%/g, ''), 'hex').toString('latin1');
    }
  });
}

/** Keygen's `req/block/bots` filter: scanner probes that count towards an IP ban. */
export function isBotProbe(path: string, query: string): boolean {
  return (
    /\/etc\/(passwd|profile)/.test(unescapeQuery(query)) ||
    BOT_PATH_PARTS.some((p) => path.includes(p)) ||
    /\S+\.(php|cgi)$/m.test(path)
  );
}

/** Bot ban parameters (Fail2Ban: 3 probes within 10 minutes ban the IP for 30 minutes). */
export const BOT_BAN = { maxRetry: 3, findTimeS: 600, banTimeS: 1800 } as const;

/** Client IP without the IPv4-mapped IPv6 prefix (`::ffff:10.0.0.1` → `10.0.0.1`). */
export function normalizeIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

/**
 * Matcher for RACK_ATTACK_IP_WHITELIST / _BLACKLIST entries: single addresses or
 * CIDR ranges, IPv4 or IPv6 (Ruby IPAddr semantics). Invalid entries are ignored.
 */
export function ipMatcher(entries: readonly string[]): (ip: string) => boolean {
  if (entries.length === 0) {
    return () => false;
  }
  const list = new BlockList();
  for (const raw of entries) {
    const [addr, bits] = raw.trim().split('/');
    const ip = normalizeIp(addr);
    const family = isIP(ip);
    if (family === 0) {
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(ip, type);
    } else if (/^\d+$/.test(bits)) {
      list.addSubnet(ip, Number(bits), type);
    }
  }
  return (candidate: string) => {
    const ip = normalizeIp(candidate);
    const family = isIP(ip);
    return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
}
