import { blankPolicyAttributes, type PolicyAttributes } from './policy.entity';
import {
  beforeCreate,
  beforeValidationOnCreate,
  defaultOverageStrategy,
  exceedsIntegerColumns,
  policyErrors,
  type PolicyFacts,
} from './policy.rules';

function policy(over: Partial<PolicyAttributes> = {}): PolicyAttributes {
  return { ...blankPolicyAttributes(), name: 'Policy', ...over };
}

const OK: PolicyFacts = { productMissing: false, environmentIncompatible: false };
const errors = (over: Partial<PolicyAttributes>, facts: PolicyFacts = OK) =>
  policyErrors(policy(over), facts).map((e) => [
    e.source?.pointer?.split('/').pop(),
    e.code,
    e.detail,
  ]);

describe('policyErrors (spec 02 §2.3–2.4)', () => {
  it.each<[Partial<PolicyAttributes>, Array<[string, string, string]>]>([
    [{}, []],
    [{ name: null }, [['name', 'NAME_MISSING', "can't be blank"]]],
    [
      { name: 'x'.repeat(256) },
      [['name', 'NAME_TOO_LONG', 'is too long (maximum is 255 characters)']],
    ],
    [{ duration: 0 }, [['duration', 'DURATION_INVALID', 'must be greater than 0']]],
    [
      { duration: 86_399 },
      [['duration', 'DURATION_INVALID', 'must be greater than or equal to 86400 (1 day)']],
    ],
    [
      { duration: 2 ** 31 },
      [['duration', 'DURATION_INVALID', 'must be less than or equal to 2147483647']],
    ],
    [{ duration: 86_400 }, []],
    [
      { heartbeatDuration: 59 },
      [
        [
          'heartbeatDuration',
          'HEARTBEAT_DURATION_INVALID',
          'must be greater than or equal to 60 (1 minute)',
        ],
      ],
    ],
    [
      { maxMachines: 2 },
      [['maxMachines', 'MAX_MACHINES_INVALID', 'must be equal to 1 for non-floating policy']],
    ],
    [{ maxMachines: 1 }, []],
    [
      { floating: true, maxMachines: 0 },
      [
        [
          'maxMachines',
          'MAX_MACHINES_INVALID',
          'must be greater than or equal to 1 for floating policy',
        ],
      ],
    ],
    [
      { floating: true, maxMachines: -3 },
      [['maxMachines', 'MAX_MACHINES_INVALID', 'must be greater than or equal to 0']],
    ],
    [
      { floating: true, maxMachines: 2 ** 31 },
      [['maxMachines', 'MAX_MACHINES_INVALID', 'must be less than or equal to 2147483647']],
    ],
    [{ maxCores: 0 }, [['maxCores', 'MAX_CORES_INVALID', 'must be greater than or equal to 1']]],
    [{ maxMemory: 0 }, [['maxMemory', 'MAX_MEMORY_INVALID', 'must be greater than or equal to 1']]],
    [
      { maxMemory: 2 ** 64 },
      [['maxMemory', 'MAX_MEMORY_INVALID', 'must be less than or equal to 9223372036854775807']],
    ],
    [{ maxDisk: 2 ** 63 }, []],
    [{ maxUses: 0 }, []],
    [{ maxUses: -1 }, [['maxUses', 'MAX_USES_INVALID', 'must be greater than or equal to 0']]],
    [{ maxProcesses: 0 }, [['maxProcesses', 'MAX_PROCESSES_INVALID', 'must be greater than 0']]],
    [{ maxUsers: -1 }, [['maxUsers', 'MAX_USERS_INVALID', 'must be greater than 0']]],
    [
      { requireCheckIn: true, checkInInterval: 'day', checkInIntervalCount: 0 },
      [
        [
          'checkInIntervalCount',
          'CHECK_IN_INTERVAL_COUNT_NOT_ALLOWED',
          'must be a number between 1 and 365 inclusive',
        ],
      ],
    ],
    [{ requireCheckIn: true, checkInInterval: 'year', checkInIntervalCount: 365 }, []],
    [{ scheme: 'NOPE' }, [['scheme', 'SCHEME_NOT_ALLOWED', 'unsupported signing scheme']]],
    [
      { encrypted: true, scheme: 'ED25519_SIGN' },
      [
        [
          'scheme',
          'SCHEME_NOT_ALLOWED',
          'unsupported encryption scheme (scheme must be LEGACY_ENCRYPT for legacy encrypted policies)',
        ],
      ],
    ],
    [
      { scheme: 'LEGACY_ENCRYPT' },
      [['scheme', 'SCHEME_INVALID', 'must be encrypted when using LEGACY_ENCRYPT scheme']],
    ],
    [
      { usePool: true, scheme: 'RSA_2048_PKCS1_SIGN' },
      [['scheme', 'SCHEME_NOT_SUPPORTED', 'cannot use a scheme and use a pool']],
    ],
    [
      { usePool: true, encrypted: true, scheme: 'LEGACY_ENCRYPT' },
      [
        ['encrypted', 'ENCRYPTED_NOT_SUPPORTED', 'cannot be encrypted and use a pool'],
        ['scheme', 'SCHEME_NOT_SUPPORTED', 'cannot use a scheme and use a pool'],
      ],
    ],
    [
      { heartbeatResurrectionStrategy: 'ALWAYS_REVIVE' },
      [
        [
          'heartbeatCullStrategy',
          'HEARTBEAT_CULL_STRATEGY_NOT_ALLOWED',
          'incompatible heartbeat cull strategy (must be KEEP_DEAD when resurrection strategy is ALWAYS_REVIVE)',
        ],
      ],
    ],
    [{ heartbeatResurrectionStrategy: 'ALWAYS_REVIVE', heartbeatCullStrategy: 'KEEP_DEAD' }, []],
    [
      { heartbeatCullStrategy: 'NOPE', heartbeatResurrectionStrategy: 'ALWAYS_REVIVE' },
      [
        [
          'heartbeatCullStrategy',
          'HEARTBEAT_CULL_STRATEGY_NOT_ALLOWED',
          'unsupported heartbeat cull strategy',
        ],
      ],
    ],
    [
      { overageStrategy: 'NOPE' },
      [['overageStrategy', 'OVERAGE_STRATEGY_NOT_ALLOWED', 'unsupported overage strategy']],
    ],
    [
      { overageStrategy: 'ALLOW_1_25X_OVERAGE', floating: true, maxMachines: -1 },
      [
        ['maxMachines', 'MAX_MACHINES_INVALID', 'must be greater than or equal to 0'],
        [
          'overageStrategy',
          'OVERAGE_STRATEGY_NOT_ALLOWED',
          'incompatible overage strategy (cannot use ALLOW_1_25X_OVERAGE with a max machines value not divisible by 4)',
        ],
      ],
    ],
    [
      { overageStrategy: 'ALLOW_1_5X_OVERAGE', floating: true, maxMachines: 4, maxDisk: 3 },
      [
        [
          'overageStrategy',
          'OVERAGE_STRATEGY_NOT_ALLOWED',
          'incompatible overage strategy (cannot use ALLOW_1_5X_OVERAGE with a max disk value not divisible by 2)',
        ],
      ],
    ],
    [{ overageStrategy: 'ALLOW_1_5X_OVERAGE', floating: true }, []],
    [{ overageStrategy: 'ALLOW_2X_OVERAGE' }, []],
  ])('%j', (over, expected) => {
    expect(errors(over)).toEqual(expected);
  });

  it.each([
    ['machineUniquenessStrategy', 'UNIQUE_PER_MACHINE', 'unsupported machine uniqueness strategy'],
    ['machineMatchingStrategy', 'match_any', 'unsupported machine matching strategy'],
    ['componentUniquenessStrategy', 'NOPE', 'unsupported component uniqueness strategy'],
    ['componentMatchingStrategy', 'NOPE', 'unsupported component matching strategy'],
    ['expirationStrategy', 'NOPE', 'unsupported expiration strategy'],
    ['expirationBasis', 'NOPE', 'unsupported expiration basis'],
    ['renewalBasis', 'NOPE', 'unsupported renewal basis'],
    ['transferStrategy', 'NOPE', 'unsupported transfer strategy'],
    ['authenticationStrategy', 'NOPE', 'unsupported authentication strategy'],
    ['heartbeatResurrectionStrategy', 'NOPE', 'unsupported heartbeat resurrection strategy'],
    ['heartbeatBasis', 'NOPE', 'unsupported heartbeat basis'],
    ['machineLeasingStrategy', 'PER_MACHINE', 'unsupported machine leasing strategy'],
    ['processLeasingStrategy', 'NOPE', 'unsupported process leasing strategy'],
  ] as const)('rejects %s = %s', (attr, value, detail) => {
    const code = `${attr.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_NOT_ALLOWED`;
    expect(errors({ [attr]: value })).toEqual([[attr, code, detail]]);
  });

  it('reports relationship errors first, with relationship links', () => {
    const out = policyErrors(policy({ duration: 0 }), {
      productMissing: true,
      environmentIncompatible: false,
    });
    expect(out[0]).toEqual({
      detail: 'must exist',
      code: 'PRODUCT_NOT_FOUND',
      source: { pointer: '/data/relationships/product' },
      links: {
        about: 'https://keygen.sh/docs/api/policies/#policies-object-relationships-product',
      },
    });
    expect(out[1].code).toBe('DURATION_INVALID');
  });
});

