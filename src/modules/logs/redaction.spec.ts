import { filterUrl, isSensitiveKey, mask, redact, redactJsonText } from './redaction';

describe('mask (spec 06 §1.6)', () => {
  it.each([
    ['supersecretpassword', 's...d'],
    ['abcdefghijklmnopqrstuvwxyz', 'abcd...wxyz'],
    ['123456', '1...6'],
    ['topsecretapikey12345', 'tops...2345'],
    ['AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', 'AAAA...FFFF'],
    ['-----BEGIN PUBLIC KEY-----', '----...----'],
    ['x', '...'],
    ['', '...'],
    ['ab', 'a...b'],
    ['a'.repeat(19), 'a...a'],
    ['0123456789abcdefghij', '0123...ghij'],
  ])('masks %j as %j', (input, out) => {
    expect(mask(input)).toBe(out);
  });

  it('leaves null and booleans, stringifies numbers, keeps container shapes', () => {
    expect(mask(null)).toBeNull();
    expect(mask(true)).toBe(true);
    expect(mask(false)).toBe(false);
    expect(mask(123456)).toBe('1...6');
    expect(mask(7)).toBe('...');
    expect(mask({ a: 'secretvalue', b: [true, 'xyz'], c: { d: null } })).toEqual({
      a: 's...e',
      b: [true, 'x...z'],
      c: { d: null },
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(mask('🔑abc🔒')).toBe('🔑...🔒');
  });
});

describe('redact', () => {
  it('masks sensitive keys at any depth, case-insensitively, and keeps the rest', () => {
    const doc = {
      data: {
        type: 'licenses',
        attributes: {
          name: 'Pro',
          key: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF',
          encrypted: true,
          PublicKey: 'abcdefghijklmnopqrstuvwxyz',
          metadata: { nested: [{ apiToken: 'tok_1234567890abcdefgh' }, 'plain'] },
        },
        relationships: {
          tokens: { links: { related: '/v1/accounts/a/licenses/l/tokens' } },
        },
      },
      meta: { otp: '123456', auth: { apiKey: 'topsecretapikey12345' } },
    };
    expect(redact(doc)).toEqual({
      data: {
        type: 'licenses',
        attributes: {
          name: 'Pro',
          key: 'AAAA...FFFF',
          encrypted: true,
          PublicKey: 'abcd...wxyz',
          metadata: { nested: [{ apiToken: 'tok_...efgh' }, 'plain'] },
        },
        relationships: { tokens: { links: { related: '/v1/...kens' } } },
      },
      meta: { otp: '1...6', auth: { apiKey: 'tops...2345' } },
    });
  });

  it('masks a license key sent to validate-key and keeps the other members', () => {
    expect(
      redact({
        meta: { key: 'ABCDEF-123456-7890AB-CDEF01-234567-V3', scope: { fingerprint: 'fp-1' } },
      }),
    ).toEqual({ meta: { key: 'ABCD...7-V3', scope: { fingerprint: 'fp-1' } } });
  });

  it('passes scalars and arrays of scalars through', () => {
    expect(redact('token')).toBe('token');
    expect(redact([1, 'a'])).toEqual([1, 'a']);
    expect(redact(null)).toBeNull();
  });

  it('never touches the prototype', () => {
    const out = redact(JSON.parse('{"__proto__":{"token":"abcdefgh"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
  });
});

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'passwordDigest',
    'privateKey',
    'secret',
    'encrypted',
    'salt',
    'otp',
    'redirectUrl',
    'cvv',
    'cvc',
    'ssn',
    'authorization',
    'TOKEN',
    'certificate',
  ])('%s is sensitive', (k) => {
    expect(isSensitiveKey(k)).toBe(true);
  });
  it.each(['name', 'email', 'fingerprint', 'status', 'metadata'])('%s is not', (k) => {
    expect(isSensitiveKey(k)).toBe(false);
  });
});

