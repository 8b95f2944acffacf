import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { containsNullByte, errorDocument, parseJsonBody, snakeizeKeys, type JsonParseResult } from '@libs/jsonapi';
import type { AppConfig } from '@app/config/app.config';
import { BAD_BYTES_DETAIL } from '../errors/api-error';
import { uuidv7 } from '../ids';
import { JobQueue, QUEUES } from '../jobs/queues';
import { CURRENT_API_VERSION } from '../versioning/versions';
import { acceptAllowed, bodyTreatment } from './content-negotiation';
import type { KeywardRequest } from './http-state';
import { RateLimiter } from './rate-limiter';
import { EXPOSED_HEADERS, type ResponseFinalizer } from './response-finalizer';

/**
 * Everything Express-specific lives here, in Keygen's middleware order: request
 * state, CORS preflight, rate limits (Rack::Attack), ping and health, query
 * encoding, the singleplayer path rewrite, the Accept gate and lenient body parsing.
 * Errors raised here are middleware-level (spec 00 §4.3): no meta, no signature.
 */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PING_RE = /^\/v1\/(?:accounts\/[^/]+\/)?ping\/?$/;
const GLOBAL_SEGMENTS = new Set(['accounts', 'ping', 'health']);
/** Routes whose PUT is its own action (regenerate, relationship changes, legacy release upserts). */
const PUT_ROUTES = [
  /\/tokens(?:\/[^/]+)?\/?$/,
  /\/(?:licenses|machines|users)\/[^/]+\/(?:policy|group|owner|user)\/?$/,
  /\/releases(?:\/[^/]+\/(?:package|artifact))?\/?$/,
];
const ACCOUNT_LEVEL_RE = /^\/v1\/accounts(?:\/[^/]+)?\/?$/;

const MIME_INVALID = 'The mime type of the request is not acceptable (check content-type and accept headers)';
const JSON_INVALID = 'The request could not be completed because it contains invalid JSON (check formatting/encoding)';
const PARAMS_INVALID = 'The request could not be completed because it contains invalid query parameters (check encoding)';
const URI_INVALID =
  'The request could not be completed because the URI was invalid (please ensure non-URL safe chars are properly encoded)';
const METHOD_INVALID = 'The HTTP method for the request is not valid';

