import * as crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

const N = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Upper bounds on accepted parameters so a stored hash cannot trigger unbounded work. */
const MAX_N = 1 << 17;
const MAX_RP = 16;

/** Hashes a password with scrypt: `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const hash = await scrypt(password, salt, KEY_BYTES, {
    N,
    r: R,
    p: P,
  });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Checks a password against a stored scrypt hash in constant time; false if the hash is malformed. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    return false;
  }
  const [n, r, p] = parts.slice(1, 4).map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
  if (!Number.isSafeInteger(n) || n < 2 || n > MAX_N || (n & (n - 1)) !== 0) {
    return false;
  }
  if (!Number.isSafeInteger(r) || r < 1 || r > MAX_RP) {
    return false;
  }
  if (!Number.isSafeInteger(p) || p < 1 || p > MAX_RP) {
    return false;
  }
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (salt.length === 0 || expected.length === 0) {
    return false;
  }
  try {
    const actual = await scrypt(password, salt, expected.length, {
      N: n,
      r,
      p,
      maxmem: 256 * n * r + 1024 * 1024,
    });
    return crypto.timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