describe('filterUrl', () => {
  it.each([
    ['/v1/accounts/a/licenses', '/v1/accounts/a/licenses'],
    ['/v1/accounts/a/me?token=admin-abc', '/v1/accounts/a/me?token=[FILTERED]'],
    ['/v1/accounts/a/me?auth=license:KEY&limit=5', '/v1/accounts/a/me?auth=[FILTERED]&limit=5'],
    ['/v1/x?page%5Bsize%5D=5&access_token=t', '/v1/x?page%5Bsize%5D=5&access_token=[FILTERED]'],
    ['/v1/x?meta%5Bkey%5D=k;b=c', '/v1/x?meta%5Bkey%5D=[FILTERED];b=c'],
    ['/v1/x?token=&a=b', '/v1/x?token=&a=b'],
    ['/v1/x?', '/v1/x?'],
  ])('%s → %s', (input, out) => {
    expect(filterUrl(input)).toBe(out);
  });
});

describe('redactJsonText', () => {
  const slow = (doc: unknown): string => JSON.stringify(redact(doc));

  it.each([
    {
      data: {
        id: 'x',
        type: 'licenses',
        attributes: { key: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', uses: 3 },
      },
    },
    {
      data: {
        relationships: { tokens: { links: { related: '/v1/accounts/a/licenses/l/tokens' } } },
      },
    },
    {
      meta: {
        otp: 123456,
        auth: { apiKey: 'topsecretapikey12345', nested: [1, null, true, 'ab'] },
      },
    },
    { token: null, secretFlag: false, privateKey: 1.5e3, digests: [], passwords: {} },
    [{ key: 'abc' }, 'key', { 'not:key': 'x', ':token': 'a:b' }, ':auth'],
    { a: 'x', ':': 'y', token: 's3cr3t-value', z: { k: [{ salt: 'pepper' }] } },
    { name: 'Jöhn 🔑', certificate: '-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----' },
    { text: 'a "quoted" key: "token"', key: 'K\\E\nY' },
    { empty: '', key: '' },
    {},
    [],
  ])('matches the object path for %j', (doc) => {
    const text = JSON.stringify(doc);
    expect(redactJsonText(text)).toBe(slow(doc));
  });

  it('leaves documents without secrets untouched, and rejects non-JSON', () => {
    const text = '{"data":{"id":"1","type":"users","attributes":{"email":"a@b.c"}}}';
    expect(redactJsonText(text)).toBe(text);
    expect(redactJsonText('{"key":')).toBeNull();
    expect(redactJsonText('nope')).toBeNull();
    expect(redactJsonText('{"key":"unterminated}')).toBeNull();
  });
});

describe('redactJsonText (generated documents)', () => {
  // A small deterministic generator: keys and strings drawn from pools full of colons,
  // brackets and sensitive words (no backslashes, so the scanning path is taken).
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const KEYS = [
    'id',
    'key',
    'name',
    ':',
    ':token',
    'a:b',
    'tokens',
    'meta',
    'x]',
    '{',
    'otp',
    'authz',
    'ok',
    '',
  ];
  const STRINGS = [
    '',
    'v',
    ':',
    ',:',
    'a, b',
    '{[',
    ']}',
    'token',
    'k:v,',
    '🔑',
    'long-secret-value-0123456789',
  ];
  const gen = (depth: number): unknown => {
    const pick = rand(depth > 3 ? 4 : 7);
    switch (pick) {
      case 0:
        return STRINGS[rand(STRINGS.length)];
      case 1:
        return rand(100000) - 500;
      case 2:
        return [true, false, null][rand(3)];
      case 3:
        return rand(1000) / 7;
      case 4:
      case 5: {
        const o: Record<string, unknown> = {};
        for (let i = rand(4); i > 0; i--) {
          o[KEYS[rand(KEYS.length)]] = gen(depth + 1);
        }
        return o;
      }
      default:
        return Array.from({ length: rand(4) }, () => gen(depth + 1));
    }
  };

  it('agrees with the object path on 2000 documents', () => {
    for (let i = 0; i < 2000; i++) {
      const doc = { data: gen(0), meta: gen(1) };
      const text = JSON.stringify(doc);
      expect(redactJsonText(text)).toBe(JSON.stringify(redact(doc)));
    }
  });
});
