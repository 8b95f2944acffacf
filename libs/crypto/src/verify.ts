import * as ed from '@noble/ed25519';

import { constantTimeEqual } from './tokens';
import { parseSignatureHeader, sha256Digest, signingString } from './http-signature';

/** DER prefix of an Ed25519 PKCS#8 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = '302e020100300506032b657004220420';
const SIGNED_HEADERS = '(request-target) host date digest';

/**
 * Copies bytes into a Uint8Array of this realm: noble checks `instanceof Uint8Array`, which a
 * Buffer can fail under sandboxes such as jest. Strings are UTF-8 encoded (noble would treat a
 * string as hex).
 */
function toBytes(data: string | Uint8Array): Uint8Array {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return new Uint8Array(buffer);
}

/** Decodes standard (or url-safe) base64, returning null when the input is not base64. */
function decodeBase64(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) {
    return null;
  }
  return toBytes(Buffer.from(value, 'base64'));
}

/** Verifies a base64 Ed25519 signature with @noble/ed25519 (independent of node:crypto). */
export async function verifyEd25519WithNoble(
  publicKeyHex: string,
  message: string | Buffer,
  signatureB64: string,
): Promise<boolean> {
  if (!/^[0-9a-fA-F]{64}$/.test(publicKeyHex)) {
    return false;
  }
  const signature = decodeBase64(signatureB64);
  if (signature === null || signature.length !== 64) {
    return false;
  }
  try {
    return await ed.verify(signature, toBytes(message), publicKeyHex.toLowerCase());
  } catch {
    return false;
  }
}

/** Signs with @noble/ed25519 using the seed from a PKCS#8 PEM key; returns base64 (test aid). */
export async function signEd25519WithNoble(
  privateKeyPem: string,
  message: string | Buffer,
): Promise<string> {
  const body = privateKeyPem
    .replace(/-----BEGIN PRIVATE KEY-----|-----END PRIVATE KEY-----/g, '')
    .replace(/\s+/g, '');
  const der = Buffer.from(body, 'base64');
  if (der.length !== 48 || !der.subarray(0, 16).equals(Buffer.from(ED25519_PKCS8_PREFIX, 'hex'))) {
    throw new Error('Expected an unencrypted Ed25519 PKCS#8 PEM private key');
  }
  const seed = toBytes(der.subarray(der.length - 32));
  const signature = await ed.sign(toBytes(message), seed);
  return Buffer.from(signature).toString('base64');
}

/**
 * Verifies a signed Keygen response offline: the body must match the Digest header and the
 * Keygen-Signature (ed25519) must cover the rebuilt signing string. Date freshness is not checked.
 */
export async function verifyKeygenResponse(p: {
  publicKeyHex: string;
  method: string;
  target: string;
  host: string;
  headers: { date: string; digest: string; 'keygen-signature': string };
  body: Buffer | string;
}): Promise<boolean> {
  const digest = sha256Digest(p.body);
  if (!constantTimeEqual(digest, p.headers.digest)) {
    return false;
  }
  const parsed = parseSignatureHeader(p.headers['keygen-signature']);
  if (parsed === null) {
    return false;
  }
  if (parsed.algorithm.toLowerCase() !== 'ed25519' || parsed.headers !== SIGNED_HEADERS) {
    return false;
  }
  const message = signingString({
    method: p.method,
    target: p.target,
    host: p.host,
    date: p.headers.date,
    digest: p.headers.digest,
  });
  return verifyEd25519WithNoble(p.publicKeyHex, message, parsed.signature);
}
