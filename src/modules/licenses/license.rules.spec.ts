import {
  licenseErrors,
  NO_FACTS,
  type LicenseFields,
  type LicenseRuleFacts,
} from './license.rules';

const fields = (over: Partial<LicenseFields> = {}): LicenseFields => ({
  name: null,
  key: null,
  uses: 0,
  metadata: {},
  maxMachines: null,
  maxCores: null,
  maxMemory: null,
  maxDisk: null,
  maxUses: null,
  maxProcesses: null,
  maxUsers: null,
  ...over,
});

const nodeLocked = { floating: false, encrypted: false, scheme: null };
const create = (over: Partial<LicenseRuleFacts> = {}): LicenseRuleFacts => ({
  ...NO_FACTS,
  onCreate: true,
  policy: nodeLocked,
  ...over,
});

const codes = (f: LicenseFields, facts: LicenseRuleFacts) =>
  licenseErrors(f, facts).map((e) => [e.code, e.source?.pointer, e.detail]);

describe('licenseErrors', () => {
  it('accepts a plain license', () => {
    expect(licenseErrors(fields(), create())).toEqual([]);
  });

  it('reports a missing policy, and its product when the policy exists nowhere', () => {
    expect(codes(fields(), create({ policy: null }))).toEqual([
      ['POLICY_NOT_FOUND', '/data/relationships/policy', 'must exist'],
    ]);
    expect(codes(fields(), create({ policy: null, policyNowhere: true }))).toEqual([
      ['POLICY_NOT_FOUND', '/data/relationships/policy', 'must exist'],
      ['PRODUCT_NOT_FOUND', '/data/relationships/product', 'must exist'],
    ]);
  });

  it('renders links to the license docs', () => {
    expect(licenseErrors(fields(), create({ ownerMissing: true }))).toEqual([
      {
        detail: 'must exist',
        code: 'OWNER_NOT_FOUND',
        source: { pointer: '/data/relationships/owner' },
        links: {
          about: 'https://keygen.sh/docs/api/licenses/#licenses-object-relationships-owner',
        },
      },
    ]);
    expect(licenseErrors(fields(), create({ idConflict: true }))[0]).toEqual({
      detail: 'must not conflict with another license',
      code: 'ID_CONFLICT',
      source: { pointer: '/data/id' },
      links: { about: 'https://keygen.sh/docs/api/licenses/#licenses-object' },
    });
  });

  it('keeps only the first environment incompatibility (same code and pointer)', () => {
    expect(codes(fields(), create({ environmentIncompatibleWith: ['policy', 'product'] }))).toEqual(
      [
        [
          'ENVIRONMENT_NOT_ALLOWED',
          '/data/relationships/environment',
          'must be compatible with policy environment',
        ],
      ],
    );
  });

  it('groups the group errors together in order of first appearance', () => {
    expect(
      codes(fields({ name: 'x'.repeat(1025) }), create({ groupMissing: true, ownerMissing: true })),
    ).toEqual([
      ['OWNER_NOT_FOUND', '/data/relationships/owner', 'must exist'],
      ['GROUP_NOT_FOUND', '/data/relationships/group', 'must exist'],
      ['NAME_TOO_LONG', '/data/attributes/name', 'is too long (maximum is 1024 characters)'],
    ]);
    expect(codes(fields(), create({ groupLimitExceeded: 3 }))).toEqual([
      [
        'GROUP_LICENSE_LIMIT_EXCEEDED',
        '/data/relationships/group',
        'license count has exceeded maximum allowed by current group (3)',
      ],
    ]);
  });

  describe('keys (create only)', () => {
    it('applies the unschemed minimum of 6 but not with a scheme', () => {
      expect(codes(fields({ key: 'abc' }), create())).toEqual([
        ['KEY_TOO_SHORT', '/data/attributes/key', 'is too short (minimum is 6 characters)'],
      ]);
      expect(
        codes(fields({ key: 'a' }), create({ policy: { ...nodeLocked, scheme: 'ED25519_SIGN' } })),
      ).toEqual([]);
    });

    it('puts conflicts before reserved/taken/length, in one key group', () => {
      expect(
        codes(
          fields({ key: 'actions', metadata: { a: 'x'.repeat(17000) } }),
          create({
            keyConflictsWithId: true,
            keyTaken: true,
          }),
        ),
      ).toEqual([
        [
          'KEY_CONFLICT',
          '/data/attributes/key',
          "must not conflict with another license's identifier (UUID)",
        ],
        ['KEY_NOT_ALLOWED', '/data/attributes/key', 'is reserved'],
        ['KEY_TAKEN', '/data/attributes/key', 'has already been taken'],
        [
          'METADATA_TOO_LONG',
          '/data/attributes/metadata',
          'too large (exceeded limit of 16384 bytes)',
        ],
      ]);
    });

    it('rejects a client key for a legacy encrypted policy', () => {
      expect(
        codes(
          fields({ key: 'abcdefgh' }),
          create({ policy: { floating: false, encrypted: true, scheme: 'LEGACY_ENCRYPT' } }),
        ),
      ).toEqual([
        [
          'KEY_NOT_SUPPORTED',
          '/data/attributes/key',
          'cannot be specified for a legacy encrypted license',
        ],
      ]);
    });

    it('ignores keys on update', () => {
      expect(codes(fields({ key: 'a' }), { ...create(), onCreate: false })).toEqual([]);
    });
  });

  describe('limit overrides', () => {
    it('wants exactly 1 machine on node-locked and ≥1 on floating policies', () => {
      expect(codes(fields({ maxMachines: 2 }), create())).toEqual([
        [
          'MAX_MACHINES_INVALID',
          '/data/attributes/maxMachines',
          'must be equal to 1 for non-floating policy',
        ],
      ]);
      expect(
        codes(fields({ maxMachines: 0 }), create({ policy: { ...nodeLocked, floating: true } })),
      ).toEqual([
        [
          'MAX_MACHINES_INVALID',
          '/data/attributes/maxMachines',
          'must be greater than or equal to 1 for floating policy',
        ],
      ]);
      expect(codes(fields({ maxMachines: -1 }), create())).toEqual([
        [
          'MAX_MACHINES_INVALID',
          '/data/attributes/maxMachines',
          'must be greater than or equal to 0',
        ],
      ]);
      expect(codes(fields({ maxMachines: 1 }), create())).toEqual([]);
    });

    it('checks the other ranges only when an override is set', () => {
      expect(codes(fields({ maxCores: 0, maxMemory: 2 ** 64, maxUses: 0 }), create())).toEqual([
        ['MAX_CORES_INVALID', '/data/attributes/maxCores', 'must be greater than or equal to 1'],
        [
          'MAX_MEMORY_INVALID',
          '/data/attributes/maxMemory',
          'must be less than or equal to 9223372036854775807',
        ],
      ]);
    });
  });

  it('reports role-disallowed permissions last', () => {
    expect(codes(fields({ uses: -1 }), create({ permissionsNotAllowed: true }))).toEqual([
      ['USES_INVALID', '/data/attributes/uses', 'must be greater than or equal to 0'],
      ['PERMISSIONS_NOT_ALLOWED', '/data/attributes/permissions', 'unsupported permissions'],
    ]);
  });
});
