import { keyErrors, NO_KEY_FACTS, type KeyFacts } from './key.rules';

const errors = (key: string, facts: Partial<KeyFacts> = {}) =>
  keyErrors(key, { ...NO_KEY_FACTS, ...facts }).map((e) => [e.source?.pointer, e.code, e.detail]);

describe('keyErrors (spec 02 §3.2)', () => {
  it.each<[string, Partial<KeyFacts>, Array<[string, string, string]>]>([
    ['12345678', {}, []],
    ['x'.repeat(1024), {}, []],
    [
      '1234567',
      {},
      [['/data/attributes/key', 'KEY_TOO_SHORT', 'is too short (minimum is 8 characters)']],
    ],
    [
      'x'.repeat(1025),
      {},
      [['/data/attributes/key', 'KEY_TOO_LONG', 'is too long (maximum is 1024 characters)']],
    ],
    // Length counts characters, not UTF-16 units or bytes.
    ['🔑🔑🔑🔑🔑🔑🔑🔑', {}, []],
    [
      'actions',
      {},
      [
        ['/data/attributes/key', 'KEY_NOT_ALLOWED', 'is reserved'],
        ['/data/attributes/key', 'KEY_TOO_SHORT', 'is too short (minimum is 8 characters)'],
      ],
    ],
    [
      'abcdefgh',
      { keyTaken: true },
      [['/data/attributes/key', 'KEY_TAKEN', 'has already been taken']],
    ],
    [
      'abcdefgh',
      { conflictsWithLicenseId: true },
      [
        [
          '/data/attributes/key',
          'KEY_CONFLICT',
          "must not conflict with another license's identifier (UUID)",
        ],
      ],
    ],
    [
      'abcdefgh',
      { conflictsWithLicenseKey: true },
      [['/data/attributes/key', 'KEY_CONFLICT', "is already being used as a license's key"]],
    ],
    [
      'abcdefgh',
      { policyMissing: true },
      [['/data/relationships/policy', 'POLICY_NOT_FOUND', 'must exist']],
    ],
    [
      'abcdefgh',
      { policyUnpooled: true },
      [
        [
          '/data/relationships/policy',
          'POLICY_NOT_SUPPORTED',
          'cannot be added to an unpooled policy',
        ],
      ],
    ],
  ])('%j %j', (key, facts, expected) => {
    expect(errors(key, facts)).toEqual(expected);
  });

  it('keeps the first of two conflicts (same code and pointer)', () => {
    expect(
      errors('abcdefgh', { conflictsWithLicenseId: true, conflictsWithLicenseKey: true }),
    ).toEqual([
      [
        '/data/attributes/key',
        'KEY_CONFLICT',
        "must not conflict with another license's identifier (UUID)",
      ],
    ]);
  });

  it('groups by pointer in order of first appearance', () => {
    expect(
      errors('action', {
        policyUnpooled: true,
        environmentIncompatible: true,
        keyTaken: true,
        conflictsWithLicenseKey: true,
      }).map(([pointer, code]) => `${pointer} ${code}`),
    ).toEqual([
      '/data/relationships/environment ENVIRONMENT_NOT_ALLOWED',
      '/data/attributes/key KEY_TAKEN',
      '/data/attributes/key KEY_NOT_ALLOWED',
      '/data/attributes/key KEY_TOO_SHORT',
      '/data/attributes/key KEY_CONFLICT',
      '/data/relationships/policy POLICY_NOT_SUPPORTED',
    ]);
  });

  it('links each error to the keys docs', () => {
    const [rel, attr] = keyErrors('abcdefg', { ...NO_KEY_FACTS, policyMissing: true });
    expect(attr.links).toEqual({
      about: 'https://keygen.sh/docs/api/keys/#keys-object-attrs-key',
    });
    expect(rel.links).toEqual({
      about: 'https://keygen.sh/docs/api/keys/#keys-object-relationships-policy',
    });
  });
});
