import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import {
  DENIED,
  denied,
  expectListsAndShows,
  expectStaffList,
  ids,
  lacks,
  notFound,
  type Given,
} from './support';

describe('GET /users/:id/products[/:pid]', () => {
  let t: TestApp;
  let g: Given;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  /** u owns a license of A, is attached to two licenses of B; C is held by nobody. */
  async function world() {
    const a = await g.account();
    const productA = await g.product(a.account, { code: `a-${Date.now()}` });
    t.clock.advance(1000);
    const productB = await g.product(a.account);
    t.clock.advance(1000);
    const productC = await g.product(a.account);
    const pA = await g.policy(a.account, { product: productA.product });
    const pB = await g.policy(a.account, { product: productB.product });
    const u = await g.user(a.account, {
      permissions: [...DEFAULT_PERMISSIONS.user, 'product.read'],
    });
    const other = await g.user(a.account);
    await g.license(a.account, { policy: pA, owner: u.user });
    const lb1 = await g.license(a.account, { policy: pB });
    const lb2 = await g.license(a.account, { policy: pB });
    await g.licenseUser(lb1.license, u.user);
    await g.licenseUser(lb2.license, u.user);
    const base = `${a.base}/users/${u.user.id}/products`;
    return { a, productA, productB, productC, u, other, base };
  }

  describe('200', () => {
    it("lists the distinct products of the user's licenses to admins and every staff role", async () => {
      const w = await world();
      const res = await expectStaffList(t, g, w.a, w.base, [
        w.productB.product.id,
        w.productA.product.id,
      ]);
      expect(res.body.data[0].type).toBe('products');
    });

    it('shows one of them by id, to the user itself too', async () => {
      const w = await world();
      const res = await t.http.get(`${w.base}/${w.productA.product.id}`).set(w.a.auth).expect(200);
      expect(res.body.data).toMatchObject({ type: 'products', id: w.productA.product.id });
      expect(ids((await t.http.get(w.base).set(w.u.auth).expect(200)).body)).toHaveLength(2);
      await t.http.get(`${w.base}/${w.productB.product.id}`).set(w.u.auth).expect(200);
    });

    it('shows a product only itself', async () => {
      const w = await world();
      await expectListsAndShows(
        t,
        w.base,
        w.productA.auth,
        [w.productA.product.id],
        w.productA.product.id,
      );
    });
  });

  describe('403', () => {
    it('denies a product the other products of the user', async () => {
      const w = await world();
      const res = await t.http
        .get(`${w.base}/${w.productB.product.id}`)
        .set(w.productA.auth)
        .expect(403);
      expect(res.body.errors).toEqual([denied(DENIED)]);
    });

    it('denies a user with the default permissions (no product.read)', async () => {
      const w = await world();
      const plain = await g.user(w.a.account);
      const res = await t.http.get(`${w.a.base}/users/${plain.user.id}/products`).set(plain.auth);
      expect([res.status, res.body.errors]).toEqual([403, [denied(lacks('user'))]]);
    });
  });

  describe('404', () => {
    it('looks products up by id only, among the user’s', async () => {
      const w = await world();
      const code = w.productA.product.code as string;
      expect((await t.http.get(`${w.base}/${code}`).set(w.a.auth).expect(404)).body.errors).toEqual(
        [notFound('product', code)],
      );
      await t.http.get(`${w.base}/${w.productC.product.id}`).set(w.a.auth).expect(404);
      const elsewhere = await g.account();
      const foreign = await g.product(elsewhere.account);
      await t.http.get(`${w.base}/${foreign.product.id}`).set(w.a.auth).expect(404);
    });

    it('hides other users from a user, and unknown users', async () => {
      const w = await world();
      await t.http.get(w.base).set(w.other.auth).expect(404);
      await t.http.get(`${w.a.base}/users/nobody@example.com/products`).set(w.a.auth).expect(404);
    });
  });
});
