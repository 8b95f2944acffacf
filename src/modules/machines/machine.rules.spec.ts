import { attributeErrors, withinLimit } from './machine.rules';

describe('withinLimit (spec 03 §0.6)', () => {
  it.each([
    ['NO_OVERAGE', 4n, 4n, true],
    ['NO_OVERAGE', 4n, 5n, false],
    ['ALLOW_1_25X_OVERAGE', 4n, 5n, true],
    ['ALLOW_1_25X_OVERAGE', 4n, 6n, false],
    ['ALLOW_1_5X_OVERAGE', 4n, 6n, true],
    ['ALLOW_1_5X_OVERAGE', 4n, 7n, false],
    ['ALLOW_2X_OVERAGE', 4n, 8n, true],
    ['ALLOW_2X_OVERAGE', 4n, 9n, false],
    ['ALWAYS_ALLOW_OVERAGE', 1n, 1000n, true],
    [null, 1n, 2n, false],
  ])('%s limit %s next %s → %s', (strategy, limit, next, ok) => {
    expect(withinLimit(strategy, limit, next)).toBe(ok);
  });

  it('stays exact past 2^53', () => {
    expect(withinLimit('NO_OVERAGE', 9223372036854775807n, 9223372036854775807n)).toBe(true);
    expect(withinLimit('NO_OVERAGE', 9007199254740992n, 9007199254740993n)).toBe(false);
  });
});

describe('attributeErrors', () => {
  const base = {
    name: null,
    ip: null,
    hostname: null,
    platform: null,
    cores: null,
    memory: null,
    disk: null,
    metadata: {},
  };
  it('checks 64-bit ranges exactly', () => {
    expect(attributeErrors({ ...base, memory: '9223372036854775807' })).toEqual([]);
    expect(attributeErrors({ ...base, memory: '9223372036854775808' }).map((e) => e.code)).toEqual([
      'MEMORY_INVALID',
    ]);
    expect(attributeErrors({ ...base, cores: '2147483648' }).map((e) => e.code)).toEqual([
      'CORES_INVALID',
    ]);
  });
});
