import type { MachineProcess } from '@app/modules/machines/machine.entity';
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
  RECORD_ENV,
  ROUTE_TABLE,
  statuses,
  type Cast,
} from '../machines/children-support';

/**
 * GET /processes, /processes/{id}, /processes/{id}/product|license|machine and
 * /machines/{id}/processes[/{pid}] (spec 03 §1.1, §3.1–3.2).
 */
describe('reading processes', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;
  let mine: MachineProcess;
  let dead: MachineProcess;
  let foreign: MachineProcess;

  const get = (path: string, auth: Record<string, string>) =>
    t.http.get(`${c.a.base}${path}`).set(auth);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t, { heartbeatDuration: 120 });
    mine = await g.machineProcess(c.machine, { pid: 'alive' });
    dead = await g.machineProcess(c.machine, {
      pid: 'dead',
      lastHeartbeatAt: new Date(Date.now() - 3600_000),
    });
    foreign = await g.machineProcess(c.otherMachine, { pid: 'foreign' });
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  describe('GET /processes', () => {
    it('scopes the list to what each bearer reaches', async () => {
      const got = await listedBy(c.auth, (auth) => get('/processes', auth));
      expect(got).toEqual(listScope([mine.id, dead.id], [foreign.id]));
    });

    it('filters by machine, license, product, owner, user and status', async () => {
      const q = async (query: string) =>
        ids(await get(`/processes${query}`, c.auth.admin).expect(200));
      const own = [mine.id, dead.id].sort();
      expect(await q(`?machine=${c.otherMachine.id}`)).toEqual([foreign.id]);
      expect(await q(`?license=${c.license.id}`)).toEqual(own);
      expect(await q(`?product=${c.policy.productId}`)).toEqual(own);
      expect(await q(`?owner=${c.machineOwner.id}`)).toEqual(own);
      expect(await q(`?owner=${c.licensee.id}`)).toEqual([]);
      expect(await q(`?user=${c.licensee.id}`)).toEqual(own);
      expect(await q(`?user=${encodeURIComponent(c.licenseOwner.email)}`)).toEqual(own);
      expect(await q(`?license=${c.license.id}&status=alive`)).toEqual([mine.id]);
      expect(await q(`?license=${c.license.id}&status=DEAD`)).toEqual([dead.id]);
      expect(await q('?status=zombie')).toEqual([]);
      expect(await q('?machine=not-a-uuid')).toEqual([]);
    });

    it('computes the status at read time', async () => {
      t.clock.advance(121_000);
      const q = async (query: string) =>
        ids(await get(`/processes${query}`, c.auth.admin).expect(200));
      expect(await q(`?license=${c.license.id}&status=alive`)).toEqual([]);
      const res = await get(`/processes/${mine.id}`, c.auth.admin).expect(200);
      expect(res.body.data.attributes.status).toBe('DEAD');
    });

    it('pages and rejects bad page sizes', async () => {
      const res = await get('/processes?page[number]=1&page[size]=2', c.auth.admin).expect(200);
      expect(res.body.data).toHaveLength(2);
      expect((await get('/processes?page[size]=101&page[number]=1', c.auth.admin)).status).toBe(
        400,
      );
      expect((await get('/processes?limit=0', c.auth.admin)).status).toBe(400);
    });

    it('needs process.read', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy, permissions: ['license.read'] });
      expectForbidden(await get('/processes', lic.auth), lacks('license'));
    });

    it('401s for an admin of another account', async () => {
      const other = await g.account();
      expect((await get('/processes', other.auth)).status).toBe(401);
    });
  });

  describe('GET /processes/{id}', () => {
    it('follows the route table (§3.1)', async () => {
      const got = await statuses(c.auth, (auth) => get(`/processes/${mine.id}`, auth));
      expect(got).toEqual(ROUTE_TABLE.read);
    });

    it('shows a dead process as DEAD with its next heartbeat in the past', async () => {
      const res = await get(`/processes/${dead.id}`, c.auth.admin).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        status: 'DEAD',
        interval: 120,
        pid: 'dead',
      });
      expect(Date.parse(res.body.data.attributes.nextHeartbeat as string)).toBeLessThan(Date.now());
    });

    it('404s with Keygen’s detail for unknown or non-UUID ids', async () => {
      expectNotFound(await get('/processes/invalid', c.auth.admin), 'invalid', 'machine process');
      const unknown = '16896379-73ae-4d92-a458-6e7841c9ad08';
      expectNotFound(await get(`/processes/${unknown}`, c.auth.admin), unknown, 'machine process');
    });

    it('keeps environments apart: isolated sees its own, shared sees global too', async () => {
      const iso = await environmentCast(t, c.a);
      const isoProcess = await g.machineProcess(iso.machine);
      await get(`/processes/${isoProcess.id}`, iso.auth).expect(200);
      expect((await get(`/processes/${mine.id}`, iso.auth)).status).toBe(404);
      expect(ids(await get('/processes', iso.auth).expect(200))).toEqual([isoProcess.id]);
      const shared = await environmentCast(t, c.a, 'SHARED');
      await get(`/processes/${mine.id}`, shared.auth).expect(200);
      expect((await get(`/processes/${isoProcess.id}`, shared.auth)).status).toBe(404);
    });
  });

  describe('GET /processes/{id}/product|license|machine', () => {
    it('renders each related record for staff and the product', async () => {
      const p = await get(`/processes/${mine.id}/product`, c.auth['read-only']).expect(200);
      expect(p.body.data).toMatchObject({ type: 'products', id: c.policy.productId });
      const l = await get(`/processes/${mine.id}/license`, c.auth.product).expect(200);
      expect(l.body.data).toMatchObject({ type: 'licenses', id: c.license.id });
      const m = await get(`/processes/${mine.id}/machine`, c.auth.admin).expect(200);
      expect(m.body.data).toMatchObject({ type: 'machines', id: c.machine.id });
    });

    it('needs the related read permission: licenses and users lack product.read', async () => {
      expectForbidden(await get(`/processes/${mine.id}/product`, c.auth.license), lacks('license'));
      expectForbidden(
        await get(`/processes/${mine.id}/product`, c.auth.licenseOwner),
        lacks('user'),
      );
      await get(`/processes/${mine.id}/license`, c.auth.license).expect(200);
      await get(`/processes/${mine.id}/machine`, c.auth.licensee).expect(200);
    });

    it('404s outside the bearer’s reach', async () => {
      expectNotFound(
        await get(`/processes/${mine.id}/machine`, c.auth.otherLicense),
        mine.id,
        'machine process',
      );
      expectNotFound(
        await get(`/processes/${mine.id}/license`, c.auth.stranger),
        mine.id,
        'machine process',
      );
    });
  });

  describe('GET /machines/{id}/processes[/{pid}]', () => {
    it('lists a machine’s processes by machine id or fingerprint, with the status filter', async () => {
      const byId = await get(`/machines/${c.machine.id}/processes`, c.auth.license).expect(200);
      expect(ids(byId)).toEqual([mine.id, dead.id].sort());
      const byFp = await get(
        `/machines/${encodeURIComponent(c.machine.fingerprint)}/processes?status=dead`,
        c.auth.admin,
      ).expect(200);
      expect(ids(byFp)).toEqual([dead.id]);
    });

    it('follows the readers of the machine', async () => {
      const got = await statuses(c.auth, (auth) =>
        get(`/machines/${c.machine.id}/processes`, auth),
      );
      expect(got).toEqual(ROUTE_TABLE.read);
    });

    it('shows one of the machine’s processes, 404 for another machine’s', async () => {
      const res = await get(
        `/machines/${c.machine.id}/processes/${mine.id}`,
        c.auth.product,
      ).expect(200);
      expect(res.body.data.id).toBe(mine.id);
      expectNotFound(
        await get(`/machines/${c.machine.id}/processes/${foreign.id}`, c.auth.admin),
        foreign.id,
        'machine process',
      );
      expectNotFound(
        await get(`/machines/${c.otherMachine.id}/processes/${foreign.id}`, c.auth.license),
        c.otherMachine.id,
        'machine',
      );
    });

    it('needs process.read', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy, permissions: ['machine.read'] });
      const m = await g.machine(lic.license);
      expectForbidden(await get(`/machines/${m.id}/processes`, lic.auth), lacks('license'));
    });
  });

  it('denies a shared environment writing a global process (strict rule)', async () => {
    const shared = await environmentCast(t, c.a, 'SHARED');
    const res = await t.http
      .patch(`${c.a.base}/processes/${mine.id}`)
      .set(shared.auth)
      .send({ data: { type: 'processes', attributes: { metadata: { a: 1 } } } });
    expectForbidden(res, RECORD_ENV);
  });
});
