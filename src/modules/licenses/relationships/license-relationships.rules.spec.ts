import { blankPolicy, type Policy } from '@app/modules/policies/policy.entity';
import {
  associationFits,
  firstMissing,
  maxMachinesOverrideError,
  policyIncompatibility,
  renderModelErrors,
  userCountAllowed,
} from './license-relationships.rules';

const policy = (over: Partial<Policy> = {}): Policy =>
  Object.assign(blankPolicy(), {
    machineUniquenessStrategy: 'UNIQUE_PER_LICENSE',
    componentUniquenessStrategy: 'UNIQUE_PER_MACHINE',
    ...over,
  });

describe('policyIncompatibility', () => {
  it('allows a compatible policy', () => {
    expect(policyIncompatibility(policy(), policy({ floating: true, duration: 86400 }))).toBeNull();
  });

  it('names the first difference in Keygen’s order', () => {
    const prev = policy();
    expect(policyIncompatibility(prev, policy({ encrypted: true, usePool: true }))).toBe(
      'cannot change from an encrypted policy to an unencrypted policy (or vice-versa)',
    );
    expect(policyIncompatibility(prev, policy({ usePool: true, scheme: 'ED25519_SIGN' }))).toBe(
      'cannot change from a pooled policy to an unpooled policy (or vice-versa)',
    );
    expect(policyIncompatibility(prev, policy({ scheme: 'ED25519_SIGN' }))).toBe(
      'cannot change to a policy with a different scheme',
    );
    expect(
      policyIncompatibility(prev, policy({ machineUniquenessStrategy: 'UNIQUE_PER_POLICY' })),
    ).toBe('cannot change to a policy with a more strict machine uniqueness strategy');
    expect(
      policyIncompatibility(prev, policy({ componentUniquenessStrategy: 'UNIQUE_PER_LICENSE' })),
    ).toBe('cannot change to a policy with a more strict component uniqueness strategy');
  });

  it('stops at a less strict machine strategy without looking at components (case/when)', () => {
    const prev = policy({ machineUniquenessStrategy: 'UNIQUE_PER_ACCOUNT' });
    expect(
      policyIncompatibility(
        prev,
        policy({
          machineUniquenessStrategy: 'UNIQUE_PER_LICENSE',
          componentUniquenessStrategy: 'UNIQUE_PER_ACCOUNT',
        }),
      ),
    ).toBeNull();
  });
});

describe('userCountAllowed', () => {
  it.each([
    [5, null, 'NO_OVERAGE', true],
    [3, 3, 'NO_OVERAGE', true],
    [4, 3, 'NO_OVERAGE', false],
    [100, 3, 'ALWAYS_ALLOW_OVERAGE', true],
    [5, 4, 'ALLOW_1_25X_OVERAGE', true],
    [6, 4, 'ALLOW_1_25X_OVERAGE', false],
    [3, 2, 'ALLOW_1_5X_OVERAGE', true],
    [4, 2, 'ALLOW_1_5X_OVERAGE', false],
    [4, 2, 'ALLOW_2X_OVERAGE', true],
    [5, 2, 'ALLOW_2X_OVERAGE', false],
    [2, 1, null, false],
  ])('%i users, max %s, %s → %s', (count, max, overage, ok) => {
    expect(userCountAllowed(count, max, overage)).toBe(ok);
  });
});

describe('maxMachinesOverrideError', () => {
  it('checks an override against the new policy', () => {
    expect(maxMachinesOverrideError(null, { floating: false })).toBeNull();
    expect(maxMachinesOverrideError(0, { floating: true })).toBeNull();
    expect(maxMachinesOverrideError(1, { floating: false })).toBeNull();
    expect(maxMachinesOverrideError(5, { floating: false })?.detail).toBe(
      'must be equal to 1 for non-floating policy',
    );
    expect(maxMachinesOverrideError(-1, { floating: true })?.detail).toBe(
      'must be greater than or equal to 1 for floating policy',
    );
  });
});

describe('associationFits', () => {
  const isolated = { id: 'e1', isolationStrategy: 'ISOLATED' as const };
  const shared = { id: 'e2', isolationStrategy: 'SHARED' as const };

  it('follows the environment rule, with global admins allowed into isolation', () => {
    expect(associationFits(null, null)).toBe(true);
    expect(associationFits(null, 'e1')).toBe(false);
    expect(associationFits(isolated, 'e1')).toBe(true);
    expect(associationFits(isolated, null)).toBe(false);
    expect(associationFits(isolated, null, true)).toBe(true);
    expect(associationFits(shared, null)).toBe(true);
    expect(associationFits(shared, 'e1')).toBe(false);
  });
});

describe('renderModelErrors', () => {
  it('groups by attribute in order of first appearance and drops repeats', () => {
    const items = renderModelErrors(
      [
        { path: 'relationships/owner', code: 'OWNER_NOT_FOUND', detail: 'must exist' },
        { path: 'relationships/users', code: 'USER_LIMIT_EXCEEDED', detail: 'x' },
        { path: 'relationships/owner', code: 'OWNER_INVALID', detail: 'y' },
        { path: 'relationships/users', code: 'USER_LIMIT_EXCEEDED', detail: 'x' },
      ],
      'licenses',
    );
    expect(items.map((i) => i.code)).toEqual([
      'OWNER_NOT_FOUND',
      'OWNER_INVALID',
      'USER_LIMIT_EXCEEDED',
    ]);
    expect(items[0]).toEqual({
      detail: 'must exist',
      code: 'OWNER_NOT_FOUND',
      source: { pointer: '/data/relationships/owner' },
      links: { about: 'https://keygen.sh/docs/api/licenses/#licenses-object-relationships-owner' },
    });
  });
});

describe('firstMissing', () => {
  it('names the first missing id and its index, or nothing for duplicates', () => {
    expect(firstMissing(['a', 'b', 'c'], new Set(['a']))).toEqual({ id: 'b', index: '1' });
    expect(firstMissing(['a', 'a'], new Set(['a']))).toEqual({ id: '', index: '' });
  });
});
