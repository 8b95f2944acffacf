import { entitlementErrors } from './entitlement.rules';

const codes = (
  fields: Partial<{ name: string; code: string; metadata: unknown }>,
  codeTaken = false,
) =>
  entitlementErrors(
    { name: 'Feature', code: 'feature', metadata: {}, ...fields },
    { codeTaken },
  ).map((e) => e.code);

describe('entitlementErrors', () => {
  it.each([
    [{}, false, []],
    [{ code: 'action' }, true, ['CODE_NOT_ALLOWED', 'CODE_TAKEN']],
    [{ code: 'x'.repeat(256) }, false, ['CODE_TOO_LONG']],
    [{ code: 'A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6' }, false, ['CODE_INVALID']],
    [{ name: 'n'.repeat(256) }, false, ['NAME_TOO_LONG']],
    [{ metadata: { a: { b: { c: { d: { e: 1 } } } } } }, false, ['METADATA_TOO_LONG']],
  ])('%j (taken: %s) → %j', (fields, taken, expected) => {
    expect(codes(fields, taken)).toEqual(expected);
  });

  it('points at the attribute with the entitlements docs link', () => {
    expect(
      entitlementErrors({ name: 'x', code: 'actions', metadata: {} }, { codeTaken: false }),
    ).toEqual([
      {
        detail: 'is reserved',
        code: 'CODE_NOT_ALLOWED',
        source: { pointer: '/data/attributes/code' },
        links: { about: 'https://keygen.sh/docs/api/entitlements/#entitlements-object-attrs-code' },
      },
    ]);
  });
});
