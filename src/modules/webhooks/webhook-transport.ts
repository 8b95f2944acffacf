import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Transport failures Keygen records as `lastResponseBody` (spec 05 §4.5). */
export type TransportFailure =
  | 'SSL_ERROR'
  | 'REQ_TIMEOUT'
  | 'CONN_REFUSED'
  | 'CONN_RESET'
  | 'NET_UNREACH'
  | 'HOST_UNREACH'
  | 'DNS_ERROR'
  | 'EOF_ERROR';

/** Response bodies longer than this are recorded as `RES_BODY_TOO_LARGE`. */
export const MAX_RESPONSE_BODY_BYTES = 2048;
export const RES_BODY_TOO_LARGE = 'RES_BODY_TOO_LARGE';

export type SendResult =
  | { kind: 'response'; status: number; body: string }
  /** `failure` null: an error Keygen does not classify (retried, nothing recorded). */
  | { kind: 'error'; failure: TransportFailure | null; message: string };

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Socket inactivity limit: connecting, writing and reading each. */
  timeoutMs: number;
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS. */
  allowPrivateTargets: boolean;
}

const REFUSED = 'WEBHOOK_TARGET_REFUSED';
const TIMED_OUT = 'WEBHOOK_TIMEOUT';

/**
 * Addresses a delivery never connects to unless private targets are allowed (spec 05
 * §4.7): private, loopback, link-local (incl. cloud metadata), CGNAT, unspecified,
 * benchmark, multicast and reserved ranges.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** An IPv4 address embedded in an IPv6 one (`::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`). */
function embeddedIpv4(address: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) {
    return m[1];
  }
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/** Whether a delivery to this IP address is refused without the opt-in. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    return BLOCKED.check(address, 'ipv4');
  }
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    return v4 !== null ? BLOCKED.check(v4, 'ipv4') : BLOCKED.check(address, 'ipv6');
  }
  return true;
}

function refused(host: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`refusing private address for ${host}`);
  e.code = REFUSED;
  return e;
}

/**
 * Resolves like the default lookup, then refuses the host when any of its addresses
 * is private, so the address checked is the address connected to (no DNS rebinding).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) {
      callback(err, '', 0);
      return;
    }
    const list = addresses as dns.LookupAddress[];
    if (list.length === 0 || list.some((a) => isPrivateAddress(a.address))) {
      callback(refused(hostname), '', 0);
      return;
    }
    if ((options as dns.LookupAllOptions).all) {
      (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    } else {
      callback(null, list[0].address, list[0].family);
    }
  });
};

const TLS_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'HOSTNAME_MISMATCH',
]);

/** Maps a Node request error to Keygen's failure tag (null: unclassified). */
export function classifyError(e: NodeJS.ErrnoException): TransportFailure | null {
  const code = e.code ?? '';
  if (code === REFUSED) {
    return 'DNS_ERROR';
  }
  if (code === TIMED_OUT || code === 'ETIMEDOUT') {
    return 'REQ_TIMEOUT';
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
    return 'SSL_ERROR';
  }
  switch (code) {
    case 'ECONNREFUSED':
      return 'CONN_REFUSED';
    case 'ECONNRESET':
      // Closed before any response ("socket hang up") is Ruby's EOFError; a reset is not.
      return e.syscall === undefined && e.message === 'socket hang up' ? 'EOF_ERROR' : 'CONN_RESET';
    case 'EPIPE':
      return 'CONN_RESET';
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return 'NET_UNREACH';
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return 'HOST_UNREACH';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return 'DNS_ERROR';
    default:
      return null;
  }
}

/** The URL host without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * POSTs one delivery. Redirects are never followed (a 3xx is just a status), the
 * response body is read up to the recording limit, and without the opt-in the
 * target must be https on a public address.
 */
export function sendWebhook(req: SendRequest): Promise<SendResult> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve({ kind: 'error', failure: 'DNS_ERROR', message: 'unparsable URL' });
  }
  const secure = url.protocol === 'https:';
  if (!req.allowPrivateTargets) {
    const host = bareHost(url);
    if (!secure || (isIP(host) !== 0 && isPrivateAddress(host))) {
      return Promise.resolve({ kind: 'error', failure: 'DNS_ERROR', message: 'target refused' });
    }
  } else if (!secure && url.protocol !== 'http:') {
    return Promise.resolve({ kind: 'error', failure: 'DNS_ERROR', message: 'unsupported scheme' });
  }

  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: SendResult): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const options: https.RequestOptions = {
      method: 'POST',
      headers: { ...req.headers, 'Content-Length': String(req.body.length) },
      timeout: req.timeoutMs,
      agent: false,
    };
    if (!req.allowPrivateTargets) {
      options.lookup = guardedLookup;
    }
    const client = secure ? https : http;
    const outgoing = client.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BODY_BYTES) {
          finish({ kind: 'response', status: res.statusCode ?? 0, body: RES_BODY_TOO_LARGE });
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        finish({
          kind: 'response',
          status: res.statusCode ?? 0,
          // Postgres text cannot hold NUL characters.
          body: Buffer.concat(chunks).toString('utf8').replaceAll('\u0000', ''),
        }),
      );
      res.on('error', (e: NodeJS.ErrnoException) =>
        finish({ kind: 'error', failure: classifyError(e), message: e.message }),
      );
    });
    outgoing.on('timeout', () => {
      const e: NodeJS.ErrnoException = new Error('webhook request timed out');
      e.code = TIMED_OUT;
      outgoing.destroy(e);
    });
    outgoing.on('error', (e: NodeJS.ErrnoException) =>
      finish({ kind: 'error', failure: classifyError(e), message: e.message }),
    );
    outgoing.end(req.body);
  });
}
