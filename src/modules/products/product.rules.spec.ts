import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { permissionsKnown, productErrors, type ProductFields } from './product.rules';

const valid = (over: Partial<ProductFields> = {}): ProductFields => ({
  name: 'App',
  code: null,
  url: null,
  distributionStrategy: 'LICENSED',
  permissions: DEFAULT_PERMISSIONS.product,
  metadata: {},
  ...over,
});
const codes = (fields: Partial<ProductFields>, codeTaken = false) =>
  productErrors(valid(fields), { codeTaken }).map((e) => e.code);

describe('productErrors', () => {
  it('accepts a valid product, a null strategy and the wildcard', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ distributionStrategy: null, permissions: ['*'] })).toEqual([]);
  });

  it.each([
    [{ code: 'action' }, false, ['CODE_NOT_ALLOWED']],
    [{ code: 'taken' }, true, ['CODE_TAKEN']],
    [{ code: 'c'.repeat(256) }, false, ['CODE_TOO_LONG']],
    [{ code: '0fcf5bbf-f1b6-43f3-a2ee-b0f4c6b3a2ef' }, false, ['CODE_INVALID']],
    [{ code: 'actions' }, true, ['CODE_NOT_ALLOWED', 'CODE_TAKEN']],
    [{ name: 'n'.repeat(256) }, false, ['NAME_TOO_LONG']],
    [{ name: '€'.repeat(255) }, false, []],
    [{ url: 'ftp://localhost' }, false, ['URL_PROTOCOL_INVALID', 'URL_HOST_INVALID']],
    [{ url: 'x y' }, false, ['URL_INVALID']],
    [{ url: `https://example.com/${'a'.repeat(240)}` }, false, ['URL_TOO_LONG']],
    [{ distributionStrategy: 'licensed' }, false, ['DISTRIBUTION_STRATEGY_NOT_ALLOWED']],
    [{ permissions: ['product.create'] }, false, ['PERMISSIONS_NOT_ALLOWED']],
    [{ metadata: { a: { b: { c: { d: { e: 1 } } } } } }, false, ['METADATA_TOO_LONG']],
  ])('%j (code taken: %s) → %j', (fields, taken, expected) => {
    expect(codes(fields, taken)).toEqual(expected);
  });

  it('orders permissions, code, name, url, strategy, metadata', () => {
    expect(
      codes(
        {
          permissions: ['user.invite'],
          code: 'action',
          name: 'n'.repeat(300),
          url: 'ftp://example.com',
          distributionStrategy: 'X',
          metadata: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i])),
        },
        false,
      ),
    ).toEqual([
      'PERMISSIONS_NOT_ALLOWED',
      'CODE_NOT_ALLOWED',
      'NAME_TOO_LONG',
      'URL_PROTOCOL_INVALID',
      'DISTRIBUTION_STRATEGY_NOT_ALLOWED',
      'METADATA_TOO_LONG',
    ]);
  });
});

describe('permissionsKnown', () => {
  it('rejects unknown actions and duplicates', () => {
    expect(permissionsKnown(['license.read', '*'])).toBe(true);
    expect(permissionsKnown([])).toBe(true);
    expect(permissionsKnown(['foo.bar'])).toBe(false);
    expect(permissionsKnown(['license.read', 'license.read'])).toBe(false);
  });
});
