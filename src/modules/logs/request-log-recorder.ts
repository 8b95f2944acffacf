import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { Clock } from '@app/common/clock/clock';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import type { KeywardRequest } from '@app/common/http/http-state';
import type { RequestLogSink } from '@app/common/http/response-finalizer';
import { JobQueue, LOG_JOBS, QUEUES } from '@app/common/jobs/queues';
import { LogBuffer } from './log-buffer';
import type { ResourceRef } from './log-types';
import {
  LOGGED_REQUEST_HEADERS,
  LOGGED_RESPONSE_HEADERS,
  toEntry,
  type CapturedRequest,
} from './request-log-entry';
import { RequestLogThread } from './request-log-thread';

/**
 * Endpoint families that are never request-logged (spec 06 §1.5 rule 2), by the first
 * path segment after the account; the account's own routes (no segment) too.
 */
const NOT_LOGGED: ReadonlySet<string> = new Set([
  'actions',
  'settings',
  'request-logs',
  'event-logs',
  'webhook-endpoints',
  'webhook-events',
  'search',
  'analytics',
  'health',
  'ping',
  'plan',
  'plans',
  'billing',
  'billings',
  'subscription',
]);

const REQUEST_HEADER_NAMES = LOGGED_REQUEST_HEADERS.map((h) => [h, h.toLowerCase()] as const);

/**
 * The request-log sink of ResponseFinalizer. On the request path it only takes
 * references and scalars (no parsing, no copies) into a buffer; each flushed batch
 * is one `write-request-logs` job that redacts, resolves and inserts (spec 06 §1.5
 * rule 8), or, with in-process jobs, a message to the writer thread that does the same
 * (REQUEST_LOGS_THREAD). REQUEST_LOGS_ENABLED=false turns recording off.
 */
@Injectable()
export class RequestLogRecorder implements RequestLogSink, OnModuleDestroy {
  private readonly logger = new Logger('RequestLogs');
  private readonly buffer: LogBuffer<CapturedRequest>;
  private readonly routes = new Map<string, boolean>();
  private readonly ignoredOrigins: ReadonlySet<string>;
  /** Records each in-flight request's events were about (their ids resolve route aliases). */
  private readonly touched = new WeakMap<RequestContext, ResourceRef[]>();
  private enabled: boolean;
  private readonly thread: RequestLogThread | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    events: DomainEvents,
    @Optional() @InjectDataSource() ds?: DataSource,
  ) {
    this.enabled = config.logs.requestLogsEnabled;
    const url = (ds?.options as { url?: string } | undefined)?.url;
    const mode = config.logs.writerThread;
    if (jobs.local && mode !== 'off' && url) {
      this.thread = RequestLogThread.create(
        mode,
        { url, maxBodyBytes: config.logs.maxBodyBytes },
        (m) => this.logger.error(m),
      );
    }
    this.ignoredOrigins = new Set(config.logs.ignoredOrigins);
    this.buffer = new LogBuffer<CapturedRequest>({
      maxItems: 100,
      maxBytes: 2 * 1024 * 1024,
      maxDelayMs: 100,
      deliver: (batch) => this.enqueue(batch),
      onError: (e) => this.logger.error(`could not write request logs: ${String(e)}`),
    });
    events.subscribe((e) => {
      if (this.enabled && e.ctx.requestId !== 'system') {
        const list = this.touched.get(e.ctx);
        const ref = { type: e.resource.type, id: e.resource.id };
        if (list) {
          list.push(ref);
        } else {
          this.touched.set(e.ctx, [ref]);
        }
      }
    });
  }

  /** Whether requests are being recorded (REQUEST_LOGS_ENABLED; the benchmark flips it). */
  get recording(): boolean {
    return this.enabled;
  }

  setRecording(on: boolean): void {
    this.enabled = on;
  }

  /** How request logs get written, for the startup summary. */
  get writer(): string {
    if (!this.enabled) {
      return 'off (REQUEST_LOGS_ENABLED=false)';
    }
    return this.thread ? 'written from a worker thread' : 'written by queued jobs';
  }

  record(
    req: KeywardRequest,
    status: number,
    body: Buffer,
    headers: Readonly<Record<string, string>>,
  ): void {
    if (!this.enabled) {
      return;
    }
    const state = req.keyward;
    const account = state.account;
    if (!account || !this.logsRoute(state.route)) {
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && this.ignoredOrigins.has(origin)) {
      return;
    }
    const ctx = state.ctx;
    const offset = this.clock.now().getTime() - Date.now();
    const requestHeaders: Record<string, string> = {};
    for (const [name, lower] of REQUEST_HEADER_NAMES) {
      const v = req.headers[lower];
      if (typeof v === 'string') {
        requestHeaders[name] = v;
      }
    }
    const responseHeaders: Record<string, string> = {};
    for (const name of LOGGED_RESPONSE_HEADERS) {
      // Content-Length is only set when the bytes are written, right after this.
      const v =
        name === 'Content-Length'
          ? body.length > 0
            ? String(body.length)
            : undefined
          : headers[name];
      if (v !== undefined) {
        responseHeaders[name] = v;
      }
    }
    const max = this.config.logs.maxBodyBytes;
    const rawBytes = state.rawBody?.length ?? 0;
    const proxyStart = req.headers['x-request-start'] ?? req.headers['x-queue-start'];
    const bearer = ctx?.bearer;
    this.buffer.push(
      {
        id: state.requestId,
        accountId: account.account.id,
        environmentId: ctx?.environment?.id ?? null,
        requestor: bearer ? { type: bearer.type, id: bearer.id } : null,
        method: state.method,
        url: state.originalUrl,
        status,
        userAgent: req.headers['user-agent'] ?? null,
        ip: ctx?.ip ?? req.ip ?? null,
        requestHeaders,
        requestBody: rawBytes <= max ? (req.body as unknown) : null,
        responseHeaders,
        responseBytes: body,
        proxyStart: typeof proxyStart === 'string' ? proxyStart : null,
        startedAt: state.startedAt + offset,
        endedAt: Date.now() + offset,
        touched: (ctx && this.touched.get(ctx)) ?? [],
      },
      Math.min(body.length, max) + Math.min(rawBytes, max),
    );
  }

  /** Queues everything captured so far (tests, the benchmark and shutdown call it). */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
    this.buffer.stop();
    await this.thread?.close();
  }

  private async enqueue(batch: CapturedRequest[]): Promise<void> {
    if (this.thread) {
      await this.thread.write(batch, this.clock.now().getTime() - Date.now());
      return;
    }
    const max = this.config.logs.maxBodyBytes;
    // In process the response bytes travel as they are; Bull needs JSON-safe text.
    const entries = batch.map((c) => toEntry(c, max, this.jobs.local));
    await this.jobs.enqueue(
      QUEUES.logs,
      LOG_JOBS.writeRequestLogs,
      { entries },
      { attempts: 3, backoffMs: 1000 },
    );
  }

  /** Route patterns are few: decide once per pattern. */
  private logsRoute(route: string | undefined): boolean {
    if (route === undefined) {
      return false;
    }
    let logged = this.routes.get(route);
    if (logged === undefined) {
      const parts = route.split('/');
      const at = parts.indexOf(':account');
      const first = at < 0 ? undefined : parts.slice(at + 1).find((p) => p !== '');
      logged = at >= 0 && first !== undefined && !NOT_LOGGED.has(first);
      this.routes.set(route, logged);
    }
    return logged;
  }
}
