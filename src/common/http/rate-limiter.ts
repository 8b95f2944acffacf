import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import {
  BOT_BAN,
  GENERAL_WINDOWS,
  ipMatcher,
  isBotProbe,
  normalizeIp,
  selectLimiters,
  type LimiterRule,
  type RateLimitRequest,
} from './rate-limit.rules';
import { RateLimitStore } from './rate-limit.store';

const BLACKLISTED =
  'Your IP address has been temporarily blacklisted due to abusive behavior. Please see https://keygen.sh/docs/api/rate-limiting/ for more info.';
const THROTTLED =
  'Throttle limit has been reached for your IP address. Please slow down. See https://keygen.sh/docs/api/rate-limiting/ for more info.';

/** A middleware-level answer (no meta, no Keygen headers, not logged). */
export interface RateLimitRejection {
  status: 403 | 429;
  body: { errors: Array<{ title: string; detail: string; code?: string }> };
  headers: Record<string, string>;
}

export type RateLimitOutcome =
  | { kind: 'pass'; headers?: Record<string, string> }
  | { kind: 'reject'; rejection: RateLimitRejection };

const PASS: RateLimitOutcome = { kind: 'pass' };

/**
 * Keygen's Rack::Attack (spec 00 §10), run by the HTTP middleware before routing,
 * so it counts every request, routed or not: allow-list → deny-list → bot ban →
 * throttles in order. Windows are fixed and aligned to the epoch. Storage errors
 * fail open, as Rack::Attack does.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimit');
  private readonly allowed: (ip: string) => boolean;
  private readonly denied: (ip: string) => boolean;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: RateLimitStore,
  ) {
    this.allowed = ipMatcher(config.rateLimit.whitelist);
    this.denied = ipMatcher(config.rateLimit.blacklist);
  }

  async check(
    input: Omit<RateLimitRequest, 'ip'> & { ip: string },
    now = Date.now(),
  ): Promise<RateLimitOutcome> {
    const rl = this.config.rateLimit;
    if (rl.disabled) {
      return PASS;
    }
    const req: RateLimitRequest = { ...input, ip: normalizeIp(input.ip) };
    if (this.allowed(req.ip)) {
      return PASS;
    }
    if (this.denied(req.ip)) {
      return { kind: 'reject', rejection: blacklisted() };
    }
    try {
      if (await this.botBanned(req, now)) {
        return { kind: 'reject', rejection: blacklisted() };
      }
      let worst: { rule: LimiterRule; count: number; resetS: number } | null = null;
      for (const rule of selectLimiters(req, rl)) {
        const periodMs = rule.periodS * 1000;
        const index = Math.floor(now / periodMs);
        const resetMs = (index + 1) * periodMs;
        const count = await this.store.increment(
          `${rule.window}:${index}:${rule.key}`,
          resetMs - now + 1000,
        );
        const resetS = Math.floor(resetMs / 1000);
        if (count > rule.limit) {
          return {
            kind: 'reject',
            rejection: throttled(rule, count, resetS, Math.floor(now / 1000)),
          };
        }
        // Normal responses report the general window closest to exhaustion (first wins a tie).
        if (
          GENERAL_WINDOWS.has(rule.window) &&
          (!worst || count / rule.limit > worst.count / worst.rule.limit)
        ) {
          worst = { rule, count, resetS };
        }
      }
      if (!worst) {
        return PASS;
      }
      return {
        kind: 'pass',
        headers: {
          'X-RateLimit-Window': worst.rule.window,
          'X-RateLimit-Count': String(worst.count),
          'X-RateLimit-Limit': String(worst.rule.limit),
          'X-RateLimit-Remaining': String(Math.max(0, worst.rule.limit - worst.count)),
          'X-RateLimit-Reset': String(worst.resetS),
        },
      };
    } catch (e) {
      this.logger.error(`rate limiting skipped: ${(e as Error).message}`);
      return PASS;
    }
  }

  /**
   * Fail2Ban (`req/block/bots`): every probe is answered as blacklisted; the
   * maxRetry-th probe within the find window bans the IP for everything.
   */
  private async botBanned(req: RateLimitRequest, now: number): Promise<boolean> {
    const banKey = `bots:ban:${req.ip}`;
    if (await this.store.marked(banKey)) {
      return true;
    }
    if (!isBotProbe(req.path, req.query)) {
      return false;
    }
    const periodMs = BOT_BAN.findTimeS * 1000;
    const index = Math.floor(now / periodMs);
    const count = await this.store.increment(
      `bots:count:${index}:${req.ip}`,
      (index + 1) * periodMs - now + 1000,
    );
    if (count >= BOT_BAN.maxRetry) {
      await this.store.mark(banKey, BOT_BAN.banTimeS * 1000);
    }
    return true;
  }
}

function blacklisted(): RateLimitRejection {
  return {
    status: 403,
    body: { errors: [{ title: 'Forbidden', detail: BLACKLISTED }] },
    headers: {
      'X-RateLimit-Window': 'blacklist',
      'X-RateLimit-Count': '0',
      'X-RateLimit-Limit': '0',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '0',
    },
  };
}

function throttled(
  rule: LimiterRule,
  count: number,
  resetS: number,
  nowS: number,
): RateLimitRejection {
  return {
    status: 429,
    body: {
      errors: [{ title: 'Too many requests', detail: THROTTLED, code: 'TOO_MANY_REQUESTS' }],
    },
    headers: {
      'X-RateLimit-Window': rule.window,
      'X-RateLimit-Count': String(count),
      'X-RateLimit-Limit': String(rule.limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(resetS),
      // Keygen: period - (now % period), in whole seconds.
      'Retry-After': String(rule.periodS - (nowS % rule.periodS)),
    },
  };
}
