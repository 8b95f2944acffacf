import * as crypto from 'node:crypto';
// Default import = the real module object, so spies are seen by signer.ts's namespace import.
import nodeCrypto from 'node:crypto';

import { type AccountKeyMaterial, generateAccountKeys } from './keys';
import { AccountSigner, type SignatureAlgorithm, verifySignature } from './signer';

const ALGORITHMS: SignatureAlgorithm[] = ['ed25519', 'rsa-pss-sha256', 'rsa-sha256', 'ecdsa-p256'];

function publicKeyFor(keys: AccountKeyMaterial, algorithm: SignatureAlgorithm): string {
  if (algorithm === 'ed25519') {
    return keys.ed25519PublicKeyHex;
  }
  return algorithm === 'ecdsa-p256' ? keys.ecdsaPublicKeyPem : keys.rsaPublicKeyPem;
}

describe('AccountSigner / verifySignature', () => {
  let keys: AccountKeyMaterial;
  let signer: AccountSigner;
  const data = '(request-target): get /v1/ping\nhost: api.example.com';

  beforeAll(() => {
    keys = generateAccountKeys();
    signer = new AccountSigner(keys);
  });

  it.each(ALGORITHMS)('%s: round-trips sign/verify', (algorithm) => {
    const signature = signer.sign(algorithm, data);
    expect(signature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(verifySignature(algorithm, publicKeyFor(keys, algorithm), data, signature)).toBe(true);
    expect(
      verifySignature(algorithm, publicKeyFor(keys, algorithm), Buffer.from(data), signature),
    ).toBe(true);
  });

  it.each(ALGORITHMS)('%s: tampered data or signature fails', (algorithm) => {
    const signature = signer.sign(algorithm, data);
    const publicKey = publicKeyFor(keys, algorithm);
    expect(verifySignature(algorithm, publicKey, `${data}x`, signature)).toBe(false);
    const bytes = Buffer.from(signature, 'base64');
    bytes[bytes.length - 1] ^= 0x01;
    expect(verifySignature(algorithm, publicKey, data, bytes.toString('base64'))).toBe(false);
  });

  it.each(ALGORITHMS)('%s: wrong key fails', (algorithm) => {
    const other = generateAccountKeys();
    const signature = signer.sign(algorithm, data);
    expect(verifySignature(algorithm, publicKeyFor(other, algorithm), data, signature)).toBe(false);
  });

  it('produces the expected signature sizes and encodings', () => {
    expect(Buffer.from(signer.sign('ed25519', data), 'base64')).toHaveLength(64);
    expect(Buffer.from(signer.sign('rsa-sha256', data), 'base64')).toHaveLength(256);
    expect(Buffer.from(signer.sign('rsa-pss-sha256', data), 'base64')).toHaveLength(256);
    // DER SEQUENCE tag for ECDSA signatures
    expect(Buffer.from(signer.sign('ecdsa-p256', data), 'base64')[0]).toBe(0x30);
  });

  it('ed25519 and rsa-sha256 are deterministic; pss uses a random salt', () => {
    expect(signer.sign('ed25519', data)).toBe(signer.sign('ed25519', data));
    expect(signer.sign('rsa-sha256', data)).toBe(signer.sign('rsa-sha256', data));
    expect(signer.sign('rsa-pss-sha256', data)).not.toBe(signer.sign('rsa-pss-sha256', data));
  });

  it('rsa-pss-sha256 uses the maximum salt length (verifiable with an explicit 222-byte salt)', () => {
    const signature = Buffer.from(signer.sign('rsa-pss-sha256', data), 'base64');
    const ok = crypto.verify(
      'sha256',
      Buffer.from(data),
      {
        key: crypto.createPublicKey(keys.rsaPublicKeyPem),
        padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 256 - 32 - 2,
      },
      signature,
    );
    expect(ok).toBe(true);
  });

  it('rsa-pss and pkcs1 signatures are not interchangeable', () => {
    const pkcs1 = signer.sign('rsa-sha256', data);
    expect(verifySignature('rsa-pss-sha256', keys.rsaPublicKeyPem, data, pkcs1)).toBe(false);
  });

  it('caches parsed private keys (createPrivateKey is called once per key)', () => {
    const fresh = new AccountSigner(keys);
    const spy = jest.spyOn(nodeCrypto, 'createPrivateKey');
    try {
      for (let i = 0; i < 3; i++) {
        for (const algorithm of ALGORITHMS) {
          fresh.sign(algorithm, data);
        }
      }
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('never throws on malformed input', () => {
    const signature = signer.sign('ed25519', data);
    expect(verifySignature('ed25519', 'not-hex', data, signature)).toBe(false);
    expect(verifySignature('ed25519', keys.ed25519PublicKeyHex, data, '!!!')).toBe(false);
    expect(verifySignature('ed25519', keys.ed25519PublicKeyHex, data, '')).toBe(false);
    expect(verifySignature('rsa-sha256', 'garbage pem', data, signature)).toBe(false);
    expect(verifySignature('ecdsa-p256', keys.rsaPublicKeyPem, data, signature)).toBe(false);
    expect(
      verifySignature('bogus' as SignatureAlgorithm, keys.rsaPublicKeyPem, data, signature),
    ).toBe(false);
  });
});

describe('AccountSigner.signAsync', () => {
  it('produces the same verifiable signatures as sign, off the event loop', async () => {
    const keys = generateAccountKeys();
    const signer = new AccountSigner(keys);
    const msg = 'date: Sun, 22 Nov 2026 06:43:44 GMT';
    // Ed25519 is deterministic: byte-identical to the synchronous path.
    expect(await signer.signAsync('ed25519', msg)).toBe(signer.sign('ed25519', msg));
    expect(
      verifySignature(
        'ed25519',
        keys.ed25519PublicKeyHex,
        msg,
        await signer.signAsync('ed25519', msg),
      ),
    ).toBe(true);
    expect(
      verifySignature(
        'rsa-pss-sha256',
        keys.rsaPublicKeyPem,
        msg,
        await signer.signAsync('rsa-pss-sha256', msg),
      ),
    ).toBe(true);
    expect(
      verifySignature(
        'rsa-sha256',
        keys.rsaPublicKeyPem,
        msg,
        await signer.signAsync('rsa-sha256', msg),
      ),
    ).toBe(true);
    expect(
      verifySignature(
        'ecdsa-p256',
        keys.ecdsaPublicKeyPem,
        msg,
        await signer.signAsync('ecdsa-p256', msg),
      ),
    ).toBe(true);
  });
});
