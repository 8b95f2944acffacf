import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Response } from 'express';
import {
  httpDate,
  sha256Digest,
  signatureHeader,
  signingString,
  type SignatureAlgorithm,
} from '@libs/crypto';
import { stringifyJson } from '@libs/jsonapi';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { applyResponseMigrations } from '../versioning/response-migrations';
import { responseContentType } from './content-negotiation';
import type { KeywardRequest } from './http-state';

/**
 * The one finalisation step for every app response, shared by the success path
 * (RenderInterceptor) and the error path (ApiExceptionFilter), because guards can
 * reject before interceptors run. Order matters:
 *   1. API-version response migrations (body and header names)
 *   2. default headers (Keygen-*, request id, caching, CSP, CORS exposure, rate limits)
 *   3. sign the final bytes (Date, Digest, Keygen-Signature) — only once an account is known
 *   4. hand the request to the request-log sink (queued off the request path)
 */
export abstract class RequestLogSink {
  /** `headers`: the response headers finalize set (Content-Length comes from `body`). */
  abstract record(
    req: KeywardRequest,
    status: number,
    body: Buffer,
    headers: Readonly<Record<string, string>>,
  ): void;
}

export const EXPOSED_HEADERS = [
  'keygen-accept-signature',
  'keygen-signature',
  'keygen-date',
  'keygen-digest',
  'keygen-account-id',
  'keygen-bearer-id',
  'keygen-token-id',
  'keygen-account',
  'keygen-bearer',
  'keygen-token',
  'keygen-environment',
  'keygen-license',
  'keygen-edition',
  'keygen-mode',
  'keygen-revision',
  'keygen-version',
  'x-ratelimit-window',
  'x-ratelimit-count',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-request-id',
  'x-signature',
  'date',
  'digest',
].join(', ');

export interface FinalizeOptions {
  /** Absolute Location for 201 creates (path part; host is prepended). */
  locationPath?: string;
  /** Extra headers from the error or handler (WWW-Authenticate, Retry-After, ...). */
  headers?: Record<string, string>;
  /** Override the negotiated Content-Type (raw engines). */
  contentType?: string;
  /** Pre-serialised body (raw responses); skips JSON serialisation and migrations. */
  raw?: Buffer;
}

@Injectable()
export class ResponseFinalizer {
  private readonly logger = new Logger('Response');
  private readonly staticHeaders: Record<string, string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly logSink?: RequestLogSink,
  ) {
    this.staticHeaders = {
      'Keygen-Edition': config.edition,
      'Keygen-Mode': config.mode,
      'Cache-Control': 'no-transform, no-store, max-age=0',
      'Content-Security-Policy':
        "default-src 'none'; report-uri /-/csp-reports; report-to csp-reports;",
      'Report-To': JSON.stringify({
        group: 'csp-reports',
        max_age: 10886400,
        endpoints: [{ url: `https://${config.host}/-/csp-reports` }],
      }),
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    };
    if (config.revision) {
      this.staticHeaders['Keygen-Revision'] = config.revision;
    }
  }

  /** Sets status and headers on `res` and resolves to the exact bytes to send. */
  async finalize(
    req: KeywardRequest,
    res: Response,
    status: number,
    body: Record<string, unknown> | undefined,
    opts: FinalizeOptions = {},
  ): Promise<Buffer> {
    const state = req.keyward;
    const ctx = state.ctx;
    const headers: Record<string, string> = { ...this.staticHeaders };
    if (state.account) {
      headers['Keygen-Account'] = state.account.account.id;
    }
    if (ctx?.bearer) {
      headers['Keygen-Bearer'] = ctx.bearer.id;
    }
    if (ctx?.token) {
      headers['Keygen-Token'] = ctx.token.id;
    }
    if (ctx?.environment) {
      headers['Keygen-Environment'] = ctx.environment.code;
    }
    headers['Keygen-Version'] = state.apiVersion;
    headers['X-Request-Id'] = state.requestId;
    Object.assign(headers, state.rateLimitHeaders, opts.headers);
    if (opts.locationPath) {
      headers.Location = `https://${this.config.host}${opts.locationPath}`;
    }

    // 1. version migrations
    if (!opts.raw) {
      applyResponseMigrations(state.apiVersion, {
        method: state.method,
        route: state.route ?? req.path,
        status,
        body,
        headers,
      });
    }

    // 2. body bytes and content type
    // stringifyJson: exact 64-bit integers (machine memory/disk) render as bare digits.
    const bytes =
      opts.raw ??
      (body === undefined || status === 204 ? Buffer.alloc(0) : Buffer.from(stringifyJson(body)));
    if (bytes.length > 0 || opts.contentType) {
      headers['Content-Type'] = opts.contentType ?? responseContentType(req.headers.accept);
    }

    // 3. signature (only when an account was resolved and Keygen-Accept-Signature was usable)
    const algorithm = state.signatureAlgorithm;
    if (state.account && algorithm) {
      try {
        const date = httpDate(new Date());
        const digest = sha256Digest(bytes);
        const signed: Record<string, string> = {
          Date: date,
          Digest: digest,
          'Keygen-Date': date,
          'Keygen-Digest': digest,
        };
        if (!state.signatureKeyidMismatch) {
          const signature = await state.account.signer.signAsync(
            algorithm,
            signingString({
              method: state.method,
              target: state.originalUrl,
              host: req.headers.host ?? '',
              date,
              digest,
            }),
          );
          signed['Keygen-Signature'] = signatureHeader({
            keyid: state.account.account.id,
            // compat: echoed as the client spelled it (e.g. "ED25519").
            algorithm: (state.signatureAlgorithmName ?? algorithm) as SignatureAlgorithm,
            signature,
          });
        }
        Object.assign(headers, signed);
      } catch (e) {
        // compat: when signing fails the response still goes out, unsigned.
        this.logger.error(`response signing failed: ${(e as Error).message}`);
      }
    }

    res.status(status);
    for (const [k, v] of Object.entries(headers)) {
      res.setHeader(k, v);
    }

    // 4. request log, off the request path
    if (state.account && this.logSink) {
      this.logSink.record(req, status, bytes, headers);
    }
    return bytes;
  }

  /** Middleware-level errors: no meta, no Keygen headers, no signature (spec 00 §4.3). */
  middlewareBody(
    res: Response,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): Buffer {
    res.status(status);
    res.setHeader('Content-Type', 'application/vnd.api+json; charset=utf-8');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    for (const [k, v] of Object.entries(headers)) {
      res.setHeader(k, v);
    }
    return Buffer.from(JSON.stringify(body));
  }
}