export function configureHttp(app: NestExpressApplication, config: AppConfig, finalizer: ResponseFinalizer): void {
  app.set('query parser', 'extended');
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('trust proxy', ['loopback', 'linklocal', 'uniquelocal', ...config.trustedProxies]);

  const limiter = app.get(RateLimiter);
  const jobs = app.get(JobQueue);
  answerParserErrors(app.getHttpServer() as Server);
  const fail = (res: Response, status: number, detail: string, code?: string): void => {
    const title = status === 413 ? 'Payload too large' : 'Bad request';
    res.end(finalizer.middlewareBody(res, status, errorDocument([{ title, detail, code }])));
  };

  app.use((req: Request, res: Response, next: NextFunction) => {
    const kreq = req as KeywardRequest;
    kreq.keyward = {
      requestId: uuidv7(),
      startedAt: Date.now(),
      originalUrl: req.originalUrl,
      method: req.method,
      apiVersion: CURRENT_API_VERSION,
      signatureAlgorithm: 'ed25519',
      authScheme: 'Bearer',
    };

    // CORS preflight is answered before anything else.
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.status(200);
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '');
      res.setHeader('Access-Control-Max-Age', '86400');
      res.end();
      return;
    }

    handle(kreq, res, next).catch(next);
  });

  async function handle(kreq: KeywardRequest, res: Response, next: NextFunction): Promise<void> {
    const req: Request = kreq;
    // Bodies are read up front: the password-reset limiter keys on meta.email.
    const treatment = BODY_METHODS.has(req.method) ? bodyTreatment(req.headers['content-type']) : null;
    let raw: Buffer | undefined;
    let parsed: JsonParseResult | undefined;
    if (treatment !== null) {
      const body = await readBody(req, config.maxBodyBytes);
      if (body === null) {
        fail(res, 413, 'The request body is too large');
        return;
      }
      raw = body;
      parsed = treatment === 'json' ? parseJsonBody(body) : undefined;
    }

    // Rate limits count every request before routing, like Rack::Attack (spec 00 §10).
    const queryStart = req.originalUrl.indexOf('?');
    const limit = await limiter.check({
      method: req.method,
      path: queryStart < 0 ? req.originalUrl : req.originalUrl.slice(0, queryStart),
      query: queryStart < 0 ? '' : req.originalUrl.slice(queryStart + 1),
      authorization: req.headers.authorization,
      queryParams: safeQuery(req),
      body: parsed?.ok ? parsed.value : undefined,
      ip: req.ip ?? req.socket.remoteAddress ?? '',
    });
    if (limit.kind === 'reject') {
      const { status, body, headers } = limit.rejection;
      res.end(finalizer.middlewareBody(res, status, body, headers));
      return;
    }
    kreq.keyward.rateLimitHeaders = limit.headers;

    const path = req.path;
    if (req.method === 'GET' && PING_RE.test(path)) {
      res.status(200).end();
      return;
    }
    if (req.method === 'GET' && /^\/v1\/health\/?$/.test(path)) {
      res.status(config.healthCheckStatus).end();
      return;
    }
    if (req.method === 'GET' && /^\/v1\/health\/webhooks\/?$/.test(path)) {
      // Keygen: a Sidekiq process is alive and the queue's latency is under the limit.
      const health = await jobs.health(QUEUES.webhooks).catch(() => null);
      const ok =
        health !== null &&
        health.workers > 0 &&
        health.latencyMs < config.maxQueueLatencySeconds * 1000;
      res.status(ok ? config.healthCheckStatus : 500).end();
      return;
    }

    if (queryStart >= 0) {
      try {
        decodeURIComponent(req.originalUrl.slice(queryStart + 1).replace(/\+/g, ' '));
      } catch {
        fail(res, 400, PARAMS_INVALID, 'PARAMETERS_INVALID');
        return;
      }
    }

    // Path params are percent-decoded by the router; reject what cannot be (spec 00 §2.4.6, §2.4.8).
    const pathProblem = undecodablePath(path);
    if (pathProblem === 'uri') {
      fail(res, 400, URI_INVALID, 'URI_INVALID');
      return;
    }
    if (pathProblem === 'encoding') {
      fail(res, 400, BAD_BYTES_DETAIL, 'ENCODING_INVALID');
      return;
    }

    // Singleplayer: /v1/<resource> is /v1/accounts/<KEYGEN_ACCOUNT_ID>/<resource>.
    if (config.mode === 'singleplayer' && config.accountId && path.startsWith('/v1/')) {
      const segment = path.split('/')[2] ?? '';
      if (segment !== '' && !GLOBAL_SEGMENTS.has(segment)) {
        req.url = `/v1/accounts/${config.accountId}${req.url.slice(3)}`;
      }
    }

    // compat: Keygen's routes take PUT wherever they take PATCH (Rails `resources`);
    // only the routes where PUT means something else keep it.
    if (req.method === 'PUT' && !PUT_ROUTES.some((re) => re.test(req.path))) {
      req.method = 'PATCH';
    }

    if (!acceptAllowed(req.headers.accept, ACCOUNT_LEVEL_RE.test(path))) {
      fail(res, 400, MIME_INVALID, 'MIME_TYPE_INVALID');
      return;
    }

    if (treatment === null) {
      next();
      return;
    }
    if (treatment === 'invalid') {
      fail(res, 400, MIME_INVALID, 'MIME_TYPE_INVALID');
      return;
    }
    kreq.keyward.rawBody = raw;
    req.body = {};
    if (parsed) {
      if (!parsed.ok) {
        fail(res, 400, JSON_INVALID, 'JSON_INVALID');
        return;
      }
      let value = parsed.value;
      if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
        value = { data: value };
      }
      if (value !== undefined) {
        if (containsNullByte(value)) {
          kreq.keyward.nullByte = true;
        }
        req.body = snakeizeKeys(value);
      }
    }
    next();
  }
}

/**
 * Requests Node's HTTP parser rejects never reach Express: answer an unknown method
 * or an unparseable request target with Keygen's JSON errors (spec 00 §2.4.8–9),
 * everything else as Node would (400, or 431 for oversized headers).
 */
function answerParserErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    let status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    let body = '';
    if (err.code === 'HPE_INVALID_METHOD' || err.code === 'HPE_INVALID_URL') {
      status = 400;
      const [detail, code] =
        err.code === 'HPE_INVALID_METHOD' ? [METHOD_INVALID, 'HTTP_METHOD_INVALID'] : [URI_INVALID, 'URI_INVALID'];
      body = JSON.stringify(errorDocument([{ title: 'Bad request', detail, code }]));
    }
    const headers = body
      ? 'Content-Type: application/vnd.api+json; charset=utf-8\r\n' +
        'Access-Control-Allow-Origin: *\r\n' +
        `Access-Control-Expose-Headers: ${EXPOSED_HEADERS}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n`
      : '';
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}Connection: close\r\n\r\n${body}`);
  });
}

/** 'uri' for a malformed %-escape, 'encoding' when the escapes are not UTF-8, else null. */
function undecodablePath(path: string): 'uri' | 'encoding' | null {
  if (!path.includes('%')) {
    return null;
  }
  if (/%(?![0-9a-fA-F]{2})/.test(path)) {
    return 'uri';
  }
  try {
    decodeURIComponent(path);
    return null;
  } catch {
    return 'encoding';
  }
}

/** Parsed query for the limiter; a query the parser rejects counts as empty. */
function safeQuery(req: Request): Record<string, unknown> {
  try {
    return (req.query ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function readBody(req: Request, limit: number | null): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (limit !== null && size > limit) {
        over = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
