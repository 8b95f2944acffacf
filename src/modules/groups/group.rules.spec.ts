import { groupValidationErrors, limitReached, memberEnvironmentFits } from './group.rules';

describe('groupValidationErrors', () => {
  it('accepts 1–255 characters counted as code points', () => {
    expect(groupValidationErrors({ name: 'x', metadata: {} })).toEqual([]);
    expect(groupValidationErrors({ name: '😀'.repeat(255), metadata: {} })).toEqual([]);
    expect(
      groupValidationErrors({ name: 'x'.repeat(256), metadata: {} }).map((e) => e.code),
    ).toEqual(['NAME_TOO_LONG']);
  });

  it('reports the name before the metadata', () => {
    const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
    expect(groupValidationErrors({ name: '', metadata }).map((e) => e.code)).toEqual([
      'NAME_TOO_SHORT',
      'METADATA_TOO_LONG',
    ]);
  });
});

describe('limitReached', () => {
  it('treats null as unlimited and compares the count before joining', () => {
    expect(limitReached(null, 1000)).toBe(false);
    expect(limitReached(2, 1)).toBe(false);
    expect(limitReached(2, 2)).toBe(true);
    expect(limitReached(0, 0)).toBe(true);
    expect(limitReached(-1, 0)).toBe(true);
  });
});

describe('memberEnvironmentFits', () => {
  it.each([
    [null, false, null, true],
    [null, false, 'e', false],
    ['e', false, 'e', true],
    ['e', false, null, false],
    ['e', true, null, true],
    ['e', true, 'f', false],
  ] as const)('member %s (shared %s) in group %s → %s', (env, shared, groupEnv, fits) => {
    expect(memberEnvironmentFits({ environmentId: env, shared }, groupEnv)).toBe(fits);
  });
});
