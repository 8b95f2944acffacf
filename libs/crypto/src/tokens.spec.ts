import * as crypto from 'node:crypto';

import {
  constantTimeEqual,
  generatePasswordResetToken,
  generateToken,
  isV3Token,
  looksLikeUuid,
  randomHex,
  tokenDigest,
} from './tokens';

describe('generateToken', () => {
  it('mints 71-char user tokens with 64 hex chars', () => {
    const token = generateToken('user');
    expect(token).toHaveLength(71);
    expect(token).toMatch(/^user-[0-9a-f]{64}v3$/);
  });

  it('mints 40-char activ tokens with 16 bytes', () => {
    const token = generateToken('activ', 16);
    expect(token).toHaveLength(40);
    expect(token).toMatch(/^activ-[0-9a-f]{32}v3$/);
  });

  it('is random', () => {
    expect(generateToken('admin')).not.toBe(generateToken('admin'));
  });
});

describe('tokenDigest', () => {
  const secret = 'ab'.repeat(64);

  it('is deterministic lowercase hex HMAC-SHA256', () => {
    const raw = 'user-' + '0'.repeat(64) + 'v3';
    const digest = tokenDigest(secret, raw);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenDigest(secret, raw)).toBe(digest);
  });

  it('keys the HMAC with the UTF-8 bytes of the hex secret string', () => {
    const expected = crypto.createHmac('sha256', secret).update('tok').digest('hex');
    expect(tokenDigest(secret, 'tok')).toBe(expected);
    const decodedKey = crypto.createHmac('sha256', Buffer.from(secret, 'hex')).update('tok');
    expect(tokenDigest(secret, 'tok')).not.toBe(decodedKey.digest('hex'));
  });

  it('differs per secret and per token', () => {
    expect(tokenDigest(secret, 'tok')).not.toBe(tokenDigest('cd'.repeat(64), 'tok'));
    expect(tokenDigest(secret, 'tok')).not.toBe(tokenDigest(secret, 'tok2'));
  });

  it('is fast (well under a millisecond per digest)', () => {
    const token = generateToken('user');
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) {
      tokenDigest(secret, token);
    }
    const perCallUs = Number(process.hrtime.bigint() - start) / 1000 / 1000;
    expect(perCallUs).toBeLessThan(500);
  });
});

describe('looksLikeUuid', () => {
  it.each([
    '3e8cc7d2-3f0a-4b7c-9b5e-2f1c0e4a6d8b',
    '3E8CC7D2-3F0A-4B7C-9B5E-2F1C0E4A6D8B',
    '3e8cc7d23f0a4b7c9b5e2f1c0e4a6d8b',
  ])('recognises %p', (value) => {
    expect(looksLikeUuid(value)).toBe(true);
  });

  it.each([
    '',
    'user-abcv3',
    '3e8cc7d2-3f0a-4b7c-9b5e-2f1c0e4a6d8',
    '3e8cc7d2-3f0a-4b7c-9b5e-2f1c0e4a6d8g',
  ])('rejects %p', (value) => {
    expect(looksLikeUuid(value)).toBe(false);
  });
});

describe('isV3Token', () => {
  it('accepts minted tokens', () => {
    expect(isV3Token(generateToken('user'))).toBe(true);
    expect(isV3Token(generateToken('activ', 16))).toBe(true);
  });

  it.each(['user-abcv2', 'userabcv3', 'user-xyzv3', '-abcv3', 'user-v3', 'user-abc'])(
    'rejects %p',
    (value) => {
      expect(isV3Token(value)).toBe(false);
    },
  );
});

describe('constantTimeEqual', () => {
  it('compares strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('randomHex / generatePasswordResetToken', () => {
  it('returns hex of the requested byte length', () => {
    expect(randomHex(10)).toMatch(/^[0-9a-f]{20}$/);
  });

  it('mints 48 hex chars + v3 reset tokens', () => {
    expect(generatePasswordResetToken()).toMatch(/^[0-9a-f]{48}v3$/);
    expect(generatePasswordResetToken()).not.toBe(generatePasswordResetToken());
  });
});
