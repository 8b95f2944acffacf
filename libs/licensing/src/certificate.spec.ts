import * as crypto from 'node:crypto';

import { type AccountKeyMaterial, generateAccountKeys } from '@libs/crypto';

import {
  type CertificateEncoding,
  type CertificateKind,
  decodeCertificate,
  encodeCertificate,
  machineFileSecret,
  parseCheckoutAlgorithm,
  readCertificatePayload,
  type SigAlg,
  signWith,
  verifyCertificate,
} from './certificate';

// Independent verification helpers: node:crypto and the account's PUBLIC keys only.

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function verifyIndependently(
  alg: SigAlg,
  keys: AccountKeyMaterial,
  data: string,
  sigB64: string,
): boolean {
  const bytes = Buffer.from(data, 'utf8');
  const sig = Buffer.from(sigB64, 'base64');
  switch (alg) {
    case 'ed25519': {
      const key = crypto.createPublicKey({
        key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(keys.ed25519PublicKeyHex, 'hex')]),
        format: 'der',
        type: 'spki',
      });
      return crypto.verify(null, bytes, key, sig);
    }
    case 'rsa-pss-sha256':
      return crypto.verify(
        'sha256',
        bytes,
        {
          key: keys.rsaPublicKeyPem,
          padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
          saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO,
        },
        sig,
      );
    case 'rsa-sha256':
      return crypto.verify(
        'sha256',
        bytes,
        { key: keys.rsaPublicKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
        sig,
      );
    case 'ecdsa-p256':
      return crypto.verify(
        'sha256',
        bytes,
        { key: keys.ecdsaPublicKeyPem, dsaEncoding: 'der' },
        sig,
      );
    default:
      throw new Error('unreachable');
  }
}

function publicKeyFor(alg: SigAlg, keys: AccountKeyMaterial): string {
  if (alg === 'ed25519') {
    return keys.ed25519PublicKeyHex;
  }
  return alg === 'ecdsa-p256' ? keys.ecdsaPublicKeyPem : keys.rsaPublicKeyPem;
}

/** Parses the armour by hand, checking the line layout, and returns the raw document text. */
function parseArmour(certificate: string, kind: CertificateKind): string {
  const label = kind === 'license' ? 'LICENSE FILE' : 'MACHINE FILE';
  expect(certificate.startsWith(`-----BEGIN ${label}-----\n`)).toBe(true);
  expect(certificate.endsWith(`\n-----END ${label}-----\n`)).toBe(true);
  const lines = certificate.split('\n');
  expect(lines.at(-1)).toBe(''); // exactly one trailing newline
  const body = lines.slice(1, -2);
  expect(body.length).toBeGreaterThan(0);
  body.forEach((line, i) => {
    expect(line).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    if (i < body.length - 1) {
      expect(line).toHaveLength(60);
    } else {
      expect(line.length).toBeGreaterThan(0);
      expect(line.length).toBeLessThanOrEqual(60);
    }
  });
  return Buffer.from(body.join(''), 'base64').toString('utf8');
}

function decryptIndependently(enc: string, secret: string): string {
  const [ct, iv, tag] = enc.split('.');
  const ivBytes = Buffer.from(iv, 'base64');
  const tagBytes = Buffer.from(tag, 'base64');
  expect(ivBytes).toHaveLength(12);
  expect(tagBytes).toHaveLength(16);
  const key = crypto.createHash('sha256').update(secret).digest();
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, ivBytes);
  decipher.setAuthTag(tagBytes);
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString();
}

const ALGS: SigAlg[] = ['ed25519', 'rsa-pss-sha256', 'rsa-sha256', 'ecdsa-p256'];
const ENCS: CertificateEncoding[] = ['base64', 'aes-256-gcm'];

const LICENSE_KEY = 'key/eyJsaWNlbnNlIjp7ImlkIjoiYWJjIn19.c2ln';
const FINGERPRINT = '4d:Eq:UV:D3:XZ:tL:WN:Bz:mA:Eg:E6:Mk:YX:dK:NC';
const PAYLOAD = JSON.stringify({
  data: {
    id: 'd8f6f9c2-1c8b-4c44-9a3e-9d0b8c2c7e55',
    type: 'licenses',
    attributes: { name: 'é & <b>' },
  },
  meta: { issued: '2024-01-01T00:00:00.000Z', expiry: '2024-01-31T10:29:06.000Z', ttl: 2629746 },
});

describe('parseCheckoutAlgorithm', () => {
  it.each(ENCS.flatMap((enc) => ALGS.map((sig) => [enc, sig] as const)))(
    'accepts %s+%s',
    (enc, sig) => {
      expect(parseCheckoutAlgorithm(`${enc}+${sig}`)).toEqual({ ok: true, enc, sig });
    },
  );

  it.each([
    ['foo+ed25519', 'invalid encoding algorithm'],
    ['aes-256-cbc+ed25519', 'invalid encoding algorithm'],
    ['BASE64+ed25519', 'invalid encoding algorithm'],
    ['+ed25519', 'invalid encoding algorithm'],
    ['', 'invalid encoding algorithm'],
    ['ed25519', 'invalid encoding algorithm'],
    ['foo+bar', 'invalid encoding algorithm'],
    ['base64', 'invalid signing algorithm'],
    ['base64+', 'invalid signing algorithm'],
    ['base64+foo', 'invalid signing algorithm'],
    ['aes-256-gcm+rsa-sha512', 'invalid signing algorithm'],
    ['base64+ed25519+x', 'invalid signing algorithm'],
    ['base64+ED25519', 'invalid signing algorithm'],
  ])('rejects %p: %s', (algorithm, detail) => {
    expect(parseCheckoutAlgorithm(algorithm)).toEqual({ ok: false, detail });
  });
});

