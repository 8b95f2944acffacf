import * as crypto from 'node:crypto';

import type { SignatureAlgorithm } from './signer';

const SUPPORTED_ALGORITHMS: readonly SignatureAlgorithm[] = [
  'ed25519',
  'rsa-pss-sha256',
  'rsa-sha256',
  'ecdsa-p256',
];

/**
 * `Keygen-Accept-Signature` grammar (spec 00 §8.1): optional keyid, optional comma, mandatory
 * algorithm, optional trailing semicolon. Without a comma the algorithm must follow the keyid
 * directly, so `keyid="x" algorithm="…"` is malformed (same as Keygen). No whitespace is
 * allowed around `=` (Keygen's regex has none).
 */
const ACCEPT_SIGNATURE_RE =
  /^\s*(?:keyid="([^"]+)")?(?:\s*,\s*)?algorithm="([^"]+)"(?:\s*;)?\s*$/i;

/** Result of parsing a `Keygen-Accept-Signature` request header. */
export type AcceptSignature =
  | { ok: true; algorithm: SignatureAlgorithm; keyid?: string }
  | { ok: false; reason: 'malformed' | 'unsupported algorithm' };

/** Returns the `Digest` header value: `sha-256=<base64 SHA-256 of the body bytes>`. */
export function sha256Digest(body: Buffer | string): string {
  return `sha-256=${crypto.createHash('sha256').update(body).digest('base64')}`;
}

/** Formats a date as an IMF-fixdate, e.g. `Wed, 09 Jun 2021 16:08:15 GMT`. */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

/** Strips a `:port` suffix from a Host value, keeping IPv6 brackets (`[::1]:80` → `[::1]`). */
function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  // More than one colon means a bare IPv6 literal: nothing to strip unambiguously.
  if (colon === -1 || host.indexOf(':', colon + 1) !== -1) {
    return host;
  }
  return host.slice(0, colon);
}

/** Builds the four-line signing string for response/webhook signatures (no trailing newline). */
export function signingString(p: {
  method: string;
  target: string;
  host: string;
  date: string;
  digest: string;
}): string {
  return [
    `(request-target): ${p.method.toLowerCase()} ${p.target === '' ? '/' : p.target}`,
    `host: ${stripPort(p.host)}`,
    `date: ${p.date}`,
    `digest: ${p.digest}`,
  ].join('\n');
}

/** Parses `Keygen-Accept-Signature`; absent or blank selects ed25519. */
export function parseAcceptSignature(header: string | undefined): AcceptSignature {
  if (header === undefined || header.trim() === '') {
    return { ok: true, algorithm: 'ed25519' };
  }
  const match = ACCEPT_SIGNATURE_RE.exec(header);
  if (!match) {
    return { ok: false, reason: 'malformed' };
  }
  const algorithm = match[2].toLowerCase();
  if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(algorithm)) {
    return { ok: false, reason: 'unsupported algorithm' };
  }
  const result: AcceptSignature = { ok: true, algorithm: algorithm as SignatureAlgorithm };
  if (match[1] !== undefined) {
    result.keyid = match[1];
  }
  return result;
}

/** Formats the `Keygen-Signature` response header value. */
export function signatureHeader(p: {
  keyid: string;
  algorithm: SignatureAlgorithm;
  signature: string;
}): string {
  return (
    `keyid="${p.keyid}", algorithm="${p.algorithm}", signature="${p.signature}", ` +
    'headers="(request-target) host date digest"'
  );
}

/** Parses a `Keygen-Signature` header into its four parameters; null if any is missing. */
export function parseSignatureHeader(
  value: string,
): { keyid: string; algorithm: string; signature: string; headers: string } | null {
  const params = new Map<string, string>();
  const param = /\s*([A-Za-z][A-Za-z0-9-]*)\s*=\s*"([^"]*)"\s*(?:,|$)/y;
  let lastIndex = 0;
  while (lastIndex < value.length) {
    param.lastIndex = lastIndex;
    const match = param.exec(value);
    if (!match) {
      if (value.slice(lastIndex).trim() === '') {
        break;
      }
      return null;
    }
    params.set(match[1].toLowerCase(), match[2]);
    lastIndex = param.lastIndex;
  }
  const keyid = params.get('keyid');
  const algorithm = params.get('algorithm');
  const signature = params.get('signature');
  const headers = params.get('headers');
  if (keyid === undefined || algorithm === undefined) {
    return null;
  }
  if (signature === undefined || headers === undefined) {
    return null;
  }
  return { keyid, algorithm, signature, headers };
}
