import * as crypto from 'node:crypto';

import { ed25519PublicKeyFromHex } from './keys';

/** Response/webhook signature algorithms supported by Keygen (spec 00 §8.1). */
export type SignatureAlgorithm = 'ed25519' | 'rsa-pss-sha256' | 'rsa-sha256' | 'ecdsa-p256';

type PrivateKeys = {
  ed25519PrivateKeyPem: string;
  rsaPrivateKeyPem: string;
  ecdsaPrivateKeyPem: string;
};

/** Signs data with an account's private keys; KeyObjects are parsed lazily once and cached. */
export class AccountSigner {
  private ed25519Key?: crypto.KeyObject;
  private rsaKey?: crypto.KeyObject;
  private ecdsaKey?: crypto.KeyObject;

  constructor(private readonly keys: PrivateKeys) {}

  /**
   * Like `sign`, but the RSA algorithms (~250 µs each) are computed on libuv's thread
   * pool so the event loop keeps serving other requests meanwhile. Ed25519 and ECDSA
   * (~25-30 µs) are signed inline: a thread-pool hop costs more CPU than they do
   * (measured: ~60 µs of CPU per async Ed25519 signature, ~26 µs inline).
   */
  signAsync(algorithm: SignatureAlgorithm, data: string | Buffer): Promise<string> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (algorithm === 'ed25519' || algorithm === 'ecdsa-p256') {
      try {
        return Promise.resolve(this.sign(algorithm, bytes));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    const [digest, key] = this.signingParams(algorithm);
    return new Promise((resolve, reject) => {
      crypto.sign(digest, bytes, key, (err, sig) =>
        err ? reject(err) : resolve(sig.toString('base64')),
      );
    });
  }

  private signingParams(
    algorithm: SignatureAlgorithm,
  ): [string | null, crypto.KeyObject | crypto.SignKeyObjectInput] {
    switch (algorithm) {
      case 'ed25519':
        return [null, this.ed25519()];
      case 'rsa-pss-sha256':
        return [
          'sha256',
          {
            key: this.rsa(),
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: crypto.constants.RSA_PSS_SALTLEN_MAX_SIGN,
          },
        ];
      case 'rsa-sha256':
        return ['sha256', { key: this.rsa(), padding: crypto.constants.RSA_PKCS1_PADDING }];
      case 'ecdsa-p256':
        return ['sha256', { key: this.ecdsa(), dsaEncoding: 'der' }];
      default:
        throw new Error(`Unsupported signature algorithm: ${String(algorithm)}`);
    }
  }

  /** Signs data with the given algorithm and returns standard padded base64. */
  sign(algorithm: SignatureAlgorithm, data: string | Buffer): string {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    switch (algorithm) {
      case 'ed25519':
        return crypto.sign(null, bytes, this.ed25519()).toString('base64');
      case 'rsa-pss-sha256':
        return crypto
          .sign('sha256', bytes, {
            key: this.rsa(),
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: crypto.constants.RSA_PSS_SALTLEN_MAX_SIGN,
          })
          .toString('base64');
      case 'rsa-sha256':
        return crypto
          .sign('sha256', bytes, { key: this.rsa(), padding: crypto.constants.RSA_PKCS1_PADDING })
          .toString('base64');
      case 'ecdsa-p256':
        return crypto
          .sign('sha256', bytes, { key: this.ecdsa(), dsaEncoding: 'der' })
          .toString('base64');
      default:
        throw new Error(`Unsupported signature algorithm: ${String(algorithm)}`);
    }
  }

  private ed25519(): crypto.KeyObject {
    this.ed25519Key ??= crypto.createPrivateKey(this.keys.ed25519PrivateKeyPem);
    return this.ed25519Key;
  }

  private rsa(): crypto.KeyObject {
    this.rsaKey ??= crypto.createPrivateKey(this.keys.rsaPrivateKeyPem);
    return this.rsaKey;
  }

  private ecdsa(): crypto.KeyObject {
    this.ecdsaKey ??= crypto.createPrivateKey(this.keys.ecdsaPrivateKeyPem);
    return this.ecdsaKey;
  }
}

/** Verifies a base64 signature (hex public key for ed25519, SPKI PEM otherwise); never throws. */
export function verifySignature(
  algorithm: SignatureAlgorithm,
  publicKey: string,
  data: string | Buffer,
  signatureB64: string,
): boolean {
  try {
    if (typeof signatureB64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(signatureB64)) {
      return false;
    }
    const signature = Buffer.from(signatureB64, 'base64');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    switch (algorithm) {
      case 'ed25519':
        return crypto.verify(null, bytes, ed25519PublicKeyFromHex(publicKey), signature);
      case 'rsa-pss-sha256':
        return crypto.verify(
          'sha256',
          bytes,
          {
            key: crypto.createPublicKey(publicKey),
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO,
          },
          signature,
        );
      case 'rsa-sha256':
        return crypto.verify(
          'sha256',
          bytes,
          { key: crypto.createPublicKey(publicKey), padding: crypto.constants.RSA_PKCS1_PADDING },
          signature,
        );
      case 'ecdsa-p256':
        return crypto.verify(
          'sha256',
          bytes,
          { key: crypto.createPublicKey(publicKey), dsaEncoding: 'der' },
          signature,
        );
      default:
        return false;
    }
  } catch {
    return false;
  }
}
