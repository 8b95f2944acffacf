import { constants, createHash, createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEndpoint } from '@app/modules/webhooks/webhook-endpoint.entity';
import type { WebhookEvent } from '@app/modules/webhooks/webhook-event.entity';

/** Env for apps whose deliveries reach a local receiver and retry without waiting. */
export const LOCAL_DELIVERY_ENV = {
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOKS_RETRY_UNIT_MS: '1',
  WEBHOOKS_RETRY_JITTER_UNITS: '0',
};

/** `{ data: { type: 'webhook-endpoints', attributes, ... } }` */
export function endpointDoc(
  attributes: Record<string, unknown>,
  extra: { relationships?: Record<string, unknown>; id?: string; type?: string } = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = { type: extra.type ?? 'webhook-endpoints' };
  if (extra.id !== undefined) {
    data.id = extra.id;
  }
  data.attributes = attributes;
  if (extra.relationships) {
    data.relationships = extra.relationships;
  }
  return { data };
}

const rel = (accountId: string, type: string, id: string | null) =>
  id
    ? { links: { related: `/v1/accounts/${accountId}/${type}/${id}` }, data: { type, id } }
    : { links: { related: null }, data: null };

/** The full `webhook-endpoints` resource object Keygen renders. */
export function endpointResource(e: WebhookEndpoint, overrides: Record<string, unknown> = {}) {
  const base = `/v1/accounts/${e.accountId}`;
  return {
    id: e.id,
    type: 'webhook-endpoints',
    attributes: {
      url: e.url,
      subscriptions: e.subscriptions,
      signatureAlgorithm: e.signatureAlgorithm,
      apiVersion: e.apiVersion,
      created: e.createdAt.toISOString(),
      updated: e.updatedAt.toISOString(),
      ...overrides,
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: e.accountId } },
      environment: rel(e.accountId, 'environments', e.environmentId),
      product: rel(e.accountId, 'products', e.productId),
    },
    links: { self: `${base}/webhook-endpoints/${e.id}` },
  };
}

/** The full `webhook-events` resource object Keygen renders. */
export function eventResource(e: WebhookEvent, overrides: Record<string, unknown> = {}) {
  const base = `/v1/accounts/${e.accountId}`;
  return {
    id: e.id,
    type: 'webhook-events',
    attributes: {
      endpoint: e.endpoint,
      apiVersion: e.apiVersion,
      payload: e.payload,
      event: e.event,
      status: e.status,
      lastResponseCode: e.lastResponseCode,
      lastResponseBody: e.lastResponseBody,
      created: e.createdAt.toISOString(),
      updated: e.updatedAt.toISOString(),
      ...overrides,
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: e.accountId } },
      environment: rel(e.accountId, 'environments', e.environmentId),
    },
    links: { self: `${base}/webhook-events/${e.id}` },
    meta: { idempotencyToken: e.idempotencyToken },
  };
}

/** A 422 item as Keygen renders webhook endpoint model errors. */
export const endpointError = (attr: string, code: string, detail: string) => ({
  title: 'Unprocessable resource',
  detail,
  code,
  source: { pointer: `/data/attributes/${attr}` },
  links: {
    about: `https://keygen.sh/docs/api/webhook-endpoints/#webhook-endpoints-object-attrs-${attr}`,
  },
});

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Reply = { status: number; body?: string } | 'hang' | 'destroy';

/**
 * A real HTTP receiver on 127.0.0.1. Replies come from `replies` in order, then
 * `fallback`. `hang` keeps the request open; `destroy` drops the connection.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  replies: Reply[] = [];
  fallback: Reply = { status: 200, body: 'ok' };
  private server: Server | null = null;
  private readonly waiters: Array<{ n: number; resolve: () => void }> = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
        });
        for (const w of [...this.waiters]) {
          if (this.requests.length >= w.n) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve();
          }
        }
        const reply = this.replies.shift() ?? this.fallback;
        if (reply === 'hang') {
          return;
        }
        if (reply === 'destroy') {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status, { 'Content-Type': 'text/plain' });
        res.end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  url(path = '/hooks'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Resolves once `n` requests arrived in total. */
  waitFor(n: number): Promise<void> {
    if (this.requests.length >= n) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async stop(): Promise<void> {
    if (!this.server) {
      return;
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/**
 * An independent verifier for a delivery's Keygen-Signature (node:crypto only, written
 * from spec 05 §4.3): digest of the exact body, then the four-line signing string
 * with the endpoint's host and `post <path>`.
 */
export function verifyDelivery(
  req: ReceivedRequest,
  opts: { host: string; keys: { ed25519: string; rsa: string; ecdsa: string } },
): boolean {
  const digest = `sha-256=${createHash('sha256').update(req.body).digest('base64')}`;
  if (req.headers.digest !== digest || req.headers['keygen-digest'] !== digest) {
    return false;
  }
  const header = String(req.headers['keygen-signature'] ?? '');
  const fields = Object.fromEntries(
    [...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  ) as Record<string, string>;
  if (fields.headers !== '(request-target) host date digest') {
    return false;
  }
  const signing = [
    `(request-target): post ${req.url}`,
    `host: ${opts.host}`,
    `date: ${String(req.headers.date)}`,
    `digest: ${digest}`,
  ].join('\n');
  const data = Buffer.from(signing, 'utf8');
  const sig = Buffer.from(fields.signature, 'base64');
  switch (fields.algorithm) {
    case 'ed25519': {
      const key = createPublicKey({
        key: Buffer.concat([
          Buffer.from('302a300506032b6570032100', 'hex'),
          Buffer.from(opts.keys.ed25519, 'hex'),
        ]),
        format: 'der',
        type: 'spki',
      });
      return verify(null, data, key, sig);
    }
    case 'rsa-pss-sha256':
      return verify(
        'sha256',
        data,
        {
          key: opts.keys.rsa,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_AUTO,
        },
        sig,
      );
    case 'rsa-sha256':
      return verify('sha256', data, opts.keys.rsa, sig);
    case 'ecdsa-p256':
      return verify('sha256', data, opts.keys.ecdsa, sig);
    default:
      return false;
  }
}
