/** Injected time source: services read `ctx.clock.now()` so tests can move time. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests can move; starts at real time plus an offset of zero. */
export class MovableClock extends Clock {
  private offsetMs = 0;
  private frozen: Date | null = null;

  now(): Date {
    return this.frozen ? new Date(this.frozen) : new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    if (this.frozen) {
      this.frozen = new Date(this.frozen.getTime() + ms);
    } else {
      this.offsetMs += ms;
    }
  }

  freeze(at: Date = this.now()): void {
    this.frozen = new Date(at);
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozen = null;
  }
}
