import * as crypto from 'node:crypto';

const VERSION = 'v1';
const HKDF_INFO = 'keyward at-rest v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM sealing of secrets at rest (e.g. account private keys); key derived via HKDF-SHA256. */
export class SecretBox {
  private readonly key: Buffer;

  constructor(masterKey: string, salt = 'keyward') {
    if (masterKey.length === 0) {
      throw new Error('SecretBox master key must not be empty');
    }
    this.key = Buffer.from(crypto.hkdfSync('sha256', masterKey, salt, HKDF_INFO, 32));
  }

  /** Encrypts UTF-8 text into `v1.<iv>.<tag>.<ciphertext>` (base64url parts, random 12-byte IV). */
  encrypt(plaintext: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Decrypts a sealed value; throws if it is malformed, tampered with or sealed under another key. */
  decrypt(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new Error('SecretBox: malformed sealed value');
    }
    const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new Error('SecretBox: malformed sealed value');
    }
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('SecretBox: decryption failed (wrong key or tampered data)');
    }
  }
}
