import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { productMayRead, resourceFacts, type ProductReadLookups } from './webhook-product-scope';

const P = { id: 'prod-1', permissions: [...DEFAULT_PERMISSIONS.product] };

const lookups: ProductReadLookups = {
  policyProductId: (id) => Promise.resolve(id === 'pol-1' ? 'prod-1' : 'prod-2'),
  machineProductId: (id) => Promise.resolve(id === 'mach-1' ? 'prod-1' : 'prod-2'),
  licenseProductId: (id) => Promise.resolve(id === 'lic-1' ? 'prod-1' : 'prod-2'),
  userHoldsProduct: (userId, productId) =>
    Promise.resolve(userId === 'u-1' && productId === 'prod-1'),
};

const reads = (type: string, record: Record<string, unknown>, product = P) =>
  productMayRead(product, type, [resourceFacts(record)], lookups);

describe('productMayRead', () => {
  it.each([
    ['products', { id: 'prod-1' }, true],
    ['products', { id: 'prod-2' }, false],
    ['licenses', { id: 'l', productId: 'prod-1' }, true],
    ['licenses', { id: 'l', productId: 'prod-2' }, false],
    ['machines', { id: 'm', productId: 'prod-1' }, true],
    ['policies', { id: 'p', productId: 'prod-2' }, false],
    ['releases', { id: 'r', productId: 'prod-1' }, true],
    ['keys', { id: 'k', policyId: 'pol-1' }, true],
    ['keys', { id: 'k', policyId: 'pol-2' }, false],
    ['components', { id: 'c', machineId: 'mach-1' }, true],
    ['processes', { id: 'c', machineId: 'mach-2' }, false],
    ['entitlements', { id: 'e' }, true],
    ['groups', { id: 'g' }, true],
    ['accounts', { id: 'a' }, true],
    ['users', { id: 'u', role: 'user' }, true],
    ['users', { id: 'u', role: 'admin' }, false],
    ['environments', { id: 'env' }, false],
    ['second-factors', { id: 's' }, false],
    ['settings', { id: 's' }, false],
    ['tokens', { id: 't', bearerType: 'products', bearerId: 'prod-1' }, true],
    ['tokens', { id: 't', bearerType: 'products', bearerId: 'prod-2' }, false],
    ['tokens', { id: 't', bearerType: 'licenses', bearerId: 'lic-1' }, true],
    ['tokens', { id: 't', bearerType: 'users', bearerId: 'u-1' }, true],
    ['tokens', { id: 't', bearerType: 'users', bearerId: 'u-2' }, false],
    ['tokens', { id: 't', bearerType: 'environments', bearerId: 'env' }, false],
    ['unknown-things', { id: 'x' }, false],
  ])('%s %j → %s', async (type, record, expected) => {
    expect(await reads(type, record)).toBe(expected);
  });

  it('needs the read permission too', async () => {
    const narrow = { id: 'prod-1', permissions: ['product.read'] };
    expect(await reads('products', { id: 'prod-1' }, narrow)).toBe(true);
    expect(await reads('licenses', { id: 'l', productId: 'prod-1' }, narrow)).toBe(false);
  });

  it('reads an array only when it reads every element', async () => {
    const facts = [resourceFacts({ productId: 'prod-1' }), resourceFacts({ productId: 'prod-2' })];
    expect(await productMayRead(P, 'releases', facts, lookups)).toBe(false);
    expect(await productMayRead(P, 'releases', facts.slice(0, 1), lookups)).toBe(true);
  });
});
