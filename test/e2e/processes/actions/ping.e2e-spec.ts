import type { Response } from 'supertest';
import { MachineProcess } from '@app/modules/machines/machine.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import {
  cast,
  environmentCast,
  expectForbidden,
  statuses,
  type Cast,
} from '../../machines/children-support';

/** POST /v1/accounts/:account/processes/:id/actions/ping (spec 03 §3.4). */
describe('POST /v1/accounts/:account/processes/:id/actions/ping', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const NOW = new Date('2022-10-16T14:52:48.000Z');
  const ping = (id: string, auth: Record<string, string>, base = c.a.base) =>
    t.http.post(`${base}/processes/${id}/actions/ping`).set(auth);
  const events = (name: string, id: string) =>
    t.events.named(name, c.a.id).filter((e) => e.resource.id === id).length;
  const stored = (id: string) => t.ds.getRepository(MachineProcess).findOneByOrFail({ id });

  async function processOn(
    policy: Partial<Policy>,
    lastHeartbeatAt: Date,
  ): Promise<MachineProcess> {
    const p = await g.policy(c.a.account, { floating: true, maxMachines: null, ...policy });
    const lic = await g.license(c.a.account, { policy: p });
    const m = await g.machine(lic.license);
    return g.machineProcess(m, { lastHeartbeatAt });
  }
  const expectDead = (res: Response) =>
    expect({ status: res.status, errors: res.body.errors }).toEqual({
      status: 422,
      errors: [
        { title: 'Unprocessable entity', detail: 'is dead', code: 'PROCESS_HEARTBEAT_DEAD' },
      ],
    });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  it('follows the route table (§3.1)', async () => {
    const proc = await g.machineProcess(c.machine);
    const got = await statuses(c.auth, (auth) => ping(proc.id, auth));
    expect(got).toEqual({
      admin: 200,
      developer: 200,
      'sales-agent': 403,
      'support-agent': 403,
      'read-only': 403,
      product: 200,
      otherProduct: 404,
      licenseOwner: 200,
      machineOwner: 200,
      licensee: 403,
      stranger: 404,
      license: 200,
      licenseKey: 200,
      otherLicense: 404,
    });
  });

  it('pings an alive process: lastHeartbeat now, next one interval later, process.heartbeat.ping', async () => {
    const proc = await processOn({ heartbeatDuration: 1209600 }, new Date(NOW.getTime() - 60_000));
    t.clock.freeze(NOW);
    const res = await ping(proc.id, c.auth.admin).expect(200);
    expect(res.body.data.attributes).toMatchObject({
      lastHeartbeat: '2022-10-16T14:52:48.000Z',
      nextHeartbeat: '2022-10-30T14:52:48.000Z',
      interval: 1209600,
      status: 'ALIVE',
    });
    expect(events('process.heartbeat.ping', proc.id)).toBe(1);
    expect((await stored(proc.id)).lastHeartbeatAt.toISOString()).toBe(NOW.toISOString());
  });

  it('never checks the process limit (a process at maxProcesses=1 still pings)', async () => {
    const proc = await processOn({ maxProcesses: 1 }, new Date());
    await ping(proc.id, c.auth.admin).expect(200);
  });

  it('422s on a dead process without a revive strategy, and emits nothing', async () => {
    const proc = await processOn(
      { heartbeatResurrectionStrategy: 'NO_REVIVE' },
      new Date(NOW.getTime() - 3600_000),
    );
    const legacy = await processOn(
      { heartbeatResurrectionStrategy: null },
      new Date(NOW.getTime() - 3600_000),
    );
    t.clock.freeze(NOW);
    expectDead(await ping(proc.id, c.auth.admin));
    expectDead(await ping(legacy.id, c.auth.admin));
    expect(events('process.heartbeat.ping', proc.id)).toBe(0);
    expect(events('process.heartbeat.resurrected', proc.id)).toBe(0);
  });

  it('resurrects inside the window: RESURRECTED once, ALIVE afterwards, death marker cleared', async () => {
    const policy = { heartbeatResurrectionStrategy: '5_MINUTE_REVIVE', heartbeatDuration: 300 };
    const proc = await processOn(policy, new Date('2022-10-16T14:45:48.000Z'));
    await t.ds.getRepository(MachineProcess).update({ id: proc.id }, { lastDeathEventSentAt: NOW });
    t.clock.freeze(NOW);
    const res = await ping(proc.id, c.auth.admin).expect(200);
    expect(res.body.data.attributes).toMatchObject({
      lastHeartbeat: '2022-10-16T14:52:48.000Z',
      nextHeartbeat: '2022-10-16T14:57:48.000Z',
      status: 'RESURRECTED',
    });
    expect(events('process.heartbeat.resurrected', proc.id)).toBe(1);
    expect((await stored(proc.id)).lastDeathEventSentAt).toBeNull();
    const show = await t.http.get(`${c.a.base}/processes/${proc.id}`).set(c.auth.admin).expect(200);
    expect(show.body.data.attributes.status).toBe('ALIVE');
  });

  it('422s once the window has passed', async () => {
    const policy = { heartbeatResurrectionStrategy: '5_MINUTE_REVIVE', heartbeatDuration: 300 };
    const proc = await processOn(policy, new Date(NOW.getTime() - 11 * 60_000));
    t.clock.freeze(NOW);
    expectDead(await ping(proc.id, c.auth.admin));
  });

  it('always resurrects under ALWAYS_REVIVE', async () => {
    const policy = {
      heartbeatResurrectionStrategy: 'ALWAYS_REVIVE',
      heartbeatCullStrategy: 'KEEP_DEAD',
    };
    const proc = await processOn(policy, new Date(NOW.getTime() - 30 * 86400_000));
    t.clock.freeze(NOW);
    const res = await ping(proc.id, c.auth.admin).expect(200);
    expect(res.body.data.attributes.status).toBe('RESURRECTED');
  });

  it('releases the cull sweep’s claim', async () => {
    const proc = await g.machineProcess(c.machine);
    await t.ds
      .getRepository(MachineProcess)
      .update({ id: proc.id }, { heartbeatClaimedUntil: new Date(Date.now() + 600_000) });
    await ping(proc.id, c.auth.license).expect(200);
    expect((await stored(proc.id)).heartbeatClaimedUntil).toBeNull();
  });

  it('denies users on a protected license, but not the license itself', async () => {
    const pc = await cast(t, { protected: true });
    const proc = await g.machineProcess(pc.machine);
    expectForbidden(await ping(proc.id, pc.auth.licenseOwner, pc.a.base));
    expectForbidden(await ping(proc.id, pc.auth.machineOwner, pc.a.base));
    await ping(proc.id, pc.auth.license, pc.a.base).expect(200);
  });

  it('lets an environment ping its own process and a shared one a global process', async () => {
    const iso = await environmentCast(t, c.a);
    const isoProc = await g.machineProcess(iso.machine);
    await ping(isoProc.id, iso.auth).expect(200);
    const shared = await environmentCast(t, c.a, 'SHARED');
    const globalProc = await g.machineProcess(c.machine);
    await ping(globalProc.id, shared.auth).expect(200);
  });
});
