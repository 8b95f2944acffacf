import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { containsNullByte, errorDocument, parseJsonBody, snakeizeKeys } from '@libs/jsonapi';
import type { AppConfig } from '@app/config/app.config';
import { uuidv7 } from '../ids';
import { CURRENT_API_VERSION } from '../versioning/versions';
import { acceptAllowed, bodyTreatment } from './content-negotiation';
import type { KeywardRequest } from './http-state';
import type { ResponseFinalizer } from './response-finalizer';

/**
 * Everything Express-specific lives here: request state, CORS preflight, ping and
 * health, the singleplayer path rewrite, the Accept gate and lenient body parsing.
 * Errors raised here are middleware-level (spec 00 §4.3): no meta, no signature.
 */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PING_RE = /^\/v1\/(?:accounts\/[^/]+\/)?ping\/?$/;
const GLOBAL_SEGMENTS = new Set(['accounts', 'ping', 'health']);
const ACCOUNT_LEVEL_RE = /^\/v1\/accounts(?:\/[^/]+)?\/?$/;

const MIME_INVALID = 'The mime type of the request is not acceptable (check content-type and accept headers)';
const JSON_INVALID = 'The request could not be completed because it contains invalid JSON (check formatting/encoding)';
const PARAMS_INVALID = 'The request could not be completed because it contains invalid query parameters (check encoding)';

export function configureHttp(app: NestExpressApplication, config: AppConfig, finalizer: ResponseFinalizer): void {
  app.set('query parser', 'extended');
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('trust proxy', ['loopback', 'linklocal', 'uniquelocal', ...config.trustedProxies]);

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

    const path = req.path;
    if (req.method === 'GET' && PING_RE.test(path)) {
      res.status(200).end();
      return;
    }
    if (req.method === 'GET' && /^\/v1\/health\/?$/.test(path)) {
      res.status(config.healthCheckStatus).end();
      return;
    }

    const queryStart = req.originalUrl.indexOf('?');
    if (queryStart >= 0) {
      try {
        decodeURIComponent(req.originalUrl.slice(queryStart + 1).replace(/\+/g, ' '));
      } catch {
        fail(res, 400, PARAMS_INVALID, 'PARAMETERS_INVALID');
        return;
      }
    }

    // Singleplayer: /v1/<resource> is /v1/accounts/<KEYGEN_ACCOUNT_ID>/<resource>.
    if (config.mode === 'singleplayer' && config.accountId && path.startsWith('/v1/')) {
      const segment = path.split('/')[2] ?? '';
      if (segment !== '' && !GLOBAL_SEGMENTS.has(segment)) {
        req.url = `/v1/accounts/${config.accountId}${req.url.slice(3)}`;
      }
    }

    if (!acceptAllowed(req.headers.accept, ACCOUNT_LEVEL_RE.test(path))) {
      fail(res, 400, MIME_INVALID, 'MIME_TYPE_INVALID');
      return;
    }

    if (!BODY_METHODS.has(req.method)) {
      next();
      return;
    }
    const treatment = bodyTreatment(req.headers['content-type']);
    if (treatment === 'invalid') {
      fail(res, 400, MIME_INVALID, 'MIME_TYPE_INVALID');
      return;
    }
    readBody(req, config.maxBodyBytes)
      .then((raw) => {
        if (raw === null) {
          fail(res, 413, 'The request body is too large');
          return;
        }
        kreq.keyward.rawBody = raw;
        req.body = {};
        if (treatment === 'json') {
          const parsed = parseJsonBody(raw);
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
      })
      .catch(next);
  });
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
