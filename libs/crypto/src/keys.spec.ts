import * as crypto from 'node:crypto';

import { type AccountKeyMaterial, ed25519PublicKeyFromHex, generateAccountKeys } from './keys';

describe('generateAccountKeys', () => {
  let keys: AccountKeyMaterial;

  beforeAll(() => {
    keys = generateAccountKeys();
  });

  it('produces a 64-char lowercase hex Ed25519 public key', () => {
    expect(keys.ed25519PublicKeyHex).toMatch(/^[0-9a-f]{64}$/);
  });

  it('produces a 128-char hex secret key', () => {
    expect(keys.secretKey).toMatch(/^[0-9a-f]{128}$/);
  });

  it('uses SPKI public PEMs and PKCS8 private PEMs', () => {
    for (const pem of [keys.rsaPublicKeyPem, keys.ecdsaPublicKeyPem]) {
      expect(pem.startsWith('-----BEGIN PUBLIC KEY-----')).toBe(true);
    }
    for (const pem of [keys.ed25519PrivateKeyPem, keys.rsaPrivateKeyPem, keys.ecdsaPrivateKeyPem]) {
      expect(pem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    }
  });

  it('generates RSA-2048 and P-256 keys', () => {
    const rsa = crypto.createPublicKey(keys.rsaPublicKeyPem);
    expect(rsa.asymmetricKeyType).toBe('rsa');
    expect(rsa.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const ec = crypto.createPublicKey(keys.ecdsaPublicKeyPem);
    expect(ec.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('generates different material on every call', () => {
    const other = generateAccountKeys();
    expect(other.ed25519PublicKeyHex).not.toBe(keys.ed25519PublicKeyHex);
    expect(other.secretKey).not.toBe(keys.secretKey);
  });
});

describe('ed25519PublicKeyFromHex', () => {
  it('round-trips to the public key derived from the private key', () => {
    const keys = generateAccountKeys();
    const fromHex = ed25519PublicKeyFromHex(keys.ed25519PublicKeyHex);
    const fromPrivate = crypto.createPublicKey(keys.ed25519PrivateKeyPem);
    expect(fromHex.asymmetricKeyType).toBe('ed25519');
    expect(fromHex.export({ type: 'spki', format: 'der' })).toEqual(
      fromPrivate.export({ type: 'spki', format: 'der' }),
    );
  });

  it('rejects malformed hex', () => {
    expect(() => ed25519PublicKeyFromHex('abcd')).toThrow();
    expect(() => ed25519PublicKeyFromHex('z'.repeat(64))).toThrow();
  });
});
