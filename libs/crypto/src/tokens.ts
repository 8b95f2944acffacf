import * as crypto from 'node:crypto';

const V3_TOKEN_RE = /^[a-z]+-[0-9a-f]+v3$/;
const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Returns `bytes` cryptographically random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return crypto.randomBytes(bytes).toString('hex');
}

/** Mints a v3 token `<prefix>-<hex>v3` (32 bytes by default; 16 for license `activ` tokens). */
export function generateToken(prefix: string, bytes = 32): string {
  return `${prefix}-${randomHex(bytes)}v3`;
}

/**
 * Storage digest of a raw token: lowercase hex HMAC-SHA256(key, raw).
 * The HMAC key is the UTF-8 bytes of the account's hex `secretKey` string (128 ASCII chars), not
 * the 64 bytes it decodes to; this matches Keygen, which passes the hex string as the key. Changing
 * this would invalidate every stored token digest.
 */
export function tokenDigest(secretKeyHex: string, raw: string): string {
  return crypto
    .createHmac('sha256', Buffer.from(secretKeyHex, 'utf8'))
    .update(raw, 'utf8')
    .digest('hex');
}

/** True when the value resembles a UUID (8-4-4-4-12 hex digits, dashes optional, any case). */
export function looksLikeUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** True when the value has the v3 token shape `<prefix>-<hex>v3`. */
export function isV3Token(value: string): boolean {
  return V3_TOKEN_RE.test(value);
}

/** Compares two strings in constant time (length mismatch returns false without leaking content). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still spend comparable time so length differences are not trivially observable.
    crypto.timingSafeEqual(left, left);
    return false;
  }
  return crypto.timingSafeEqual(left, right);
}

/** Mints a raw password-reset token: 48 hex chars (24 random bytes) + `v3`. */
export function generatePasswordResetToken(): string {
  return `${randomHex(24)}v3`;
}
