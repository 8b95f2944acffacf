import * as crypto from 'node:crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_MS = 30_000;
const DIGITS = 6;
/** Codes up to this many milliseconds behind the current time are still accepted. */
const ALLOWED_DRIFT_BEHIND_MS = 10_000;

/** Encodes bytes as RFC 4648 base32 without padding. */
export function base32Encode(b: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of b) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) {
    out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  }
  return out;
}

/** Decodes RFC 4648 base32 (case-insensitive; padding, spaces and dashes ignored); throws on bad chars. */
export function base32Decode(s: string): Buffer {
  const clean = s.replace(/[\s=-]/g, '').toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const value = BASE32_ALPHABET.indexOf(ch);
    if (value === -1) {
      throw new Error(`Invalid base32 character: ${JSON.stringify(ch)}`);
    }
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** Generates a TOTP secret: base32 of 20 random bytes (160 bits). */
export function generateTotpSecret(): string {
  return base32Encode(crypto.randomBytes(20));
}

/** HOTP (RFC 4226) value for a counter, as a zero-padded decimal string. */
function hotp(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

/** Computes the 6-digit RFC 6238 (SHA-1, 30 s) code for a base32 secret at the given time. */
export function totpCode(secretBase32: string, timeMs: number): string {
  return hotp(base32Decode(secretBase32), Math.floor(timeMs / STEP_MS));
}

/**
 * Verifies a code against the current step and the step 10 s earlier; returns the matched step,
 * or null when invalid or replayed (step not later than lastUsedStep).
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  nowMs: number,
  lastUsedStep?: number | null,
): number | null {
  if (!/^\d{6}$/.test(code)) {
    return null;
  }
  let key: Buffer;
  try {
    key = base32Decode(secretBase32);
  } catch {
    return null;
  }
  const current = Math.floor(nowMs / STEP_MS);
  const earliest = Math.floor((nowMs - ALLOWED_DRIFT_BEHIND_MS) / STEP_MS);
  const expected = Buffer.from(code, 'utf8');
  let matched: number | null = null;
  // Check every candidate (no early exit) so timing does not reveal which step matched;
  // the latest matching step wins.
  for (let step = earliest; step <= current; step++) {
    const candidate = Buffer.from(hotp(key, step), 'utf8');
    if (crypto.timingSafeEqual(candidate, expected)) {
      matched = step;
    }
  }
  if (matched === null) {
    return null;
  }
  if (lastUsedStep !== undefined && lastUsedStep !== null && matched <= lastUsedStep) {
    return null;
  }
  return matched;
}

/** Builds an `otpauth://totp/...` provisioning URI (issuer defaults to `Keygen`). */
export function totpUri(p: { secret: string; account: string; issuer?: string }): string {
  const issuer = p.issuer ?? 'Keygen';
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(p.account)}`;
  return `otpauth://totp/${label}?secret=${p.secret}&issuer=${encodeURIComponent(issuer)}`;
}
