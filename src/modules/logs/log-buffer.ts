/**
 * Collects log entries on the request path and hands them over in batches: when
 * `maxItems` or `maxBytes` is reached (on the next tick), or `maxDelayMs` after the
 * first entry of a batch. One batch becomes one queued job, so a busy API enqueues a
 * job per ~hundred requests instead of one per request (Keygen's PerformBulk).
 */
export interface LogBufferOptions<T> {
  maxItems: number;
  maxBytes: number;
  maxDelayMs: number;
  /** Receives each batch; failures are reported to `onError`, never thrown at the pusher. */
  deliver: (batch: T[]) => Promise<void>;
  onError: (e: unknown) => void;
}

export class LogBuffer<T> {
  private items: T[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: LogBufferOptions<T>) {}

  get size(): number {
    return this.items.length;
  }

  /** Adds an entry; `bytes` is its approximate payload size (bodies). Never blocks. */
  push(item: T, bytes = 0): void {
    this.items.push(item);
    this.bytes += bytes;
    if (this.items.length >= this.opts.maxItems || this.bytes >= this.opts.maxBytes) {
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        void this.flush();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.opts.maxDelayMs);
      this.timer.unref();
    }
  }

  /** Delivers what is buffered now and waits for every delivery still running. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.items.length > 0) {
      const batch = this.items;
      this.items = [];
      this.bytes = 0;
      const p = this.opts.deliver(batch).catch(this.opts.onError);
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }
    await Promise.all([...this.inFlight]);
  }

  /** Stops the timers (the owner flushes first on shutdown). */
  stop(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
  }
}