describe('machineFileSecret', () => {
  it('concatenates the license key and the fingerprint', () => {
    expect(machineFileSecret('ABC-123', 'fp:1')).toBe('ABC-123fp:1');
  });
});

describe('encodeCertificate', () => {
  let keys: AccountKeyMaterial;

  beforeAll(() => {
    keys = generateAccountKeys();
  });

  describe.each(ALGS)('license file, %s', (sig) => {
    it.each(ENCS)('%s: round-trips and verifies with the public key', (enc) => {
      const certificate = encodeCertificate('license', PAYLOAD, {
        enc,
        sig,
        secret: LICENSE_KEY,
        sign: (data) => signWith(sig, data, keys),
      });

      const docText = parseArmour(certificate, 'license');
      const doc = JSON.parse(docText) as { enc: string; sig: string; alg: string };
      expect(Object.keys(doc)).toEqual(['enc', 'sig', 'alg']);
      expect(docText).toBe(JSON.stringify({ enc: doc.enc, sig: doc.sig, alg: `${enc}+${sig}` }));
      expect(doc.sig).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);

      expect(verifyIndependently(sig, keys, `license/${doc.enc}`, doc.sig)).toBe(true);
      expect(verifyIndependently(sig, keys, `machine/${doc.enc}`, doc.sig)).toBe(false);

      if (enc === 'base64') {
        expect(doc.enc).toBe(Buffer.from(PAYLOAD).toString('base64'));
      } else {
        expect(doc.enc.split('.')).toHaveLength(3);
        expect(decryptIndependently(doc.enc, LICENSE_KEY)).toBe(PAYLOAD);
        expect(() => decryptIndependently(doc.enc, `${LICENSE_KEY}x`)).toThrow();
      }
    });
  });

  describe.each(ALGS)('machine file, %s', (sig) => {
    it.each(ENCS)('%s: signs machine/<enc> and encrypts with key+fingerprint', (enc) => {
      const secret = machineFileSecret(LICENSE_KEY, FINGERPRINT);
      const certificate = encodeCertificate('machine', PAYLOAD, {
        enc,
        sig,
        secret,
        sign: (data) => signWith(sig, data, keys),
      });

      const doc = JSON.parse(parseArmour(certificate, 'machine')) as Record<string, string>;
      expect(doc.alg).toBe(`${enc}+${sig}`);
      expect(verifyIndependently(sig, keys, `machine/${doc.enc}`, doc.sig)).toBe(true);
      expect(verifyIndependently(sig, keys, `license/${doc.enc}`, doc.sig)).toBe(false);

      if (enc === 'aes-256-gcm') {
        expect(decryptIndependently(doc.enc, `${LICENSE_KEY}${FINGERPRINT}`)).toBe(PAYLOAD);
        expect(() => decryptIndependently(doc.enc, LICENSE_KEY)).toThrow();
      } else {
        expect(Buffer.from(doc.enc, 'base64').toString()).toBe(PAYLOAD);
      }
    });
  });

  it('passes exactly `<kind>/<enc>` to the signer and embeds its result verbatim', () => {
    const seen: string[] = [];
    const certificate = encodeCertificate('license', '{"a":1}', {
      enc: 'base64',
      sig: 'ed25519',
      sign: (data) => {
        seen.push(data);
        return 'c2ln';
      },
    });
    expect(seen).toEqual(['license/eyJhIjoxfQ==']);
    const doc = parseArmour(certificate, 'license');
    expect(doc).toBe('{"enc":"eyJhIjoxfQ==","sig":"c2ln","alg":"base64+ed25519"}');
  });

  it('produces the exact bytes for a fixed IV', () => {
    const iv = Buffer.from('000102030405060708090a0b', 'hex');
    const certificate = encodeCertificate('license', '{"a":1}', {
      enc: 'aes-256-gcm',
      sig: 'rsa-sha256',
      secret: 'LICENSE-KEY',
      sign: () => 'c2ln',
      randomBytes: (n) => {
        expect(n).toBe(12);
        return iv;
      },
    });
    const key = crypto.createHash('sha256').update('LICENSE-KEY').digest();
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([cipher.update('{"a":1}'), cipher.final()]);
    const enc = `${ct.toString('base64')}.${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}`;
    const doc = `{"enc":"${enc}","sig":"c2ln","alg":"aes-256-gcm+rsa-sha256"}`;
    const b64 = Buffer.from(doc).toString('base64');
    expect(b64.length).toBeGreaterThan(60);
    const lines = b64.match(/.{1,60}/g)!.join('\n');
    expect(certificate).toBe(
      `-----BEGIN LICENSE FILE-----\n${lines}\n-----END LICENSE FILE-----\n`,
    );
  });

  it('uses a fresh IV each time', () => {
    const opts = { enc: 'aes-256-gcm', sig: 'ed25519', secret: 'k', sign: () => 'c2ln' } as const;
    expect(encodeCertificate('license', PAYLOAD, opts)).not.toBe(
      encodeCertificate('license', PAYLOAD, opts),
    );
  });

  it('wraps a large payload into many 60-column lines', () => {
    const big = JSON.stringify({ data: 'x'.repeat(5000) });
    const certificate = encodeCertificate('machine', big, {
      enc: 'base64',
      sig: 'ed25519',
      sign: (data) => signWith('ed25519', data, keys),
    });
    const doc = JSON.parse(parseArmour(certificate, 'machine')) as { enc: string };
    expect(Buffer.from(doc.enc, 'base64').toString()).toBe(big);
    expect(certificate.split('\n').length).toBeGreaterThan(100);
  });

  it('requires a secret for aes-256-gcm', () => {
    expect(() =>
      encodeCertificate('license', PAYLOAD, { enc: 'aes-256-gcm', sig: 'ed25519', sign: () => '' }),
    ).toThrow('aes-256-gcm certificates need a secret');
  });
});

