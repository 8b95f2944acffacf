import type { MachineComponent } from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import {
  cast,
  environmentCast,
  expectForbidden,
  expectNotFound,
  ids,
  lacks,
  listedBy,
  listScope,
  ROUTE_TABLE,
  statuses,
  type Cast,
} from '../machines/children-support';

/**
 * GET /components, /components/{id}, /components/{id}/product|license|machine and
 * /machines/{id}/components[/{cid}] (spec 03 §1.1, §2.1–2.3).
 */
describe('reading components', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;
  let cpu: MachineComponent;
  let disk: MachineComponent;
  let foreign: MachineComponent;

  const get = (path: string, auth: Record<string, string>) =>
    t.http.get(`${c.a.base}${path}`).set(auth);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
    // A second apart, so "newest first" has one answer (rows made in the same
    // millisecond would tie and fall back to the random ids).
    cpu = await g.machineComponent(c.machine, { fingerprint: 'cpu', name: 'CPU' });
    t.clock.advance(1_000);
    disk = await g.machineComponent(c.machine, { fingerprint: 'disk', name: 'Disk' });
    t.clock.advance(1_000);
    foreign = await g.machineComponent(c.otherMachine, { fingerprint: 'cpu', name: 'CPU' });
  });
  afterAll(() => t.close());

  describe('GET /components', () => {
    it('scopes the list to what each bearer reaches', async () => {
      const got = await listedBy(c.auth, (auth) => get('/components', auth));
      expect(got).toEqual(listScope([cpu.id, disk.id], [foreign.id]));
    });

    it('filters by machine, license, product, owner and user (no fingerprint filter)', async () => {
      const q = async (query: string) =>
        ids(await get(`/components${query}`, c.auth.admin).expect(200));
      const own = [cpu.id, disk.id].sort();
      expect(await q(`?machine=${c.otherMachine.id}`)).toEqual([foreign.id]);
      expect(await q(`?license=${c.license.id}`)).toEqual(own);
      expect(await q(`?product=${c.policy.productId}`)).toEqual(own);
      expect(await q(`?owner=${c.machineOwner.id}`)).toEqual(own);
      expect(await q(`?user=${c.licensee.id}`)).toEqual(own);
      expect(await q(`?user=${encodeURIComponent(c.licenseOwner.email)}`)).toEqual(own);
      expect(await q('?fingerprint=cpu')).toEqual([cpu.id, disk.id, foreign.id].sort());
      expect(await q('?product=nope')).toEqual([]);
    });

    it('pages newest first', async () => {
      const res = await get('/components?page[number]=1&page[size]=1', c.auth.admin).expect(200);
      expect(ids(res)).toEqual([foreign.id]);
      expect((await get('/components?page[size]=0&page[number]=1', c.auth.admin)).status).toBe(400);
    });

    it('needs component.read', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy, permissions: ['license.read'] });
      expectForbidden(await get('/components', lic.auth), lacks('license'));
    });
  });

  describe('GET /components/{id}', () => {
    it('follows the route table (§2.1)', async () => {
      const got = await statuses(c.auth, (auth) => get(`/components/${cpu.id}`, auth));
      expect(got).toEqual(ROUTE_TABLE.read);
    });

    it('404s with Keygen’s detail (UUIDs only, not fingerprints)', async () => {
      expectNotFound(await get('/components/cpu', c.auth.admin), 'cpu', 'machine component');
      const unknown = '16896379-73ae-4d92-a458-6e7841c9ad08';
      expectNotFound(
        await get(`/components/${unknown}`, c.auth.admin),
        unknown,
        'machine component',
      );
    });

    it('keeps environments apart', async () => {
      const iso = await environmentCast(t, c.a);
      const comp = await g.machineComponent(iso.machine);
      await get(`/components/${comp.id}`, iso.auth).expect(200);
      expect((await get(`/components/${cpu.id}`, iso.auth)).status).toBe(404);
      const shared = await environmentCast(t, c.a, 'SHARED');
      await get(`/components/${cpu.id}`, shared.auth).expect(200);
    });
  });

  describe('GET /components/{id}/product|license|machine', () => {
    it('renders the related records', async () => {
      const p = await get(`/components/${cpu.id}/product`, c.auth.admin).expect(200);
      expect(p.body.data).toMatchObject({ type: 'products', id: c.policy.productId });
      const l = await get(`/components/${cpu.id}/license`, c.auth.license).expect(200);
      expect(l.body.data).toMatchObject({ type: 'licenses', id: c.license.id });
      const m = await get(`/components/${cpu.id}/machine`, c.auth.licensee).expect(200);
      expect(m.body.data).toMatchObject({ type: 'machines', id: c.machine.id });
    });

    it('needs the related read permission', async () => {
      expectForbidden(await get(`/components/${cpu.id}/product`, c.auth.license), lacks('license'));
      expectForbidden(
        await get(`/components/${cpu.id}/product`, c.auth.machineOwner),
        lacks('user'),
      );
      await get(`/components/${cpu.id}/product`, c.auth.product).expect(200);
    });

    it('404s outside the bearer’s reach', async () => {
      expectNotFound(
        await get(`/components/${cpu.id}/machine`, c.auth.otherProduct),
        cpu.id,
        'machine component',
      );
    });
  });

  describe('GET /machines/{id}/components[/{cid}]', () => {
    it('lists a machine’s components by id or fingerprint for its readers', async () => {
      expect(
        ids(await get(`/machines/${c.machine.id}/components`, c.auth.license).expect(200)),
      ).toEqual([cpu.id, disk.id].sort());
      const byFp = await get(
        `/machines/${encodeURIComponent(c.machine.fingerprint)}/components`,
        c.auth.admin,
      );
      expect(ids(byFp)).toEqual([cpu.id, disk.id].sort());
      const got = await statuses(c.auth, (auth) =>
        get(`/machines/${c.machine.id}/components`, auth),
      );
      expect(got).toEqual(ROUTE_TABLE.read);
    });

    it('shows one of the machine’s components, 404 for another machine’s', async () => {
      const res = await get(
        `/machines/${c.machine.id}/components/${disk.id}`,
        c.auth.licenseOwner,
      ).expect(200);
      expect(res.body.data.id).toBe(disk.id);
      expectNotFound(
        await get(`/machines/${c.machine.id}/components/${foreign.id}`, c.auth.admin),
        foreign.id,
        'machine component',
      );
    });

    it('needs component.read', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy, permissions: ['machine.read'] });
      const m = await g.machine(lic.license);
      expectForbidden(await get(`/machines/${m.id}/components`, lic.auth), lacks('license'));
    });
  });
});
