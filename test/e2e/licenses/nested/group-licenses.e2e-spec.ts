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

describe('GET /groups/:id/licenses[/:lid]', () => {
  let t: TestApp;
  let g: Given;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  /** Group G holds lA (product A) and lB (product B); lC is outside; o owns G, m is a member. */
  async function world() {
    const { a, productA, productB, pA, pB } = await twoProducts(g);
    const owner = await g.user(a.account);
    const member = await g.user(a.account);
    const group = await g.group(a.account, { members: [member.user], owners: [owner.user] });
    const lA = await g.license(a.account, { policy: pA, groupId: group.id });
    t.clock.advance(1000);
    const lB = await g.license(a.account, { policy: pB, groupId: group.id, owner: member.user });
    t.clock.advance(1000);
    const lC = await g.license(a.account, { policy: pA, owner: owner.user });
    const base = `${a.base}/groups/${group.id}/licenses`;
    return { a, productA, productB, pA, owner, member, group, lA, lB, lC, base };
  }

  describe('200', () => {
    it("lists the group's licenses to admins and every staff role", async () => {
      const w = await world();
      await expectStaffList(t, g, w.a, w.base, [w.lB.license.id, w.lA.license.id]);
    });

    it('shows one of them by id or key', async () => {
      const w = await world();
      const res = await t.http.get(`${w.base}/${w.lA.license.id}`).set(w.a.auth).expect(200);
      expect(res.body.data).toMatchObject({
        type: 'licenses',
        id: w.lA.license.id,
        relationships: { group: { data: { type: 'groups', id: w.group.id } } },
      });
      await t.http
        .get(`${w.base}/${encodeURIComponent(w.lB.key)}`)
        .set(w.a.auth)
        .expect(200);
    });

    it('lets a group owner read every license of the group, not only its own', async () => {
      const w = await world();
      await expectListsAndShows(
        t,
        w.base,
        w.owner.auth,
        [w.lB.license.id, w.lA.license.id],
        w.lA.license.id,
      );
    });

    it("shows a product only its own licenses of the group's", async () => {
      const w = await world();
      await expectListsAndShows(t, w.base, w.productA.auth, [w.lA.license.id], w.lA.license.id);
    });

    it('gives a member that owns some other group an empty list (compat)', async () => {
      const w = await world();
      await g.group(w.a.account, { owners: [w.member.user] });
      expect(ids((await t.http.get(w.base).set(w.member.auth).expect(200)).body)).toEqual([]);
    });

    it("lists an environment's group licenses to the environment", async () => {
      const a = await g.account();
      const env = await g.environment(a.account);
      const group = await g.group(a.account, { environment: env.environment });
      const policy = await g.policy(a.account, { environment: env.environment });
      const l = await g.license(a.account, { policy, groupId: group.id });
      const base = `${a.base}/groups/${group.id}/licenses`;
      await expectListsAndShows(t, base, env.auth, [l.license.id], l.license.id);
    });
  });

  describe('403', () => {
    it('denies members that own no group: membership only reads the group and its owners', async () => {
      const w = await world();
      expect((await t.http.get(w.base).set(w.member.auth).expect(403)).body.errors).toEqual([
        denied(DENIED),
      ]);
      await t.http.get(`${w.base}/${w.lB.license.id}`).set(w.member.auth).expect(403);
      // the group itself and its owners stay readable to the member
      await t.http.get(`${w.a.base}/groups/${w.group.id}`).set(w.member.auth).expect(200);
      await t.http.get(`${w.a.base}/groups/${w.group.id}/owners`).set(w.member.auth).expect(200);
    });

    it("denies a product another product's license in the group", async () => {
      const w = await world();
      await t.http.get(`${w.base}/${w.lB.license.id}`).set(w.productA.auth).expect(403);
    });

    it('denies a license in the group', async () => {
      const w = await world();
      await t.http.get(w.base).set(w.lA.auth).expect(403);
      await t.http.get(`${w.base}/${w.lA.license.id}`).set(w.lA.auth).expect(403);
    });

    it('denies an owner without group.licenses.read', async () => {
      const w = await world();
      const o = await g.user(w.a.account, { permissions: ['group.read', 'license.read'] });
      await g.groupOwner(w.group, o.user);
      const res = await t.http.get(w.base).set(o.auth);
      expect([res.status, res.body.errors]).toEqual([403, [denied(lacks('user'))]]);
    });
  });

  describe('404', () => {
    it('hides the group from users and licenses outside it', async () => {
      const w = await world();
      const outsider = await g.user(w.a.account);
      const res = await t.http.get(w.base).set(outsider.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('group', w.group.id)]);
      await t.http.get(w.base).set(w.lC.auth).expect(404);
    });

    it('404s on unknown groups, groups of other accounts and licenses outside the group', async () => {
      const w = await world();
      const elsewhere = await g.account();
      const foreign = await g.group(elsewhere.account);
      await t.http
        .get(`${w.a.base}/groups/00000000-0000-4000-8000-000000000000/licenses`)
        .set(w.a.auth)
        .expect(404);
      await t.http.get(`${w.a.base}/groups/${foreign.id}/licenses`).set(w.a.auth).expect(404);
      const res = await t.http.get(`${w.base}/${w.lC.license.id}`).set(w.a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('license', w.lC.license.id)]);
      await t.http.get(`${w.base}/${w.lC.license.id}`).set(w.owner.auth).expect(404);
    });
  });
});
