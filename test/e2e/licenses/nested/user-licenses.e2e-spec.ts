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

describe('GET /users/:id/licenses[/:lid]', () => {
  let t: TestApp;
  let g: Given;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  /** u owns l1 (product A) and is attached to l2 (product B, suspended); l3 is someone else's. */
  async function world() {
    const { a, productA, productB, pA, pB } = await twoProducts(g);
    const u = await g.user(a.account);
    const other = await g.user(a.account);
    const l1 = await g.license(a.account, { policy: pA, owner: u.user });
    t.clock.advance(1000);
    const l2 = await g.license(a.account, { policy: pB, suspended: true });
    await g.licenseUser(l2.license, u.user);
    t.clock.advance(1000);
    const l3 = await g.license(a.account, { policy: pA, owner: other.user });
    const base = `${a.base}/users/${u.user.id}/licenses`;
    return { a, productA, productB, pA, pB, u, other, l1, l2, l3, base };
  }

  describe('200', () => {
    it('lists owned and attached licenses, newest first, to admins and every staff role', async () => {
      const w = await world();
      await expectStaffList(t, g, w.a, w.base, [w.l2.license.id, w.l1.license.id]);
    });

    it('addresses the user by e-mail and renders license documents', async () => {
      const w = await world();
      const res = await t.http
        .get(`${w.a.base}/users/${w.u.user.email}/licenses`)
        .set(w.a.auth)
        .expect(200);
      expect(ids(res.body)).toEqual([w.l2.license.id, w.l1.license.id]);
      expect(res.body.data[1]).toMatchObject({
        type: 'licenses',
        attributes: { key: w.l1.key },
        relationships: { owner: { data: { type: 'users', id: w.u.user.id } } },
      });
    });

    it('filters by product, policy and suspended, and ignores other license filters', async () => {
      const w = await world();
      const q = async (query: string) =>
        ids((await t.http.get(`${w.base}?${query}`).set(w.a.auth).expect(200)).body);
      expect(await q(`product=${w.productA.product.id}`)).toEqual([w.l1.license.id]);
      expect(await q(`policy=${w.pB.id}`)).toEqual([w.l2.license.id]);
      expect(await q('suspended=true')).toEqual([w.l2.license.id]);
      expect(await q('suspended=false')).toEqual([w.l1.license.id]);
      expect(await q('product=not-a-uuid')).toEqual([]);
      // not filters of this route
      expect(await q(`owner=${w.other.user.id}`)).toHaveLength(2);
      expect(await q('status=EXPIRED')).toHaveLength(2);
    });

    it('shows one of them by id or key', async () => {
      const w = await world();
      const byId = await t.http.get(`${w.base}/${w.l1.license.id}`).set(w.a.auth).expect(200);
      expect(byId.body.data.id).toBe(w.l1.license.id);
      const byKey = await t.http
        .get(`${w.base}/${encodeURIComponent(w.l2.key)}`)
        .set(w.a.auth)
        .expect(200);
      expect(byKey.body.data.id).toBe(w.l2.license.id);
    });

    it('lets the user read its own licenses, attached ones included', async () => {
      const w = await world();
      await expectListsAndShows(
        t,
        w.base,
        w.u.auth,
        [w.l2.license.id, w.l1.license.id],
        w.l2.license.id,
      );
    });

    it("shows a product only its own licenses of a user's", async () => {
      const w = await world();
      await expectListsAndShows(t, w.base, w.productA.auth, [w.l1.license.id], w.l1.license.id);
    });

    it("lists an environment's users' licenses to the environment", async () => {
      const a = await g.account();
      const env = await g.environment(a.account);
      const u = await g.user(a.account, { environment: env.environment });
      const policy = await g.policy(a.account, { environment: env.environment });
      const l = await g.license(a.account, { policy, owner: u.user });
      const base = `${a.base}/users/${u.user.id}/licenses`;
      await expectListsAndShows(t, base, env.auth, [l.license.id], l.license.id);
    });
  });

  describe('403', () => {
    it("denies a product another product's license of the user", async () => {
      const w = await world();
      expect(
        (await t.http.get(`${w.base}/${w.l2.license.id}`).set(w.productA.auth).expect(403)).body
          .errors,
      ).toEqual([denied(DENIED)]);
    });

    it('denies the user itself without license.read', async () => {
      const w = await world();
      const u = await g.user(w.a.account, { permissions: ['user.read'] });
      await g.license(w.a.account, { policy: w.pA, owner: u.user });
      const res = await t.http.get(`${w.a.base}/users/${u.user.id}/licenses`).set(u.auth);
      expect([res.status, res.body.errors]).toEqual([403, [denied(lacks('user'))]]);
    });
  });

  describe('404', () => {
    it('hides other users from a user and admins from a product', async () => {
      const w = await world();
      const res = await t.http.get(w.base).set(w.other.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('user', w.u.user.id)]);
      await t.http.get(`${w.base}/${w.l1.license.id}`).set(w.other.auth).expect(404);
      const admin = await g.user(w.a.account, { role: 'admin' });
      await g.license(w.a.account, { policy: w.pA, owner: admin.user });
      await t.http
        .get(`${w.a.base}/users/${admin.user.id}/licenses`)
        .set(w.productA.auth)
        .expect(404);
    });

    it('hides users from license bearers (the users scope does not reach them)', async () => {
      const w = await world();
      await t.http.get(w.base).set(w.l1.auth).expect(404);
    });

    it('404s on unknown users, users of other accounts and licenses outside the user', async () => {
      const w = await world();
      const elsewhere = await g.account();
      const stranger = await g.user(elsewhere.account);
      await t.http.get(`${w.a.base}/users/nobody@example.com/licenses`).set(w.a.auth).expect(404);
      await t.http.get(`${w.a.base}/users/${stranger.user.id}/licenses`).set(w.a.auth).expect(404);
      const res = await t.http.get(`${w.base}/${w.l3.license.id}`).set(w.a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('license', w.l3.license.id)]);
      await t.http.get(`${w.base}/${w.l3.license.id}`).set(w.u.auth).expect(404);
      const foreign = await g.license(elsewhere.account, { owner: stranger.user });
      await t.http.get(`${w.base}/${foreign.license.id}`).set(w.a.auth).expect(404);
    });

    it("hides other environments' users from an environment", async () => {
      const w = await world();
      const env = await g.environment(w.a.account);
      await t.http.get(w.base).set(env.auth).expect(404);
    });
  });

  it('keeps the default user permission set able to read (sanity)', () => {
    expect(DEFAULT_PERMISSIONS.user).toContain('license.read');
  });
});
