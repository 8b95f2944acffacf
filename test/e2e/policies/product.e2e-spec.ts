import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { denied, lacks, notFound, productResource } from '../products/support';
import { policyResource } from './support';

describe('policy ↔ product relationship routes', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('GET /policies/:id/product', () => {
    it('renders the policy product to staff and to the product itself', async () => {
      const product = await g.product(a.account);
      const p = await g.policy(a.account, { product: product.product });
      const res = await t.http.get(`${a.base}/policies/${p.id}/product`).set(a.auth).expect(200);
      expect(res.body).toEqual({ data: productResource(product.product) });
      await t.http.get(`${a.base}/policies/${p.id}/product`).set(product.auth).expect(200);
      const ro = await g.user(a.account, { role: 'read-only' });
      await t.http.get(`${a.base}/policies/${p.id}/product`).set(ro.auth).expect(200);
      const env = await g.environment(a.account);
      const envPolicy = await g.policy(a.account, { environment: env.environment });
      await t.http.get(`${a.base}/policies/${envPolicy.id}/product`).set(env.auth).expect(200);
    });

    it('404s policies out of scope and 403s a token without product.read', async () => {
      const p = await g.policy(a.account);
      const other = await g.product(a.account);
      expect(
        (await t.http.get(`${a.base}/policies/${p.id}/product`).set(other.auth).expect(404)).body
          .errors,
      ).toEqual([notFound('policy', p.id)]);
      const u = await g.user(a.account);
      await t.http.get(`${a.base}/policies/${p.id}/product`).set(u.auth).expect(404);
      const tok = await g.token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['policy.read'] },
      );
      await t.http
        .get(`${a.base}/policies/${p.id}/product`)
        .set({ Authorization: `Bearer ${tok.raw}` })
        .expect(403);
    });
  });

  describe('GET /products/:id/policies[/:pid]', () => {
    it("lists and shows a product's policies, addressed by id or code", async () => {
      const product = await g.product(a.account, { code: 'with-policies' });
      const p1 = await g.policy(a.account, { product: product.product });
      t.clock.advance(1000);
      const p2 = await g.policy(a.account, { product: product.product });
      await g.policy(a.account);
      const res = await t.http
        .get(`${a.base}/products/with-policies/policies`)
        .set(a.auth)
        .expect(200);
      expect(res.body).toEqual({ data: [policyResource(p2), policyResource(p1)] });
      const one = await t.http
        .get(`${a.base}/products/${product.product.id}/policies/${p1.id}`)
        .set(product.auth)
        .expect(200);
      expect(one.body).toEqual({ data: policyResource(p1) });
      expect(
        (
          await t.http
            .get(`${a.base}/products/${product.product.id}/policies`)
            .set(product.auth)
            .expect(200)
        ).body.data,
      ).toHaveLength(2);
    });

    it('renders list items for API 1.6 with the leasing rename', async () => {
      const product = await g.product(a.account);
      await g.policy(a.account, { product: product.product });
      const res = await t.http
        .get(`${a.base}/products/${product.product.id}/policies`)
        .set({ ...a.auth, 'Keygen-Version': '1.6' })
        .expect(200);
      expect(res.body.data[0].attributes.leasingStrategy).toBe('PER_MACHINE');
    });

    it('404s policies of another product, other products and users; 403s users granted product.read', async () => {
      const product = await g.product(a.account);
      const foreign = await g.policy(a.account);
      const res = await t.http
        .get(`${a.base}/products/${product.product.id}/policies/${foreign.id}`)
        .set(a.auth)
        .expect(404);
      expect(res.body.errors).toEqual([notFound('policy', foreign.id)]);
      const other = await g.product(a.account);
      await t.http
        .get(`${a.base}/products/${product.product.id}/policies`)
        .set(other.auth)
        .expect(404);
      const u = await g.user(a.account);
      await t.http.get(`${a.base}/products/${product.product.id}/policies`).set(u.auth).expect(404);
      const open = await g.product(a.account, { distributionStrategy: 'OPEN' });
      const reader = await g.user(a.account, { permissions: ['product.read'] });
      expect(
        (
          await t.http
            .get(`${a.base}/products/${open.product.id}/policies`)
            .set(reader.auth)
            .expect(403)
        ).body.errors,
      ).toEqual([denied(lacks('user'))]);
    });
  });
});
