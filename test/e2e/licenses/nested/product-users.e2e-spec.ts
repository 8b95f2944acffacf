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
  twoProducts,
  type Given,
} from './support';

describe('GET /products/:id/users[/:uid]', () => {
  let t: TestApp;
  let g: Given;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  /**
   * Product A: owner1 owns two licenses, licensee is attached to one, an admin owns one.
   * Product B: onlyB owns its license.
   */
  async function world() {
    const { a, productA, productB, pA, pB } = await twoProducts(g, { code: `pa-${Date.now()}` });
    const owner1 = await g.user(a.account);
    t.clock.advance(1000);
    const licensee = await g.user(a.account, { email: `Mixed.${Date.now()}@example.com` });
    t.clock.advance(1000);
    const admin = await g.user(a.account, { role: 'admin' });
    const onlyB = await g.user(a.account);
    const l1 = await g.license(a.account, { policy: pA, owner: owner1.user });
    await g.license(a.account, { policy: pA, owner: owner1.user });
    await g.licenseUser(l1.license, licensee.user);
    await g.license(a.account, { policy: pA, owner: admin.user });
    await g.license(a.account, { policy: pB, owner: onlyB.user });
    const base = `${a.base}/products/${productA.product.id}/users`;
    return { a, productA, productB, owner1, licensee, admin, onlyB, l1, base };
  }

  describe('200', () => {
    it('lists the distinct user-role owners and licensees to admins and every staff role', async () => {
      const w = await world();
      const res = await expectStaffList(t, g, w.a, w.base, [w.licensee.user.id, w.owner1.user.id]);
      expect(res.body.data[0].type).toBe('users');
    });

    it('addresses the product by code and filters by roles[]', async () => {
      const w = await world();
      const byCode = `${w.a.base}/products/${w.productA.product.code as string}/users`;
      expect(ids((await t.http.get(byCode).set(w.a.auth).expect(200)).body)).toHaveLength(2);
      const q = async (query: string) =>
        ids((await t.http.get(`${w.base}?${query}`).set(w.a.auth).expect(200)).body);
      expect(await q('roles[]=admin')).toEqual([w.admin.user.id]);
      expect(await q('roles[]=user&roles[]=admin')).toEqual([
        w.admin.user.id,
        w.licensee.user.id,
        w.owner1.user.id,
      ]);
      expect(await q('roles[]=developer')).toEqual([]);
    });

    it('lets the product read its users (user-role only)', async () => {
      const w = await world();
      await expectListsAndShows(
        t,
        w.base,
        w.productA.auth,
        [w.licensee.user.id, w.owner1.user.id],
        w.owner1.user.id,
      );
      expect(
        ids((await t.http.get(`${w.base}?roles[]=admin`).set(w.productA.auth).expect(200)).body),
      ).toEqual([]);
    });

    it('shows a holder by id or exact e-mail, whatever its role', async () => {
      const w = await world();
      const res = await t.http.get(`${w.base}/${w.licensee.user.id}`).set(w.a.auth).expect(200);
      expect(res.body.data).toMatchObject({
        type: 'users',
        id: w.licensee.user.id,
        attributes: { email: w.licensee.user.email, status: 'ACTIVE' },
      });
      await t.http.get(`${w.base}/${w.licensee.user.email}`).set(w.a.auth).expect(200);
      await t.http.get(`${w.base}/${w.admin.user.id}`).set(w.a.auth).expect(200);
    });

    it("lists an environment's product users to the environment", async () => {
      const a = await g.account();
      const env = await g.environment(a.account);
      const product = await g.product(a.account, { environment: env.environment });
      const policy = await g.policy(a.account, {
        product: product.product,
        environment: env.environment,
      });
      const u = await g.user(a.account, { environment: env.environment });
      await g.license(a.account, { policy, owner: u.user });
      const base = `${a.base}/products/${product.product.id}/users`;
      await expectListsAndShows(t, base, env.auth, [u.user.id], u.user.id);
    });
  });

  describe('403', () => {
    it('denies users holding a license of the product, and its licenses', async () => {
      const w = await world();
      const holder = await g.user(w.a.account, {
        permissions: [...DEFAULT_PERMISSIONS.user, 'product.read', 'user.read'],
      });
      await g.license(w.a.account, {
        policy: await g.policy(w.a.account, { product: w.productA.product }),
        owner: holder.user,
      });
      expect((await t.http.get(w.base).set(holder.auth).expect(403)).body.errors).toEqual([
        denied(DENIED),
      ]);
      await t.http.get(`${w.base}/${w.owner1.user.id}`).set(holder.auth).expect(403);
      const res = await t.http.get(w.base).set(w.l1.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('license'))]);
    });
  });

  describe('404', () => {
    it('hides the product from other products, and unknown products', async () => {
      const w = await world();
      await t.http.get(w.base).set(w.productB.auth).expect(404);
      await t.http.get(`${w.a.base}/products/nope/users`).set(w.a.auth).expect(404);
      const elsewhere = await g.account();
      const foreign = await g.product(elsewhere.account);
      await t.http
        .get(`${w.a.base}/products/${foreign.product.id}/users`)
        .set(w.a.auth)
        .expect(404);
    });

    it("404s on users that hold none of the product's licenses, and e-mails in another case", async () => {
      const w = await world();
      const res = await t.http.get(`${w.base}/${w.onlyB.user.id}`).set(w.a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('user', w.onlyB.user.id)]);
      await t.http
        .get(`${w.base}/${w.licensee.user.email.toUpperCase()}`)
        .set(w.a.auth)
        .expect(404);
      await t.http.get(`${w.base}/nobody@example.com`).set(w.a.auth).expect(404);
    });
  });
});
