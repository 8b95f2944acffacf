import * as crypto from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Key material generated once per account (spec 00 §8.4). */
export interface AccountKeyMaterial {
  ed25519PublicKeyHex: string;
  ed25519PrivateKeyPem: string;
  rsaPublicKeyPem: string;
  rsaPrivateKeyPem: string;
  ecdsaPublicKeyPem: string;
  ecdsaPrivateKeyPem: string;
  secretKey: string;
}

const SPKI_PEM = { type: 'spki', format: 'pem' } as const;
const PKCS8_PEM = { type: 'pkcs8', format: 'pem' } as const;

/** Generates a fresh Ed25519, RSA-2048 and ECDSA P-256 key set plus a 64-byte secret. */
export function generateAccountKeys(): AccountKeyMaterial {
  const ed = crypto.generateKeyPairSync('ed25519');
  const edSpki = ed.publicKey.export({ type: 'spki', format: 'der' });
  const rsa = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: SPKI_PEM,
    privateKeyEncoding: PKCS8_PEM,
  });
  const ec = crypto.generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: SPKI_PEM,
    privateKeyEncoding: PKCS8_PEM,
  });
  return {
    ed25519PublicKeyHex: edSpki.subarray(ED25519_SPKI_PREFIX.length).toString('hex'),
    ed25519PrivateKeyPem: ed.privateKey.export(PKCS8_PEM).toString(),
    rsaPublicKeyPem: rsa.publicKey,
    rsaPrivateKeyPem: rsa.privateKey,
    ecdsaPublicKeyPem: ec.publicKey,
    ecdsaPrivateKeyPem: ec.privateKey,
    secretKey: crypto.randomBytes(64).toString('hex'),
  };
}

/** Builds a public KeyObject from a 64-char hex raw Ed25519 public key; throws if malformed. */
export function ed25519PublicKeyFromHex(hex: string): crypto.KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error('Ed25519 public key must be 64 hex characters');
  }
  const der = Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]);
  return crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
}
