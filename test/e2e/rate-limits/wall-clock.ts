/**
 * Rate-limit windows are aligned to the wall clock (Date.now), not the injected
 * Clock, so these tests pin Date.now to a known instant instead of racing window
 * edges: `pin(offsetS)` puts "now" `offsetS` seconds into a fresh hour.
 */
export class WallClock {
  private now = 0;
  private spy?: jest.SpyInstance<number, []>;

  /** Pins Date.now `offsetMs` after the start of an hour in the future (never reused across files). */
  pin(offsetMs = 0): number {
    const hour = 3_600_000;
    const base = (Math.floor(Date.now() / hour) + 1 + Math.floor(Math.random() * 1000)) * hour;
    this.now = base + offsetMs;
    this.spy ??= jest.spyOn(Date, 'now').mockImplementation(() => this.now);
    return this.now;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  get seconds(): number {
    return Math.floor(this.now / 1000);
  }

  restore(): void {
    this.spy?.mockRestore();
    this.spy = undefined;
  }
}

let ipSeq = 0;

/** A fresh client address per test (sent as X-Forwarded-For; loopback proxies are trusted). */
export function freshIp(): string {
  ipSeq += 1;
  return `10.${(process.pid >> 8) & 255}.${ipSeq >> 8}.${ipSeq & 255}`;
}

export const THROTTLED = {
  errors: [
    {
      title: 'Too many requests',
      detail:
        'Throttle limit has been reached for your IP address. Please slow down. See https://keygen.sh/docs/api/rate-limiting/ for more info.',
      code: 'TOO_MANY_REQUESTS',
    },
  ],
};

export const BLACKLISTED = {
  errors: [
    {
      title: 'Forbidden',
      detail:
        'Your IP address has been temporarily blacklisted due to abusive behavior. Please see https://keygen.sh/docs/api/rate-limiting/ for more info.',
    },
  ],
};