describe('create defaults', () => {
  it('sets LEGACY_ENCRYPT before validation only for encrypted policies without a scheme', () => {
    const p = policy({ encrypted: true });
    beforeValidationOnCreate(p);
    expect(p.scheme).toBe('LEGACY_ENCRYPT');
    const q = policy({ encrypted: false });
    beforeValidationOnCreate(q);
    expect(q.scheme).toBeNull();
  });

  it("fills Keygen's strategy defaults and forces one machine on node-locked policies", () => {
    const p = policy({ maxMachines: null });
    beforeCreate(p, { apiVersion: '1.8', accountProtected: false });
    expect(p).toMatchObject({
      maxMachines: 1,
      machineUniquenessStrategy: 'UNIQUE_PER_LICENSE',
      machineMatchingStrategy: 'MATCH_ANY',
      componentUniquenessStrategy: 'UNIQUE_PER_MACHINE',
      componentMatchingStrategy: 'MATCH_ANY',
      expirationStrategy: 'RESTRICT_ACCESS',
      expirationBasis: 'FROM_CREATION',
      renewalBasis: 'FROM_EXPIRY',
      transferStrategy: 'KEEP_EXPIRY',
      authenticationStrategy: 'TOKEN',
      heartbeatCullStrategy: 'DEACTIVATE_DEAD',
      heartbeatResurrectionStrategy: 'NO_REVIVE',
      machineLeasingStrategy: 'PER_LICENSE',
      processLeasingStrategy: 'PER_MACHINE',
      overageStrategy: 'NO_OVERAGE',
      heartbeatBasis: 'FROM_FIRST_PING',
    });
    const floating = policy({ floating: true, maxMachines: null, requireHeartbeat: true });
    beforeCreate(floating, { apiVersion: '1.3', accountProtected: false });
    expect(floating).toMatchObject({ maxMachines: null, heartbeatBasis: 'FROM_CREATION' });
  });

  it.each([
    ['1.0', 'ALWAYS_ALLOW_OVERAGE'],
    ['1.1', 'ALWAYS_ALLOW_OVERAGE'],
    ['1.2', 'NO_OVERAGE'],
    ['1.8', 'NO_OVERAGE'],
  ])('defaults the overage strategy at %s to %s', (version, strategy) => {
    expect(defaultOverageStrategy(version)).toBe(strategy);
  });

  it('uses FROM_FIRST_PING up to API 1.2 even when heartbeats are required', () => {
    const p = policy({ requireHeartbeat: true });
    beforeCreate(p, { apiVersion: '1.2', accountProtected: false });
    expect(p.heartbeatBasis).toBe('FROM_FIRST_PING');
  });

  it('flags integer columns that would overflow without validation', () => {
    expect(exceedsIntegerColumns(policy({ checkInIntervalCount: 2 ** 31 }))).toBe(true);
    expect(exceedsIntegerColumns(policy({ checkInIntervalCount: 365 }))).toBe(false);
  });
});
