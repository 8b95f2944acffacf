import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import { denied, lacks, notFound, productResource } from './support';

describe('GET /v1/accounts/:account/products/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const show = (id: string, auth: Record<string, string> = a.auth) =>
    t.http.get(`${a.base}/products/${encodeURIComponent(id)}`).set(auth);

  describe('200', () => {
    it('renders the product by id', async () => {
      const p = await g.product(a.account, { url: 'https://example.com', platforms: ['Mac'] });
      const res = await show(p.product.id).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: productResource(p.product) });
    });

    it('finds the product by code, and by an undashed upper-case id', async () => {
      const p = await g.product(a.account, { code: 'by-code' });
      expect((await show('by-code').expect(200)).body.data.id).toBe(p.product.id);
      const undashed = p.product.id.replace(/-/g, '').toUpperCase();
      expect((await show(undashed).expect(200)).body.data.id).toBe(p.product.id);
    });

    it('renders via the account slug with links on the account id', async () => {
      const p = await g.product(a.account);
      const res = await t.http
        .get(`/v1/accounts/${a.slug}/products/${p.product.id}`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data.links.self).toBe(`/v1/accounts/${a.id}/products/${p.product.id}`);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'shows a product to a %s',
      async (role) => {
        const p = await g.product(a.account);
        const u = await g.user(a.account, { role });
        await show(p.product.id, u.auth).expect(200);
      },
    );

    it('shows an environment its own products, and global ones when shared', async () => {
      const iso = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const own = await g.product(a.account, { environment: iso.environment });
      const global = await g.product(a.account);
      await show(own.product.id, iso.auth).expect(200);
      await show(global.product.id, shared.auth).expect(200);
    });

    it('shows a product itself', async () => {
      const p = await g.product(a.account);
      const res = await show(p.product.id, p.auth).expect(200);
      expect(res.headers['keygen-bearer']).toBe(p.product.id);
    });

    it('shows an OPEN product to a user granted product.read', async () => {
      const p = await g.product(a.account, { distributionStrategy: 'OPEN' });
      const u = await g.user(a.account, { permissions: ['product.read'] });
      await show(p.product.id, u.auth).expect(200);
    });
  });

  describe('401', () => {
    it('rejects anonymous callers and tokens of other accounts', async () => {
      const p = await g.product(a.account);
      const other = await g.account();
      await show(p.product.id, {}).expect(401);
      const res = await show(p.product.id, other.auth).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });
  });

  describe('403', () => {
    it('forbids a user without product.read an OPEN product', async () => {
      const p = await g.product(a.account, { distributionStrategy: 'OPEN' });
      const u = await g.user(a.account);
      const res = await show(p.product.id, u.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('user'))]);
    });
  });

  describe('404', () => {
    it('answers 404 for an unknown id or code', async () => {
      const res = await show('invalid').expect(404);
      expect(res.body.errors).toEqual([notFound('product', 'invalid')]);
      expect(res.body.meta.id).toEqual(expect.any(String));
      await show('0fcf5bbf-f1b6-43f3-a2ee-b0f4c6b3a2ef').expect(404);
    });

    it("hides another account's product", async () => {
      const other = await g.account();
      const p = await g.product(other.account);
      await show(p.product.id).expect(404);
    });

    it('hides other products from a product', async () => {
      const p = await g.product(a.account);
      const other = await g.product(a.account);
      const res = await show(other.product.id, p.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('product', other.product.id)]);
    });

    it('hides LICENSED and CLOSED products from users', async () => {
      const u = await g.user(a.account, { permissions: ['product.read'] });
      const licensed = await g.product(a.account);
      const closed = await g.product(a.account, { distributionStrategy: 'CLOSED' });
      await show(licensed.product.id, u.auth).expect(404);
      await show(closed.product.id, u.auth).expect(404);
    });

    it('hides products of other environments', async () => {
      const iso = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const global = await g.product(a.account);
      const inEnv = await g.product(a.account, { environment: iso.environment });
      await show(global.product.id, iso.auth).expect(404);
      await show(inEnv.product.id).expect(404);
    });
  });
});