describe('decodeCertificate / verifyCertificate / readCertificatePayload', () => {
  let keys: AccountKeyMaterial;

  beforeAll(() => {
    keys = generateAccountKeys();
  });

  it.each(ALGS)('round-trips an encrypted machine file signed with %s', (sig) => {
    const secret = machineFileSecret(LICENSE_KEY, FINGERPRINT);
    const certificate = encodeCertificate('machine', PAYLOAD, {
      enc: 'aes-256-gcm',
      sig,
      secret,
      sign: (data) => signWith(sig, data, keys),
    });
    const decoded = decodeCertificate(certificate);
    expect(decoded).toMatchObject({ kind: 'machine', alg: `aes-256-gcm+${sig}` });
    expect(verifyCertificate(decoded!, publicKeyFor(sig, keys))).toBe(true);
    expect(readCertificatePayload(decoded!, secret)).toBe(PAYLOAD);
    expect(() => readCertificatePayload(decoded!, LICENSE_KEY)).toThrow();
    expect(() => readCertificatePayload(decoded!)).toThrow('need a secret');
  });

  it('reads a base64 license file without a secret', () => {
    const certificate = encodeCertificate('license', PAYLOAD, {
      enc: 'base64',
      sig: 'ed25519',
      sign: (data) => signWith('ed25519', data, keys),
    });
    const decoded = decodeCertificate(certificate)!;
    expect(decoded.kind).toBe('license');
    expect(readCertificatePayload(decoded)).toBe(PAYLOAD);
  });

  it('detects tampering and the wrong key', () => {
    const certificate = encodeCertificate('license', PAYLOAD, {
      enc: 'base64',
      sig: 'ed25519',
      sign: (data) => signWith('ed25519', data, keys),
    });
    const decoded = decodeCertificate(certificate)!;
    const other = generateAccountKeys();
    expect(verifyCertificate(decoded, other.ed25519PublicKeyHex)).toBe(false);
    expect(
      verifyCertificate(
        { ...decoded, enc: Buffer.from(`${PAYLOAD} `).toString('base64') },
        keys.ed25519PublicKeyHex,
      ),
    ).toBe(false);
    expect(verifyCertificate({ ...decoded, kind: 'machine' }, keys.ed25519PublicKeyHex)).toBe(
      false,
    );
    expect(verifyCertificate({ ...decoded, alg: 'base64+nope' }, keys.ed25519PublicKeyHex)).toBe(
      false,
    );
  });

  it.each([
    '',
    'garbage',
    '-----BEGIN LICENSE FILE-----\nZm9v\n-----END MACHINE FILE-----\n',
    `-----BEGIN LICENSE FILE-----\n${Buffer.from('not json').toString('base64')}\n-----END LICENSE FILE-----\n`,
    `-----BEGIN LICENSE FILE-----\n${Buffer.from('{"enc":1,"sig":"a","alg":"b"}').toString('base64')}\n-----END LICENSE FILE-----\n`,
  ])('returns null for the malformed certificate %p', (certificate) => {
    expect(decodeCertificate(certificate)).toBeNull();
  });

  it('rejects malformed aes-256-gcm data', () => {
    expect(() =>
      readCertificatePayload(
        { kind: 'license', enc: 'a.b', sig: '', alg: 'aes-256-gcm+ed25519' },
        'k',
      ),
    ).toThrow('malformed');
  });
});

describe('signWith', () => {
  let keys: AccountKeyMaterial;

  beforeAll(() => {
    keys = generateAccountKeys();
  });

  it.each(ALGS)('%s: returns standard base64 verifiable with the public key', (alg) => {
    const sig = signWith(alg, 'license/abc', keys);
    expect(sig).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(verifyIndependently(alg, keys, 'license/abc', sig)).toBe(true);
  });
});
