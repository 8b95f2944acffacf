import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { ApiError, TooManyRequestsError } from '../errors/api-error';
import type { KeywardRequest } from './http-state';

interface Limiter {
  window: string;
  periodS: number;
  limit: number;
  key: string;
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Keygen's rate limits (spec 00 §10) on @nestjs/throttler storage (Redis when
 * REDIS_URL is set): fixed windows aligned to the epoch, the login / password /
 * 2FA limiters, optional general per-second and per-minute limits, IP allow and
 * deny lists, and the X-RateLimit-* headers.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
  ) {}

  async canActivate(ectx: ExecutionContext): Promise<boolean> {
    const rl = this.config.rateLimit;
    if (rl.disabled) {
      return true;
    }
    const req = ectx.switchToHttp().getRequest<KeywardRequest>();
    const ip = req.ip ?? '';
    if (rl.whitelist.includes(ip)) {
      return true;
    }
    if (rl.blacklist.includes(ip)) {
      const e = new ApiError(403, [
        {
          title: 'Forbidden',
          detail:
            'Your IP address has been temporarily blacklisted due to abusive behavior. Please see https://keygen.sh/docs/api/rate-limiting/ for more info.',
        },
      ]);
      e.middleware = true;
      e.withHeader('X-RateLimit-Window', 'blacklist')
        .withHeader('X-RateLimit-Count', '0')
        .withHeader('X-RateLimit-Limit', '0')
        .withHeader('X-RateLimit-Remaining', '0')
        .withHeader('X-RateLimit-Reset', '0');
      throw e;
    }

    const now = Date.now();
    const general: Array<{ l: Limiter; count: number; reset: number }> = [];
    for (const l of this.limiters(req, ip)) {
      const periodMs = l.periodS * 1000;
      const index = Math.floor(now / periodMs);
      const resetMs = (index + 1) * periodMs;
      const record = await this.storage.increment(`${l.window}:${index}:${l.key}`, resetMs - now, l.limit, 0, l.window);
      const reset = Math.ceil(resetMs / 1000);
      if (record.totalHits > l.limit) {
        const e = new TooManyRequestsError();
        e.withHeader('X-RateLimit-Window', l.window)
          .withHeader('X-RateLimit-Count', String(record.totalHits))
          .withHeader('X-RateLimit-Limit', String(l.limit))
          .withHeader('X-RateLimit-Remaining', '0')
          .withHeader('X-RateLimit-Reset', String(reset))
          .withHeader('Retry-After', String(Math.max(1, Math.ceil((resetMs - now) / 1000))));
        throw e;
      }
      if (l.window === '1s' || l.window === '1m') {
        general.push({ l, count: record.totalHits, reset });
      }
    }
    if (general.length > 0) {
      const worst = general.reduce((a, b) => (b.count / b.l.limit > a.count / a.l.limit ? b : a));
      req.keyward.rateLimitHeaders = {
        'X-RateLimit-Window': worst.l.window,
        'X-RateLimit-Count': String(worst.count),
        'X-RateLimit-Limit': String(worst.l.limit),
        'X-RateLimit-Remaining': String(Math.max(0, worst.l.limit - worst.count)),
        'X-RateLimit-Reset': String(worst.reset),
      };
    }
    return true;
  }

  private limiters(req: KeywardRequest, ip: string): Limiter[] {
    const out: Limiter[] = [];
    const account = (req.params as Record<string, string | undefined>).account;
    const prefix = account ? `${account}/${ip}` : ip;
    const credHash = sha(this.credential(req));
    const { maxRps, maxRpm } = this.config.rateLimit;
    if (maxRps > 0) {
      out.push({ window: '1s', periodS: 1, limit: maxRps, key: `${prefix}/${credHash}` });
    }
    if (maxRpm > 0) {
      out.push({ window: '1m', periodS: 60, limit: maxRpm, key: `${prefix}/${credHash}` });
    }
    if (!account || req.method === 'GET') {
      return out;
    }
    const path = req.path.replace(/\/$/, '');
    if (req.method === 'POST' && path.endsWith('/tokens')) {
      const basic = this.basicUser(req);
      if (basic && basic.user.includes('@') && basic.user !== '' && basic.pass !== '') {
        out.push({ window: 'auth', periodS: 60, limit: 5, key: `${prefix}/${sha(basic.user.toLowerCase())}` });
      }
    }
    const body = req.body as { meta?: { email?: unknown } } | undefined;
    if (req.method === 'POST' && path.endsWith('/passwords') && typeof body?.meta?.email === 'string') {
      out.push({ window: 'rstpwd', periodS: 3600, limit: 5, key: `${prefix}/${sha(body.meta.email.toLowerCase())}` });
    }
    const pw = /\/users\/([^/]+)\/actions\/(?:update|reset)-password$/.exec(path);
    if (req.method === 'POST' && pw) {
      out.push({ window: 'mutpwd', periodS: 600, limit: 5, key: `${prefix}/${sha(pw[1])}` });
    }
    const mfa = /\/users\/([^/]+)\/second-factors(\/[^/]+)?$/.exec(path);
    if (mfa && ((req.method === 'POST' && !mfa[2]) || (req.method !== 'POST' && mfa[2]))) {
      out.push({ window: 'mutmfa', periodS: 600, limit: 5, key: `${prefix}/${sha(mfa[1])}` });
    }
    return out;
  }

  private basicUser(req: KeywardRequest): { user: string; pass: string } | null {
    const h = req.headers.authorization ?? '';
    if (!/^basic /i.test(h)) {
      return null;
    }
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i < 0 ? null : { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
  }

  private credential(req: KeywardRequest): string {
    const h = req.headers.authorization ?? '';
    const m = /^(?:bearer|token|license)\s+(.+)$/i.exec(h);
    if (m) {
      return m[1].trim();
    }
    const basic = this.basicUser(req);
    if (basic) {
      return basic.user === 'token' || basic.user === 'license' ? basic.pass : basic.user;
    }
    const q = req.query as Record<string, unknown>;
    return typeof q.token === 'string' ? q.token : typeof q.auth === 'string' ? q.auth : '';
  }
}
