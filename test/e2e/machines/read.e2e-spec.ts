import { License } from '@app/modules/licenses/license.entity';
import type { Machine } from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import { cast, expectForbidden, expectNotFound, ids, lacks, type Cast } from './support';

describe('GET /v1/accounts/:account/machines[/:id]', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;
  let mine: Machine;
  let owned: Machine;
  let foreign: Machine;
  /** The cast's license's machines, sorted. */
  let own: string[];

  const list = (auth: Record<string, string>, query = '') =>
    t.http.get(`${c.a.base}/machines${query}`).set(auth);
  const show = (id: string, auth: Record<string, string>) =>
    t.http.get(`${c.a.base}/machines/${encodeURIComponent(id)}`).set(auth);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
    mine = await g.machine(c.license, {
      fingerprint: 'fp:with.dots/and-colons',
      ip: '10.0.0.1',
      hostname: 'h1',
    });
    owned = await g.machine(c.license, {
      ownerId: c.licensee.user.id,
      metadata: { node_id: 42, tier: 'gold' },
    });
    foreign = await g.machine(c.otherLicense.license, { fingerprint: 'foreign-fp' });
    own = [mine.id, owned.id].sort();
  });
  afterAll(() => t.close());

  describe('index', () => {
    it('lists every machine for each staff role and the environment of the record', async () => {
      for (const auth of Object.values(c.roles)) {
        const res = await list(auth).expect(200);
        expect(ids(res)).toEqual([mine.id, owned.id, foreign.id].sort());
      }
    });

    it('scopes products, users and licenses to their machines', async () => {
      expect(ids(await list(c.product).expect(200))).toEqual(own);
      expect(ids(await list(c.otherProduct).expect(200))).toEqual([foreign.id]);
      expect(ids(await list(c.licenseOwner.auth).expect(200))).toEqual(own);
      expect(ids(await list(c.licensee.auth).expect(200))).toEqual(own);
      expect(ids(await list(c.stranger.auth).expect(200))).toEqual([]);
      expect(ids(await list(c.licenseAuth).expect(200))).toEqual(own);
      expect(ids(await list(c.licenseKeyAuth).expect(200))).toEqual(own);
      expect(ids(await list(c.otherLicense.auth).expect(200))).toEqual([foreign.id]);
    });

    it('needs machine.read', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy, permissions: ['license.read'] });
      expectForbidden(await list(lic.auth), lacks('license'));
    });

    it('filters by fingerprint, ip, hostname, license, key, product, policy, owner, user and metadata', async () => {
      const admin = c.roles.admin;
      const q = async (query: string) => ids(await list(admin, query).expect(200));
      expect(await q(`?fingerprint=${encodeURIComponent(mine.fingerprint)}`)).toEqual([mine.id]);
      expect(await q('?ip=10.0.0.1')).toEqual([mine.id]);
      expect(await q('?hostname=h1')).toEqual([mine.id]);
      expect(await q(`?license=${c.otherLicense.license.id}`)).toEqual([foreign.id]);
      expect(await q(`?key=${encodeURIComponent(c.license.key as string)}`)).toEqual(own);
      expect(await q(`?product=${c.policy.productId}`)).toEqual(own);
      expect(await q(`?policy=${c.otherLicense.license.policyId}`)).toEqual([foreign.id]);
      expect(await q(`?owner=${c.licensee.user.id}`)).toEqual([owned.id]);
      expect(await q(`?owner=${encodeURIComponent(c.licensee.user.email)}`)).toEqual([owned.id]);
      expect(await q(`?user=${c.licenseOwner.user.id}`)).toEqual(own);
      expect(await q(`?user=${encodeURIComponent(c.licensee.user.email)}`)).toEqual(own);
      expect(await q('?metadata[nodeId]=42')).toEqual([owned.id]);
      expect(await q('?metadata[node_id]=42&metadata[tier]=gold')).toEqual([owned.id]);
      expect(await q('?metadata[tier]=silver')).toEqual([]);
      expect(await q('?license=not-a-uuid')).toEqual([]);
    });

    it('filters by heartbeat status at read time', async () => {
      const p = await g.policy(c.a.account, {
        floating: true,
        requireHeartbeat: true,
        heartbeatDuration: 60,
      });
      const lic = await g.license(c.a.account, { policy: p });
      const now = t.clock.now();
      const alive = await g.machine(lic.license, { lastHeartbeatAt: now });
      const dead = await g.machine(lic.license, {
        lastHeartbeatAt: new Date(now.getTime() - 120_000),
      });
      const idle = await g.machine(lic.license, { createdAt: new Date(now.getTime() - 120_000) });
      const fresh = await g.machine(lic.license);
      const q = async (status: string) =>
        ids(await list(c.roles.admin, `?license=${lic.license.id}&status=${status}`).expect(200));
      expect(await q('ALIVE')).toEqual([alive.id, fresh.id].sort());
      expect(await q('dead')).toEqual([dead.id, idle.id].sort());
      expect(await q('unknown')).toEqual([]);
      t.clock.advance(61_000);
      try {
        expect(await q('alive')).toEqual([]);
      } finally {
        t.clock.reset();
      }
    });

    it('pages newest first', async () => {
      const res = await list(c.roles.admin, '?page[number]=1&page[size]=2').expect(200);
      expect(res.body.data).toHaveLength(2);
      expect(res.body.links).toMatchObject({ self: expect.any(String), next: expect.any(String) });
    });
  });

  describe('show', () => {
    it('finds by id and by fingerprint, as given', async () => {
      const byId = await show(mine.id, c.roles.admin).expect(200);
      expect(byId.body.data.id).toBe(mine.id);
      const byFp = await show(mine.fingerprint, c.roles.admin).expect(200);
      expect(byFp.body.data.id).toBe(mine.id);
    });

    it('returns the oldest match when a fingerprint is on several licenses, the bearer’s own for a license', async () => {
      const later = await g.machine(c.otherLicense.license, { fingerprint: mine.fingerprint });
      expect((await show(mine.fingerprint, c.roles.admin).expect(200)).body.data.id).toBe(mine.id);
      expect((await show(mine.fingerprint, c.otherLicense.auth).expect(200)).body.data.id).toBe(
        later.id,
      );
    });

    it('matches a UUID-looking fingerprint', async () => {
      const uuidFp = '8e6bc8b1-5c43-4d6a-9dfa-0d1b6c3a9b11';
      const m = await g.machine(c.license, { fingerprint: uuidFp });
      expect((await show(uuidFp, c.roles.admin).expect(200)).body.data.id).toBe(m.id);
    });

    it('lets every reader see it', async () => {
      for (const auth of [
        ...Object.values(c.roles),
        c.product,
        c.licenseOwner.auth,
        c.licensee.auth,
        c.licenseAuth,
        c.licenseKeyAuth,
      ]) {
        await show(mine.id, auth).expect(200);
      }
    });

    it('answers 404 outside the bearer’s reach', async () => {
      for (const auth of [
        c.otherProduct,
        c.stranger.auth,
        c.otherLicense.auth,
        c.otherLicense.keyAuth,
      ]) {
        expectNotFound(await show(mine.id, auth), mine.id);
      }
      expectNotFound(await show('no-such-fingerprint', c.roles.admin), 'no-such-fingerprint');
    });

    it('answers 404 in another environment', async () => {
      const env = await g.environment(c.a.account);
      expectNotFound(await show(mine.id, env.auth), mine.id);
    });

    it('lets a new license owner see the license’s machines', async () => {
      await t.ds
        .getRepository(License)
        .update({ id: c.otherLicense.license.id }, { ownerId: c.stranger.user.id });
      await show(foreign.id, c.stranger.auth).expect(200);
    });
  });
  describe('GET /licenses/:license/machines[/:id]', () => {
    const nested = (license: string, auth: Record<string, string>, rest = '') =>
      t.http.get(`${c.a.base}/licenses/${encodeURIComponent(license)}/machines${rest}`).set(auth);

    it('lists a license’s machines (by id or key) for its readers, with filters', async () => {
      for (const auth of [
        c.roles['read-only'],
        c.product,
        c.licenseOwner.auth,
        c.licensee.auth,
        c.licenseAuth,
      ]) {
        const res = await nested(c.license.id, auth).expect(200);
        expect(res.body.data.map((d: { id: string }) => d.id)).toEqual(
          expect.arrayContaining([mine.id, owned.id]),
        );
      }
      const byKey = await nested(
        c.license.key as string,
        c.roles.admin,
        `?fingerprint=${encodeURIComponent(mine.fingerprint)}`,
      ).expect(200);
      expect(byKey.body.data.map((d: { id: string }) => d.id)).toEqual([mine.id]);
    });

    it('shows one by id or fingerprint, 404 when it is not the license’s', async () => {
      expect(
        (
          await nested(
            c.license.id,
            c.licenseAuth,
            `/${encodeURIComponent(mine.fingerprint)}`,
          ).expect(200)
        ).body.data.id,
      ).toBe(mine.id);
      expectNotFound(await nested(c.license.id, c.roles.admin, `/${foreign.id}`), foreign.id);
    });

    it('404s a license outside the bearer’s reach', async () => {
      expectNotFound(await nested(c.license.id, c.stranger.auth), c.license.id, 'license');
      expectNotFound(await nested(c.license.id, c.otherLicense.auth), c.license.id, 'license');
    });
  });
  describe('GET /products|users|groups/:id/machines[/:id]', () => {
    const nested = (path: string, auth: Record<string, string>) =>
      t.http.get(`${c.a.base}/${path}`).set(auth);

    it('lists a product’s machines for staff and the product itself', async () => {
      const product = c.policy.productId;
      expect(
        ids(await nested(`products/${product}/machines`, c.roles['read-only']).expect(200)),
      ).toEqual(expect.arrayContaining([mine.id, owned.id]));
      expect(ids(await nested(`products/${product}/machines`, c.product).expect(200))).toEqual(
        expect.arrayContaining([mine.id, owned.id]),
      );
      expect(
        ids(
          await nested(
            `products/${product}/machines?fingerprint=${encodeURIComponent(mine.fingerprint)}`,
            c.roles.admin,
          ).expect(200),
        ),
      ).toEqual([mine.id]);
      expectNotFound(
        await nested(`products/${product}/machines/${foreign.id}`, c.roles.admin),
        foreign.id,
      );
      expectNotFound(
        await nested(`products/${product}/machines`, c.otherProduct),
        product,
        'product',
      );
    });

    it('lists a user’s machines for staff, the user, and products for plain users', async () => {
      const user = c.licensee.user;
      const all = ids(await nested(`users/${user.id}/machines`, c.licensee.auth).expect(200));
      expect(all).toEqual(expect.arrayContaining([mine.id, owned.id]));
      expect(all).not.toContain(foreign.id);
      const byEmail = await nested(
        `users/${encodeURIComponent(user.email)}/machines`,
        c.roles.admin,
      );
      expect(byEmail.status).toBe(200);
      expect(ids(byEmail)).toEqual(all);
      await nested(`users/${user.id}/machines/${owned.id}`, c.product).expect(200);
      expectForbidden(await nested(`users/${user.id}/machines/${owned.id}`, c.otherProduct));
    });

    it('lists a group’s machines for staff and the group’s owners only', async () => {
      const groupOwner = await g.user(c.a.account);
      const group = await g.group(c.a.account, { owners: [groupOwner.user] });
      const inGroup = await g.machine(c.otherLicense.license, { groupId: group.id });
      expect(ids(await nested(`groups/${group.id}/machines`, c.roles.admin).expect(200))).toEqual([
        inGroup.id,
      ]);
      expect(ids(await nested(`groups/${group.id}/machines`, groupOwner.auth).expect(200))).toEqual(
        [inGroup.id],
      );
      await nested(`groups/${group.id}/machines/${inGroup.id}`, groupOwner.auth).expect(200);
      expectNotFound(await show(inGroup.id, groupOwner.auth), inGroup.id);
      const member = await g.user(c.a.account);
      await g.group(c.a.account, { members: [] });
      await t.ds.query('UPDATE users SET group_id = $1 WHERE id = $2', [group.id, member.user.id]);
      expectForbidden(await nested(`groups/${group.id}/machines`, member.auth));
    });
  });
});
