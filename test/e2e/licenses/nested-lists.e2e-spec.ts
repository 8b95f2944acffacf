import { DEFAULT_PERMISSIONS, LICENSE_PERMISSIONS } from '@app/common/auth/permissions';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import { DENIED, denied, notFound, type Given } from './crud-support';

describe('product/policy license lists, and what licenses hold', () => {
  let t: TestApp;
  let g: Given;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  async function world() {
    const a = await g.account();
    const product = await g.product(a.account);
    const p1 = await g.policy(a.account, { product: product.product });
    const p2 = await g.policy(a.account, { product: product.product });
    const u = await g.user(a.account);
    const l1 = await g.license(a.account, { policy: p1, owner: u.user });
    t.clock.advance(1000);
    const l2 = await g.license(a.account, { policy: p2, suspended: true });
    t.clock.advance(1000);
    const elsewhere = await g.license(a.account);
    return { a, product, p1, p2, u, l1, l2, elsewhere };
  }
  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((d) => d.id);

  describe('GET /products/:id/licenses[/:lid]', () => {
    it("lists the product's licenses to staff and the product, with policy/user/suspended filters", async () => {
      const w = await world();
      const base = `${w.a.base}/products/${w.product.product.id}/licenses`;
      expect(ids((await t.http.get(base).set(w.a.auth).expect(200)).body)).toEqual([
        w.l2.license.id,
        w.l1.license.id,
      ]);
      expect(ids((await t.http.get(base).set(w.product.auth).expect(200)).body)).toHaveLength(2);
      const ro = await g.user(w.a.account, { role: 'read-only' });
      expect(ids((await t.http.get(base).set(ro.auth).expect(200)).body)).toHaveLength(2);
      expect(ids((await t.http.get(`${base}?policy=${w.p1.id}`).set(w.a.auth)).body)).toEqual([
        w.l1.license.id,
      ]);
      expect(ids((await t.http.get(`${base}?user=${w.u.user.id}`).set(w.a.auth)).body)).toEqual([
        w.l1.license.id,
      ]);
      expect(ids((await t.http.get(`${base}?suspended=true`).set(w.a.auth)).body)).toEqual([
        w.l2.license.id,
      ]);
      // not a filter of this route: ignored
      expect(
        ids((await t.http.get(`${base}?owner=${w.u.user.id}`).set(w.a.auth)).body),
      ).toHaveLength(2);
    });

    it('shows one of them by id or key; others are not found', async () => {
      const w = await world();
      const base = `${w.a.base}/products/${w.product.product.id}/licenses`;
      const res = await t.http.get(`${base}/${w.l1.license.id}`).set(w.product.auth).expect(200);
      expect(res.body.data.id).toBe(w.l1.license.id);
      await t.http
        .get(`${base}/${encodeURIComponent(w.l2.key)}`)
        .set(w.a.auth)
        .expect(200);
      expect(
        (await t.http.get(`${base}/${w.elsewhere.license.id}`).set(w.a.auth).expect(404)).body
          .errors,
      ).toEqual([notFound(w.elsewhere.license.id)]);
    });

    it('denies users and licenses, and hides the product from other products', async () => {
      const w = await world();
      const base = `${w.a.base}/products/${w.product.product.id}/licenses`;
      const holder = await g.user(w.a.account, {
        permissions: [...DEFAULT_PERMISSIONS.user, 'product.read'],
      });
      await g.license(w.a.account, { policy: w.p1, owner: holder.user });
      expect((await t.http.get(base).set(holder.auth).expect(403)).body.errors).toEqual([
        denied(DENIED),
      ]);
      await t.http.get(`${base}/${w.l1.license.id}`).set(holder.auth).expect(403);
      await t.http.get(base).set(w.l1.auth).expect(403);
      const other = await g.product(w.a.account);
      await t.http.get(base).set(other.auth).expect(404);
      await t.http.get(`${w.a.base}/products/nope/licenses`).set(w.a.auth).expect(404);
    });
  });

  describe('GET /policies/:id/licenses[/:lid]', () => {
    it("lists the policy's licenses with product/user/suspended filters", async () => {
      const w = await world();
      const base = `${w.a.base}/policies/${w.p1.id}/licenses`;
      expect(ids((await t.http.get(base).set(w.a.auth).expect(200)).body)).toEqual([
        w.l1.license.id,
      ]);
      expect(ids((await t.http.get(base).set(w.product.auth).expect(200)).body)).toEqual([
        w.l1.license.id,
      ]);
      expect(
        ids((await t.http.get(`${base}?product=${w.product.product.id}`).set(w.a.auth)).body),
      ).toEqual([w.l1.license.id]);
      expect(ids((await t.http.get(`${base}?suspended=true`).set(w.a.auth)).body)).toEqual([]);
      expect(ids((await t.http.get(`${base}?user=${w.u.user.email}`).set(w.a.auth)).body)).toEqual([
        w.l1.license.id,
      ]);
    });

    it('shows one license of the policy; others are not found', async () => {
      const w = await world();
      const base = `${w.a.base}/policies/${w.p2.id}/licenses`;
      await t.http.get(`${base}/${w.l2.license.id}`).set(w.a.auth).expect(200);
      await t.http.get(`${base}/${w.l1.license.id}`).set(w.a.auth).expect(404);
    });

    it('hides the policy from other products and denies users', async () => {
      const w = await world();
      const other = await g.product(w.a.account);
      await t.http.get(`${w.a.base}/policies/${w.p1.id}/licenses`).set(other.auth).expect(404);
      const holder = await g.user(w.a.account, {
        permissions: [...DEFAULT_PERMISSIONS.user, 'policy.read'],
      });
      await g.license(w.a.account, { policy: w.p1, owner: holder.user });
      await t.http.get(`${w.a.base}/policies/${w.p1.id}/licenses`).set(holder.auth).expect(403);
    });
  });

  describe('holdings', () => {
    it('shows a user the LICENSED products, policies and entitlements of its licenses', async () => {
      const a = await g.account();
      const held = await g.product(a.account);
      const notHeld = await g.product(a.account);
      const open = await g.product(a.account, { distributionStrategy: 'OPEN' });
      const policy = await g.policy(a.account, { product: held.product });
      const otherPolicy = await g.policy(a.account, { product: notHeld.product });
      const viaPolicy = await g.entitlement(a.account);
      const viaLicense = await g.entitlement(a.account);
      await g.entitlement(a.account);
      await g.policyEntitlement(policy, viaPolicy);
      const u = await g.user(a.account, {
        permissions: [...DEFAULT_PERMISSIONS.user, 'product.read', 'policy.read'],
      });
      const licensee = await g.user(a.account, {
        permissions: [...DEFAULT_PERMISSIONS.user, 'product.read'],
      });
      const l = await g.license(a.account, { policy, owner: u.user });
      await g.licenseUser(l.license, licensee.user);
      await g.licenseEntitlement(l.license, viaLicense);

      const products = await t.http.get(`${a.base}/products`).set(u.auth).expect(200);
      expect(ids(products.body).sort()).toEqual([held.product.id, open.product.id].sort());
      await t.http.get(`${a.base}/products/${held.product.id}`).set(u.auth).expect(200);
      await t.http.get(`${a.base}/products/${notHeld.product.id}`).set(u.auth).expect(404);
      const attached = await t.http.get(`${a.base}/products`).set(licensee.auth).expect(200);
      expect(ids(attached.body)).toContain(held.product.id);

      const policies = await t.http.get(`${a.base}/policies`).set(u.auth).expect(200);
      expect(ids(policies.body)).toEqual([policy.id]);
      await t.http.get(`${a.base}/policies/${otherPolicy.id}`).set(u.auth).expect(404);

      const entitlements = await t.http.get(`${a.base}/entitlements`).set(u.auth).expect(200);
      expect(ids(entitlements.body).sort()).toEqual([viaPolicy.id, viaLicense.id].sort());
    });

    it('shows a license its own product and policy', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const policy = await g.policy(a.account, { product: p.product });
      const l = await g.license(a.account, { policy, permissions: [...LICENSE_PERMISSIONS] });
      const other = await g.product(a.account);
      await t.http.get(`${a.base}/products/${p.product.id}`).set(l.auth).expect(200);
      await t.http.get(`${a.base}/products/${other.product.id}`).set(l.auth).expect(404);
      const policies = await t.http.get(`${a.base}/policies`).set(l.auth).expect(200);
      expect(ids(policies.body)).toEqual([policy.id]);
    });

    it('lets a product generate tokens for users holding its licenses only', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const policy = await g.policy(a.account, { product: p.product });
      const holder = await g.user(a.account);
      const stranger = await g.user(a.account);
      await g.license(a.account, { policy, owner: holder.user });
      const body = (id: string) => ({
        data: { type: 'tokens', relationships: { bearer: { data: { type: 'users', id } } } },
      });
      await t.http.post(`${a.base}/tokens`).set(p.auth).send(body(holder.user.id)).expect(201);
      await t.http.post(`${a.base}/tokens`).set(p.auth).send(body(stranger.user.id)).expect(403);
    });
  });
  describe('users filtered and rated by their licenses', () => {
    const DAY = 24 * 3600 * 1000;
    afterEach(() => t.clock.reset());

    it('filters GET /users by assigned/active, product, license and group', async () => {
      const a = await g.account();
      const product = await g.product(a.account);
      const policy = await g.policy(a.account, { product: product.product });
      const grp = await g.group(a.account);
      const owner = await g.user(a.account);
      const licensee = await g.user(a.account);
      const idle = await g.user(a.account);
      await t.ds.query('UPDATE users SET group_id = $1 WHERE id = $2', [grp.id, idle.user.id]);
      const l = await g.license(a.account, { policy, owner: owner.user });
      await g.licenseUser(l.license, licensee.user);
      const list = async (q: string) =>
        (
          (await t.http.get(`${a.base}/users?${q}`).set(a.auth).expect(200)).body.data as Array<{
            id: string;
          }>
        )
          .map((u) => u.id)
          .sort();
      const sorted = (...xs: string[]) => [...xs].sort();
      expect(await list('assigned=true')).toEqual([owner.user.id]);
      expect(await list('active=1')).toEqual([owner.user.id]);
      expect(await list('assigned=false')).toEqual(sorted(licensee.user.id, idle.user.id));
      expect(await list(`product=${product.product.id}`)).toEqual(
        sorted(owner.user.id, licensee.user.id),
      );
      expect(await list(`license=${l.license.id}`)).toEqual(
        sorted(owner.user.id, licensee.user.id),
      );
      expect(await list(`group=${grp.id}`)).toEqual([idle.user.id]);
      expect(await list('license=nope')).toEqual([]);
    });

    it('keeps users with recently active licenses ACTIVE after 90 days', async () => {
      const a = await g.account();
      const holder = await g.user(a.account);
      const idle = await g.user(a.account);
      t.clock.advance(100 * DAY);
      const l = await g.license(a.account);
      await g.licenseUser(l.license, holder.user);
      const show = async (id: string) =>
        (await t.http.get(`${a.base}/users/${id}`).set(a.auth).expect(200)).body.data.attributes
          .status as string;
      expect(await show(holder.user.id)).toBe('ACTIVE');
      expect(await show(idle.user.id)).toBe('INACTIVE');
      const statuses = async (status: string) =>
        (
          (await t.http.get(`${a.base}/users?status=${status}`).set(a.auth).expect(200)).body
            .data as Array<{ id: string; attributes: { status: string } }>
        ).map((u) => [u.id, u.attributes.status]);
      expect(await statuses('ACTIVE')).toEqual([[holder.user.id, 'ACTIVE']]);
      expect(await statuses('INACTIVE')).toEqual([[idle.user.id, 'INACTIVE']]);
    });
  });
});
