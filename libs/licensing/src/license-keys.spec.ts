import * as crypto from 'node:crypto';

import { type AccountKeyMaterial, generateAccountKeys } from '@libs/crypto';
import { compare as bcryptCompare, hashSync as bcryptHashSync } from 'bcryptjs';

import {
  buildKeyDataset,
  checkoutSigningAlgorithmFor,
  generateDefaultKey,
  generateLegacyEncryptedKey,
  hashLegacyKey,
  type KeyDatasetInput,
  type KeyTemplateVars,
  LicenseKeyError,
  type LicenseKeyScheme,
  legacyKeyLicenseId,
  renderKeyTemplate,
  signLicenseKey,
  verifyLegacyKey,
} from './license-keys';

// Independent verification helpers: node:crypto and the account's PUBLIC keys only.

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function ed25519PublicKey(hex: string): crypto.KeyObject {
  return crypto.createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

/** Decodes URL-safe base64, insisting on Ruby's padding (length a multiple of 4). */
function fromB64UrlPadded(s: string): Buffer {
  expect(s).toMatch(/^[A-Za-z0-9_-]*={0,2}$/);
  expect(s.length % 4).toBe(0);
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function splitSigned(key: string): { signingData: string; encodedSeed: string; sig: Buffer } {
  const dot = key.lastIndexOf('.');
  const signingData = key.slice(0, dot);
  return {
    signingData,
    encodedSeed: signingData.replace(/^key\//, ''),
    sig: fromB64UrlPadded(key.slice(dot + 1)),
  };
}

const ACCOUNT = '4ab3ec5b-d5a5-4a43-b3c1-0e1b0b1dbf3a';
const PRODUCT = 'a0e43bb7-4b8e-4e8c-9b2f-2d6f4d0c3c11';
const POLICY = '5f6a7b8c-1d2e-4f30-8a4b-5c6d7e8f9a0b';
const LICENSE = 'd8f6f9c2-1c8b-4c44-9a3e-9d0b8c2c7e55';
const USER = '0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e';

describe('generateDefaultKey', () => {
  it('matches XXXXXX-XXXXXX-XXXXXX-XXXXXX-XXXXXX-V3', () => {
    for (let i = 0; i < 50; i++) {
      expect(generateDefaultKey()).toMatch(/^[0-9A-F]{6}(-[0-9A-F]{6}){4}-V3$/);
    }
  });

  it('uses 16 random bytes, replaces the last two hex chars with v3 and upper-cases', () => {
    const bytes = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const requested: number[] = [];
    const key = generateDefaultKey((n) => {
      requested.push(n);
      return bytes;
    });
    expect(requested).toEqual([16]);
    expect(key).toBe('000102-030405-060708-090A0B-0C0D0E-V3');
  });

  it('is random', () => {
    expect(generateDefaultKey()).not.toBe(generateDefaultKey());
  });
});

describe('legacy encrypted keys', () => {
  const LAYOUT = /^[0-9a-f]{32}-[0-9a-f]{32}-[0-9a-f]{32}-[0-9a-f]{30}v1$/;

  it('lays out <32 hex id>-<32 hex>-<32 hex>-<30 hex>v1', () => {
    const raw = generateLegacyEncryptedKey(LICENSE);
    expect(raw).toMatch(LAYOUT);
    expect(raw.slice(0, 32)).toBe(LICENSE.replace(/-/g, ''));
    expect(raw).toHaveLength(131);
  });

  it('takes 64 random bytes and replaces the first 32 hex chars with the id', () => {
    const bytes = Buffer.alloc(64, 0xab);
    const raw = generateLegacyEncryptedKey(LICENSE.toUpperCase(), (n) => {
      expect(n).toBe(64);
      return bytes;
    });
    const ab = 'ab'.repeat(16);
    expect(raw).toBe(`${LICENSE.replace(/-/g, '')}-${ab}-${ab}-${ab.slice(0, 30)}v1`);
  });

  it('rejects an id that is not a UUID', () => {
    expect(() => generateLegacyEncryptedKey('not-a-uuid')).toThrow('license id must be a UUID');
  });

  it('parses the license id back out of the key', () => {
    const raw = generateLegacyEncryptedKey(LICENSE);
    expect(legacyKeyLicenseId(raw)).toBe(LICENSE);
    expect(legacyKeyLicenseId(raw.toUpperCase())).toBe(LICENSE);
  });

  it.each([
    '',
    'ABCDEF-ABCDEF-ABCDEF-ABCDEF-ABCDEF-V3',
    `${'g'.repeat(32)}-abc`,
    `${'a'.repeat(32)}`,
    `${'a'.repeat(32)}-`,
    `${'a'.repeat(31)}-abc`,
    `${'a'.repeat(32)}x-abc`,
  ])('returns null for the malformed key %p', (raw) => {
    expect(legacyKeyLicenseId(raw)).toBeNull();
  });

  describe('hashing', () => {
    const raw = `${LICENSE.replace(/-/g, '')}-${'1'.repeat(32)}-${'2'.repeat(32)}-${'3'.repeat(30)}v1`;
    let hash: string;

    beforeAll(async () => {
      hash = await hashLegacyKey(raw);
    });

    it('stores bcrypt (cost 10) of the SHA-256 hex digest of the raw key', async () => {
      expect(hash).toMatch(/^\$2[aby]\$10\$[./A-Za-z0-9]{53}$/);
      const digest = crypto.createHash('sha256').update(raw).digest('hex');
      await expect(bcryptCompare(digest, hash)).resolves.toBe(true);
      await expect(bcryptCompare(raw, hash)).resolves.toBe(false);
    });

    it('verifies the raw key and nothing else', async () => {
      await expect(verifyLegacyKey(raw, hash)).resolves.toBe(true);
      await expect(verifyLegacyKey(`${raw}x`, hash)).resolves.toBe(false);
      await expect(verifyLegacyKey('', hash)).resolves.toBe(false);
    });

    it('salts each hash', async () => {
      const again = await hashLegacyKey(raw);
      expect(again).not.toBe(hash);
      await expect(verifyLegacyKey(raw, again)).resolves.toBe(true);
    });

    it('accepts hashes made elsewhere ($2b$/$2y$, other costs)', async () => {
      const digest = crypto.createHash('sha256').update(raw).digest('hex');
      const cost4 = bcryptHashSync(digest, 4);
      await expect(verifyLegacyKey(raw, cost4)).resolves.toBe(true);
      await expect(verifyLegacyKey(raw, cost4.replace(/^\$2a\$/, '$2b$'))).resolves.toBe(true);
      await expect(verifyLegacyKey(raw, cost4.replace(/^\$2a\$/, '$2y$'))).resolves.toBe(true);
    });

    it('returns false for a malformed hash instead of throwing', async () => {
      await expect(verifyLegacyKey(raw, '')).resolves.toBe(false);
      await expect(verifyLegacyKey(raw, 'not-a-bcrypt-hash')).resolves.toBe(false);
      await expect(verifyLegacyKey(raw, `$9z$10$${'a'.repeat(53)}`)).resolves.toBe(false);
    });
  });
});

describe('renderKeyTemplate', () => {
  const vars: KeyTemplateVars = {
    account: ACCOUNT,
    product: PRODUCT,
    policy: POLICY,
    user: USER,
    email: 'user@example.com',
    created: '2022-10-16T14:52:48.000Z',
    expiry: '2022-11-16T14:52:48.000Z',
    duration: 2629746,
    id: LICENSE,
  };

  it('substitutes every variable', () => {
    expect(
      renderKeyTemplate(
        '{{account}}|{{product}}|{{policy}}|{{user}}|{{email}}|{{created}}|{{expiry}}|{{duration}}|{{id}}',
        vars,
      ),
    ).toBe(
      `${ACCOUNT}|${PRODUCT}|${POLICY}|${USER}|user@example.com|2022-10-16T14:52:48.000Z|2022-11-16T14:52:48.000Z|2629746|${LICENSE}`,
    );
  });

  it('renders unknown names as the empty string', () => {
    expect(renderKeyTemplate('a{{bar}}b{{1}}c', vars)).toBe('abc');
  });

  it('turns {{{{private_key}}}} into {{}}', () => {
    expect(renderKeyTemplate('{{{{private_key}}}}', vars)).toBe('{{}}');
  });

  it('is case-insensitive for whole-word names', () => {
    expect(renderKeyTemplate('{{ID}}/{{Id}}/{{EMAIL}}', vars)).toBe(
      `${LICENSE}/${LICENSE}/user@example.com`,
    );
  });

  it('underscores camelCase names like Rails, so they do not match', () => {
    expect(renderKeyTemplate('[{{createdAt}}][{{policyId}}]', vars)).toBe('[][]');
  });

  it('renders null values as the empty string', () => {
    const bare = { ...vars, user: null, email: null, expiry: null, duration: null };
    expect(renderKeyTemplate('{{user}}.{{email}}.{{expiry}}.{{duration}}.', bare)).toBe('....');
  });

  it('leaves non-placeholders alone', () => {
    expect(renderKeyTemplate('{{ id }} {id} {{id-x}} {{}} plain', vars)).toBe(
      '{{ id }} {id} {{id-x}} {{}} plain',
    );
  });

  it('replaces every occurrence', () => {
    expect(renderKeyTemplate('{{id}}:{{id}}', vars)).toBe(`${LICENSE}:${LICENSE}`);
  });

  it('does not reach into Object.prototype', () => {
    expect(renderKeyTemplate('{{constructor}}{{to_string}}{{__proto__}}', vars)).toBe('');
  });
});

describe('buildKeyDataset', () => {
  const input: KeyDatasetInput = {
    accountId: ACCOUNT,
    productId: PRODUCT,
    policyId: POLICY,
    policyDuration: 2629746,
    user: { id: USER, email: 'user@example.com' },
    licenseId: LICENSE,
    created: new Date('2022-10-16T14:52:48Z'),
    expiry: new Date('2022-11-16T14:52:48.5Z'),
    jti: '11111111-2222-4333-8444-555555555555',
  };

  it('builds the RSA_2048_PKCS1_ENCRYPT dataset', () => {
    expect(buildKeyDataset('RSA_2048_PKCS1_ENCRYPT', input)).toBe(
      `{"id":"${LICENSE}","created":"2022-10-16T14:52:48.000Z","duration":2629746,"expiry":"2022-11-16T14:52:48.500Z"}`,
    );
    expect(
      buildKeyDataset('RSA_2048_PKCS1_ENCRYPT', { ...input, policyDuration: null, expiry: null }),
    ).toBe(
      `{"id":"${LICENSE}","created":"2022-10-16T14:52:48.000Z","duration":null,"expiry":null}`,
    );
  });

  it('builds the RSA_2048_JWT_RS256 claims, with exp only when there is an expiry', () => {
    expect(buildKeyDataset('RSA_2048_JWT_RS256', input)).toBe(
      `{"jti":"11111111-2222-4333-8444-555555555555","iss":"https://keygen.sh","aud":"${ACCOUNT}","sub":"${LICENSE}","iat":1665931968,"nbf":1665931968,"exp":1668610368}`,
    );
    expect(buildKeyDataset('RSA_2048_JWT_RS256', { ...input, expiry: null })).toBe(
      `{"jti":"11111111-2222-4333-8444-555555555555","iss":"https://keygen.sh","aud":"${ACCOUNT}","sub":"${LICENSE}","iat":1665931968,"nbf":1665931968}`,
    );
  });

  it('defaults jti to a random UUID', () => {
    const { jti: _jti, ...rest } = input;
    const a = JSON.parse(buildKeyDataset('RSA_2048_JWT_RS256', rest)) as { jti: string };
    const b = JSON.parse(buildKeyDataset('RSA_2048_JWT_RS256', rest)) as { jti: string };
    expect(a.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.jti).not.toBe(b.jti);
  });

  it.each([
    'ED25519_SIGN',
    'ECDSA_P256_SIGN',
    'RSA_2048_PKCS1_SIGN',
    'RSA_2048_PKCS1_PSS_SIGN',
    'RSA_2048_PKCS1_SIGN_V2',
    'RSA_2048_PKCS1_PSS_SIGN_V2',
  ] as const)('builds the full dataset for %s', (scheme) => {
    expect(buildKeyDataset(scheme, input)).toBe(
      `{"account":{"id":"${ACCOUNT}"},"product":{"id":"${PRODUCT}"},"policy":{"id":"${POLICY}","duration":2629746},"user":{"id":"${USER}","email":"user@example.com"},"license":{"id":"${LICENSE}","created":"2022-10-16T14:52:48.000Z","expiry":"2022-11-16T14:52:48.500Z"}}`,
    );
  });

  it('renders a missing owner, duration and expiry as null', () => {
    expect(
      buildKeyDataset('ED25519_SIGN', { ...input, user: null, policyDuration: null, expiry: null }),
    ).toBe(
      `{"account":{"id":"${ACCOUNT}"},"product":{"id":"${PRODUCT}"},"policy":{"id":"${POLICY}","duration":null},"user":null,"license":{"id":"${LICENSE}","created":"2022-10-16T14:52:48.000Z","expiry":null}}`,
    );
  });

  it('refuses LEGACY_ENCRYPT, whose keys are random', () => {
    expect(() => buildKeyDataset('LEGACY_ENCRYPT', input)).toThrow(/LEGACY_ENCRYPT/);
  });
});

describe('signLicenseKey', () => {
  let keys: AccountKeyMaterial;
  const seed = '{"license":{"id":"abc"}}'; // 24 bytes: no padding
  const paddedSeed = 'abcd'; // 4 bytes: b64 needs "=="
  const urlSeed = '???>>>'; // std base64 "Pz8/Pj4+": needs - and _

  beforeAll(() => {
    keys = generateAccountKeys();
  });

  describe('ED25519_SIGN', () => {
    it('signs key/<b64url(seed)> with Ed25519', () => {
      const key = signLicenseKey('ED25519_SIGN', seed, keys);
      const { signingData, encodedSeed, sig } = splitSigned(key);
      expect(signingData).toBe(`key/${Buffer.from(seed).toString('base64')}`);
      expect(fromB64UrlPadded(encodedSeed).toString()).toBe(seed);
      expect(sig).toHaveLength(64);
      expect(
        crypto.verify(
          null,
          Buffer.from(signingData),
          ed25519PublicKey(keys.ed25519PublicKeyHex),
          sig,
        ),
      ).toBe(true);
      // Deterministic, so the same template gives the same key (spec 02 §5.3, 409 on create).
      expect(signLicenseKey('ED25519_SIGN', seed, keys)).toBe(key);
    });

    it('keeps = padding on both parts and uses the URL-safe alphabet', () => {
      const key = signLicenseKey('ED25519_SIGN', paddedSeed, keys);
      expect(key.startsWith('key/YWJjZA==.')).toBe(true);
      expect(key.endsWith('==')).toBe(true); // 64-byte signature
      expect(signLicenseKey('ED25519_SIGN', urlSeed, keys).startsWith('key/Pz8_Pj4-.')).toBe(true);
    });

    it('fails verification with another account key', () => {
      const other = generateAccountKeys();
      const { signingData, sig } = splitSigned(signLicenseKey('ED25519_SIGN', seed, keys));
      expect(
        crypto.verify(
          null,
          Buffer.from(signingData),
          ed25519PublicKey(other.ed25519PublicKeyHex),
          sig,
        ),
      ).toBe(false);
    });
  });

  describe('ECDSA_P256_SIGN', () => {
    it('signs key/<b64url(seed)> with ECDSA P-256 SHA-256, DER-encoded', () => {
      const key = signLicenseKey('ECDSA_P256_SIGN', paddedSeed, keys);
      const { signingData, sig } = splitSigned(key);
      expect(signingData).toBe('key/YWJjZA==');
      expect(sig[0]).toBe(0x30); // DER SEQUENCE
      expect(
        crypto.verify(
          'sha256',
          Buffer.from(signingData),
          { key: keys.ecdsaPublicKeyPem, dsaEncoding: 'der' },
          sig,
        ),
      ).toBe(true);
    });
  });

  describe('RSA v2', () => {
    it('RSA_2048_PKCS1_SIGN_V2 signs key/<b64url(seed)> with PKCS#1 v1.5 SHA-256', () => {
      const key = signLicenseKey('RSA_2048_PKCS1_SIGN_V2', paddedSeed, keys);
      const { signingData, sig } = splitSigned(key);
      expect(signingData).toBe('key/YWJjZA==');
      expect(sig).toHaveLength(256);
      expect(key.endsWith('==')).toBe(true);
      expect(
        crypto.verify(
          'sha256',
          Buffer.from(signingData),
          { key: keys.rsaPublicKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
          sig,
        ),
      ).toBe(true);
    });

    it('RSA_2048_PKCS1_PSS_SIGN_V2 signs key/<b64url(seed)> with PSS SHA-256, max salt', () => {
      const key = signLicenseKey('RSA_2048_PKCS1_PSS_SIGN_V2', seed, keys);
      const { signingData, sig } = splitSigned(key);
      expect(signingData.startsWith('key/')).toBe(true);
      const pss = (saltLength: number): boolean =>
        crypto.verify(
          'sha256',
          Buffer.from(signingData),
          {
            key: keys.rsaPublicKeyPem,
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength,
          },
          sig,
        );
      expect(pss(crypto.constants.RSA_PSS_SALTLEN_AUTO)).toBe(true);
      // Maximum salt for RSA-2048 with SHA-256: 256 - 32 - 2 = 222 bytes.
      expect(pss(222)).toBe(true);
      expect(pss(32)).toBe(false);
    });
  });

  describe('RSA v1 (legacy)', () => {
    it('RSA_2048_PKCS1_SIGN signs the raw seed, without a key/ prefix', () => {
      const key = signLicenseKey('RSA_2048_PKCS1_SIGN', paddedSeed, keys);
      expect(key.startsWith('YWJjZA==.')).toBe(true);
      const { encodedSeed, sig } = splitSigned(key);
      expect(fromB64UrlPadded(encodedSeed).toString()).toBe(paddedSeed);
      expect(
        crypto.verify(
          'sha256',
          Buffer.from(paddedSeed),
          { key: keys.rsaPublicKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
          sig,
        ),
      ).toBe(true);
    });

    it('RSA_2048_PKCS1_PSS_SIGN signs the raw seed with PSS', () => {
      const key = signLicenseKey('RSA_2048_PKCS1_PSS_SIGN', urlSeed, keys);
      expect(key.startsWith('Pz8_Pj4-.')).toBe(true);
      const { sig } = splitSigned(key);
      expect(
        crypto.verify(
          'sha256',
          Buffer.from(urlSeed),
          {
            key: keys.rsaPublicKeyPem,
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO,
          },
          sig,
        ),
      ).toBe(true);
    });
  });

  describe('RSA_2048_PKCS1_ENCRYPT', () => {
    it('is b64url of a private-key encryption the public key recovers', () => {
      const key = signLicenseKey('RSA_2048_PKCS1_ENCRYPT', seed, keys);
      expect(key).not.toContain('.');
      const ciphertext = fromB64UrlPadded(key);
      expect(ciphertext).toHaveLength(256);
      expect(key.endsWith('==')).toBe(true);
      const recovered = crypto.publicDecrypt(
        { key: keys.rsaPublicKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
        ciphertext,
      );
      expect(recovered.toString('utf8')).toBe(seed);
    });

    it('accepts exactly 245 bytes', () => {
      const max = 'x'.repeat(245);
      const ciphertext = fromB64UrlPadded(signLicenseKey('RSA_2048_PKCS1_ENCRYPT', max, keys));
      expect(crypto.publicDecrypt(keys.rsaPublicKeyPem, ciphertext).toString()).toBe(max);
    });

    it.each([
      ['246 ASCII bytes', 'x'.repeat(246)],
      ['123 two-byte characters (246 bytes)', 'é'.repeat(123)],
    ])('rejects %s with KEY_BYTE_SIZE_EXCEEDED', (_label, tooLong) => {
      let error: unknown;
      try {
        signLicenseKey('RSA_2048_PKCS1_ENCRYPT', tooLong, keys);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LicenseKeyError);
      expect(error).toMatchObject({
        code: 'KEY_BYTE_SIZE_EXCEEDED',
        detail: 'key exceeds maximum byte length (max size of 245 bytes)',
      });
    });
  });

  describe('RSA_2048_JWT_RS256', () => {
    function parts(jwt: string): [string, string, string] {
      const split = jwt.split('.');
      expect(split).toHaveLength(3);
      for (const part of split) {
        expect(part).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
      }
      return split as [string, string, string];
    }

    it('is a compact JWT with header {"alg":"RS256"} signed RS256', () => {
      const claims = buildKeyDataset('RSA_2048_JWT_RS256', {
        accountId: ACCOUNT,
        productId: PRODUCT,
        policyId: POLICY,
        policyDuration: null,
        user: null,
        licenseId: LICENSE,
        created: new Date('2022-10-16T14:52:48Z'),
        expiry: new Date('2022-11-16T14:52:48Z'),
      });
      const jwt = signLicenseKey('RSA_2048_JWT_RS256', claims, keys);
      const [header, payload, signature] = parts(jwt);
      expect(header).toBe('eyJhbGciOiJSUzI1NiJ9');
      expect(Buffer.from(header, 'base64url').toString()).toBe('{"alg":"RS256"}');
      expect(Buffer.from(payload, 'base64url').toString()).toBe(claims);
      expect(
        crypto.verify(
          'sha256',
          Buffer.from(`${header}.${payload}`),
          { key: keys.rsaPublicKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
          Buffer.from(signature, 'base64url'),
        ),
      ).toBe(true);
    });

    it('re-serialises template claims compactly, keeping key order', () => {
      const jwt = signLicenseKey(
        'RSA_2048_JWT_RS256',
        '{ "sub" : "abc",\n "exp": 1700000000 }',
        keys,
      );
      expect(Buffer.from(parts(jwt)[1], 'base64url').toString()).toBe(
        '{"sub":"abc","exp":1700000000}',
      );
    });

    it('signs the other registered claims as given', () => {
      const jwt = signLicenseKey('RSA_2048_JWT_RS256', '{"iss":1,"aud":{"a":1},"exp":1.5}', keys);
      expect(Buffer.from(parts(jwt)[1], 'base64url').toString()).toBe(
        '{"iss":1,"aud":{"a":1},"exp":1.5}',
      );
    });

    it.each(['some-non-json-payload', '', '[1,2]', '"claims"', '42', 'null', '{"a":1'])(
      'rejects the non-object seed %p',
      (bad) => {
        expect(() => signLicenseKey('RSA_2048_JWT_RS256', bad, keys)).toThrow(
          expect.objectContaining({
            code: 'KEY_JWT_CLAIMS_INVALID',
            detail: 'key is not a valid JWT claims payload (must be a valid JSON encoded string)',
          }),
        );
      },
    );

    it.each([
      ['{"exp":"foo"}', 'exp claim must be a numeric value but it is a string'],
      ['{"iat":null}', 'iat claim must be a numeric value but it is a nilclass'],
      ['{"nbf":true}', 'nbf claim must be a numeric value but it is a trueclass'],
      ['{"nbf":false}', 'nbf claim must be a numeric value but it is a falseclass'],
      ['{"exp":[1]}', 'exp claim must be a numeric value but it is a array'],
      ['{"exp":{}}', 'exp claim must be a numeric value but it is a hash'],
      ['{"nbf":"x","exp":"1"}', 'exp claim must be a numeric value but it is a string'],
    ])('rejects %s', (bad, reason) => {
      let error: unknown;
      try {
        signLicenseKey('RSA_2048_JWT_RS256', bad, keys);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LicenseKeyError);
      expect(error).toMatchObject({
        code: 'KEY_JWT_CLAIMS_INVALID',
        detail: `key is not a valid JWT claims payload (${reason})`,
      });
    });
  });

  it('rejects an unknown scheme', () => {
    expect(() => signLicenseKey('NOPE' as never, seed, keys)).toThrow('Unsupported');
  });
});

describe('checkoutSigningAlgorithmFor', () => {
  it.each([
    ['RSA_2048_PKCS1_PSS_SIGN', 'rsa-pss-sha256'],
    ['RSA_2048_PKCS1_PSS_SIGN_V2', 'rsa-pss-sha256'],
    ['RSA_2048_PKCS1_SIGN', 'rsa-sha256'],
    ['RSA_2048_PKCS1_SIGN_V2', 'rsa-sha256'],
    ['RSA_2048_PKCS1_ENCRYPT', 'rsa-sha256'],
    ['RSA_2048_JWT_RS256', 'rsa-sha256'],
    ['ED25519_SIGN', 'ed25519'],
    ['ECDSA_P256_SIGN', 'ecdsa-p256'],
    ['LEGACY_ENCRYPT', 'ed25519'],
    [null, 'ed25519'],
  ] as [LicenseKeyScheme | null, string][])('%s -> %s', (scheme, expected) => {
    expect(checkoutSigningAlgorithmFor(scheme)).toBe(expected);
  });
});
