import {
  DEFAULT_CHECKOUT_TTL,
  resolveCheckoutOptions,
  type CheckoutOptions,
} from './checkout-options';

const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const items = (e as { items: Array<Record<string, unknown>> }).items;
    return { status: (e as { status: number }).status, ...items[0] };
  }
  throw new Error('expected an error');
};

describe('resolveCheckoutOptions', () => {
  const ok = (input: Parameters<typeof resolveCheckoutOptions>[0], scheme: string | null = null) =>
    resolveCheckoutOptions(input, scheme);

  it('defaults to base64 + the scheme signing algorithm, a month and no includes', () => {
    expect(ok({})).toEqual<CheckoutOptions>({
      enc: 'base64',
      sig: 'ed25519',
      algorithm: 'base64+ed25519',
      ttl: DEFAULT_CHECKOUT_TTL,
      includes: [],
    });
    expect(ok({ encrypt: true }, 'RSA_2048_PKCS1_PSS_SIGN_V2').algorithm).toBe(
      'aes-256-gcm+rsa-pss-sha256',
    );
    expect(ok({}, 'RSA_2048_PKCS1_ENCRYPT').algorithm).toBe('base64+rsa-sha256');
    expect(ok({}, 'ECDSA_P256_SIGN').algorithm).toBe('base64+ecdsa-p256');
    expect(ok({}, 'LEGACY_ENCRYPT').algorithm).toBe('base64+ed25519');
  });

  it('lets an explicit algorithm override encrypt; blank or null means the default', () => {
    expect(ok({ encrypt: true, algorithm: 'base64+rsa-sha256' }).algorithm).toBe(
      'base64+rsa-sha256',
    );
    expect(ok({ encrypt: true, algorithm: '' }).algorithm).toBe('aes-256-gcm+ed25519');
    expect(ok({ algorithm: null }, 'RSA_2048_PKCS1_SIGN').algorithm).toBe('base64+rsa-sha256');
  });

  it('keeps an explicit null ttl (no expiry) and rejects anything under an hour', () => {
    expect(ok({ ttl: null }).ttl).toBeNull();
    expect(ok({ ttl: 3600 }).ttl).toBe(3600);
    for (const ttl of [0, -1, 3599]) {
      expect(error(() => ok({ ttl }))).toEqual({
        status: 400,
        title: 'Bad request',
        detail: 'must be greater than or equal to 3600 (1 hour)',
        code: 'CHECKOUT_TTL_INVALID',
        source: { parameter: 'ttl' },
      });
    }
  });

  it('deduplicates includes in request order and rejects unknown ones', () => {
    expect(ok({ include: ['policy', 'owner', 'policy'] }).includes).toEqual(['policy', 'owner']);
    for (const include of [['account'], ['user'], [1], [null]]) {
      expect(error(() => ok({ include }))).toMatchObject({
        code: 'CHECKOUT_INCLUDE_INVALID',
        detail: 'invalid includes',
        source: { parameter: 'include' },
      });
    }
  });

  it('checks includes, then the ttl, then the algorithm', () => {
    expect(error(() => ok({ include: ['x'], ttl: 1, algorithm: 'x' }))).toMatchObject({
      code: 'CHECKOUT_INCLUDE_INVALID',
    });
    expect(error(() => ok({ ttl: 1, algorithm: 'x' }))).toMatchObject({
      code: 'CHECKOUT_TTL_INVALID',
    });
    expect(error(() => ok({ algorithm: 'x+ed25519' }))).toMatchObject({
      code: 'CHECKOUT_ALGORITHM_INVALID',
      detail: 'invalid encoding algorithm',
      source: { parameter: 'algorithm' },
    });
    expect(error(() => ok({ algorithm: 'aes-256-gcm+rsa' }))).toMatchObject({
      detail: 'invalid signing algorithm',
    });
  });
});
