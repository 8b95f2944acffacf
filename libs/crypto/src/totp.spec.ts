import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  totpCode,
  totpUri,
  verifyTotp,
} from './totp';

// RFC 6238 appendix B SHA-1 seed, ASCII "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('base32', () => {
  it('matches RFC 4648 test vectors (without padding)', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
  });

  it('decodes case-insensitively and ignores padding', () => {
    expect(base32Decode('mzxw6ytboi======').toString()).toBe('foobar');
  });

  it('throws on invalid characters', () => {
    expect(() => base32Decode('MZX1')).toThrow();
  });

  it('encodes the RFC seed as expected', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });
});

describe('generateTotpSecret', () => {
  it('returns 32 base32 chars encoding 20 random bytes', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});

describe('totpCode', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('RFC 6238 vector at T=%ds → %s', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code);
  });
});

describe('verifyTotp', () => {
  const secret = RFC_SECRET;
  const stepAt = (ms: number): number => Math.floor(ms / 30_000);

  it('accepts the current code and returns its step', () => {
    const now = 1234567890_000;
    expect(verifyTotp(secret, '005924', now)).toBe(stepAt(now));
  });

  it('accepts the previous code within 10 s of the step boundary', () => {
    const now = 60_000 * 1000 + 5_000; // 5 s into a step
    const previous = totpCode(secret, now - 30_000);
    expect(verifyTotp(secret, previous, now)).toBe(stepAt(now) - 1);
  });

  it('rejects the previous code more than 10 s into the step', () => {
    const now = 60_000 * 1000 + 15_000;
    const previous = totpCode(secret, now - 30_000);
    expect(verifyTotp(secret, previous, now)).toBeNull();
  });

  it('rejects codes from the next step and from two steps back', () => {
    const now = 60_000 * 1000 + 5_000;
    expect(verifyTotp(secret, totpCode(secret, now + 30_000), now)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now - 60_000), now)).toBeNull();
  });

  it('rejects replays of a step that is not later than lastUsedStep', () => {
    const now = 1234567890_000;
    const step = verifyTotp(secret, '005924', now);
    expect(step).not.toBeNull();
    expect(verifyTotp(secret, '005924', now, step)).toBeNull();
    expect(verifyTotp(secret, '005924', now, (step as number) + 1)).toBeNull();
    expect(verifyTotp(secret, '005924', now, (step as number) - 1)).toBe(step);
    expect(verifyTotp(secret, '005924', now, null)).toBe(step);
  });

  it('rejects a previous-step code once that step was used, even inside the window', () => {
    const now = 60_000 * 1000 + 5_000;
    const previous = totpCode(secret, now - 30_000);
    expect(verifyTotp(secret, previous, now, stepAt(now) - 1)).toBeNull();
  });

  it.each(['', '12345', '1234567', 'abcdef', ' 05924', '00592a'])(
    'rejects non-6-digit input %p',
    (code) => {
      expect(verifyTotp(secret, code, 1234567890_000)).toBeNull();
    },
  );

  it('rejects a wrong code and an invalid secret', () => {
    const now = 1234567890_000;
    const wrong = totpCode(secret, now) === '000000' ? '111111' : '000000';
    expect(verifyTotp(secret, wrong, now)).toBeNull();
    expect(verifyTotp('not base32!', '005924', now)).toBeNull();
  });
});

describe('totpUri', () => {
  it('builds an otpauth URI with the default issuer', () => {
    expect(totpUri({ secret: 'ABC', account: 'jane+dev@example.com' })).toBe(
      'otpauth://totp/Keygen:jane%2Bdev%40example.com?secret=ABC&issuer=Keygen',
    );
  });

  it('uses a custom issuer', () => {
    expect(totpUri({ secret: 'ABC', account: 'a@b.co', issuer: 'Acme' })).toBe(
      'otpauth://totp/Acme:a%40b.co?secret=ABC&issuer=Acme',
    );
  });
});
