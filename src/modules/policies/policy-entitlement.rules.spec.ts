import { environmentCompatible, policyEntitlementErrors } from './policy-entitlement.rules';

describe('environmentCompatible', () => {
  it.each([
    [null, null, true],
    [null, 'e', false],
    [{ id: 'e', isolationStrategy: 'ISOLATED' as const }, 'e', true],
    [{ id: 'e', isolationStrategy: 'ISOLATED' as const }, null, false],
    [{ id: 'e', isolationStrategy: 'SHARED' as const }, null, true],
    [{ id: 'e', isolationStrategy: 'SHARED' as const }, 'other', false],
  ])('%j with %s → %s', (child, assoc, expected) => {
    expect(environmentCompatible(child, assoc)).toBe(expected);
  });
});

describe('policyEntitlementErrors', () => {
  const codes = (f: Parameters<typeof policyEntitlementErrors>[0]) =>
    policyEntitlementErrors(f).map((e) => e.code);

  it('groups errors by relationship in order of first appearance', () => {
    expect(codes({ entitlementFound: true, environmentCompatible: true, taken: false })).toEqual(
      [],
    );
    expect(codes({ entitlementFound: false, environmentCompatible: true, taken: false })).toEqual([
      'ENTITLEMENT_NOT_FOUND',
    ]);
    expect(codes({ entitlementFound: true, environmentCompatible: false, taken: true })).toEqual([
      'ENVIRONMENT_NOT_ALLOWED',
      'ENTITLEMENT_TAKEN',
    ]);
  });
});
