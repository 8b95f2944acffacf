import { ScheduleRunner } from '@app/common/jobs/schedule-runner';
import { SCHEDULES } from '@app/common/jobs/schedules';
import { Machine } from '@app/modules/machines/machine.entity';
import { MachineCullingService } from '@app/modules/machines/machine-culling.service';
import type { License } from '@app/modules/licenses/license.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { cullingProbes } from './support';

/**
 * Heartbeat culling (spec 03 §1.8.5, 07 §2.1): the clock moves, the sweep runs (twice,
 * as overlapping ticks would), and each death is announced once.
 */
describe('culling dead machines', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let culling: MachineCullingService;

  const { sweep, exists, stored, events } = cullingProbes(Machine, () => ({ t, a, culling }));
  const statusOf = async (m: Machine) =>
    (await t.http.get(`${a.base}/machines/${m.id}`).set(a.auth).expect(200)).body.data.attributes
      .heartbeatStatus as string;

  async function licenseOn(policy: Partial<Policy>): Promise<License> {
    const p = await g.policy(a.account, { floating: true, heartbeatDuration: 60, ...policy });
    return (await g.license(a.account, { policy: p })).license;
  }

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    culling = t.app.get(MachineCullingService);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  it('is scheduled every two minutes', () => {
    expect(SCHEDULES).toContainEqual(
      expect.objectContaining({
        name: 'cull-dead-machines',
        cron: '0 */2 * * * *',
        job: 'cull-dead-machines',
      }),
    );
  });

  it('deletes DEACTIVATE_DEAD machines, keeps KEEP_DEAD ones, each dead event once', async () => {
    t.clock.freeze();
    const t0 = t.clock.now();
    const deactivate = await licenseOn({
      requireHeartbeat: true,
      heartbeatCullStrategy: 'DEACTIVATE_DEAD',
    });
    const keep = await licenseOn({ requireHeartbeat: true, heartbeatCullStrategy: 'KEEP_DEAD' });
    const revive = await licenseOn({
      heartbeatCullStrategy: 'DEACTIVATE_DEAD',
      heartbeatResurrectionStrategy: '1_MINUTE_REVIVE',
    });
    const always = await licenseOn({
      heartbeatCullStrategy: 'KEEP_DEAD',
      heartbeatResurrectionStrategy: 'ALWAYS_REVIVE',
    });
    const unmonitored = await licenseOn({ requireHeartbeat: false });

    const dead = await g.machine(deactivate, { lastHeartbeatAt: t0 });
    const kept = await g.machine(keep, { lastHeartbeatAt: t0 });
    const waiting = await g.machine(revive, { lastHeartbeatAt: t0 });
    const forever = await g.machine(always, { lastHeartbeatAt: t0 });
    const neverPinged = await g.machine(deactivate);
    const quiet = await g.machine(unmonitored);
    const lively = await g.machine(deactivate, { lastHeartbeatAt: t0 });
    // A ping-opted machine of a policy without heartbeats is monitored too.
    const opted = await g.machine(unmonitored, { lastHeartbeatAt: t0 });

    t.clock.advance(61_000);
    await t.ds.getRepository(Machine).update({ id: lively.id }, { lastHeartbeatAt: t.clock.now() });

    await sweep();
    await sweep();

    expect(await exists(dead)).toBe(false);
    expect(await exists(neverPinged)).toBe(false);
    expect(await exists(opted)).toBe(false);
    expect(await exists(kept)).toBe(true);
    expect(await statusOf(kept)).toBe('DEAD');
    expect(await exists(waiting)).toBe(true);
    expect(await exists(forever)).toBe(true);
    expect(await exists(quiet)).toBe(true);
    expect(await exists(lively)).toBe(true);
    for (const m of [dead, neverPinged, opted, kept, waiting, forever]) {
      expect(events('machine.heartbeat.dead', m)).toBe(1);
    }
    for (const m of [quiet, lively]) {
      expect(events('machine.heartbeat.dead', m)).toBe(0);
    }
    expect(t.events.named('machine.deleted', a.id)).toHaveLength(0);
    expect((await stored(kept)).lastDeathEventSentAt).not.toBeNull();

    // The revive window closes D + W (120 s) after the last ping: the next sweeps cull it.
    t.clock.advance(59_000);
    await sweep();
    expect(await exists(waiting)).toBe(true);
    t.clock.advance(1);
    await sweep();
    await sweep();
    expect(await exists(waiting)).toBe(false);
    expect(events('machine.heartbeat.dead', waiting)).toBe(1);

    // Handled for good: kept machines are never swept again, even after the claim lease;
    // only the machine that has died since is.
    t.clock.advance(3600_000);
    expect(await sweep()).toBe(1);
    expect(await exists(lively)).toBe(false);
    expect(await sweep()).toBe(0);
    expect(events('machine.heartbeat.dead', kept)).toBe(1);
    expect(events('machine.heartbeat.dead', forever)).toBe(1);
    expect(await exists(kept)).toBe(true);
    expect(await exists(forever)).toBe(true);
  });

  it('announces a new death after a resurrection', async () => {
    t.clock.freeze();
    const lic = await licenseOn({
      heartbeatCullStrategy: 'KEEP_DEAD',
      heartbeatResurrectionStrategy: '5_MINUTE_REVIVE',
    });
    const m = await g.machine(lic, { lastHeartbeatAt: t.clock.now() });
    t.clock.advance(61_000);
    await sweep();
    expect(events('machine.heartbeat.dead', m)).toBe(1);
    await t.http.post(`${a.base}/machines/${m.id}/actions/ping`).set(a.auth).expect(200);
    t.clock.advance(61_000);
    await sweep();
    expect(events('machine.heartbeat.dead', m)).toBe(2);
  });

  it('emits machine.heartbeat.pong when a claimed machine turns out alive, and releases the claim', async () => {
    t.clock.freeze();
    const lic = await licenseOn({ requireHeartbeat: true });
    const m = await g.machine(lic, { lastHeartbeatAt: t.clock.now() });
    const claim = new Date(t.clock.now().getTime() + 600_000);
    await t.ds.getRepository(Machine).update({ id: m.id }, { heartbeatClaimedUntil: claim });
    const outcome = await culling.check({
      machineId: m.id,
      accountId: a.id,
      claim: claim.toISOString(),
    });
    expect(outcome).toBe('alive');
    expect(events('machine.heartbeat.pong', m)).toBe(1);
    expect((await stored(m)).heartbeatClaimedUntil).toBeNull();
  });

  it('tolerates duplicate checks of the same claim', async () => {
    t.clock.freeze();
    const lic = await licenseOn({ heartbeatCullStrategy: 'KEEP_DEAD' });
    const m = await g.machine(lic, { lastHeartbeatAt: t.clock.now() });
    t.clock.advance(61_000);
    const claim = new Date(t.clock.now().getTime() + 600_000);
    await t.ds.getRepository(Machine).update({ id: m.id }, { heartbeatClaimedUntil: claim });
    const job = { machineId: m.id, accountId: a.id, claim: claim.toISOString() };
    await Promise.all([culling.check(job), culling.check(job), culling.check(job)]);
    expect(events('machine.heartbeat.dead', m)).toBe(1);
    expect(await culling.check({ ...job, machineId: '00000000-0000-4000-8000-000000000000' })).toBe(
      'gone',
    );
  });

  it('runs through the schedule with a deterministic tick id', async () => {
    // The scheduled sweep covers every account, so the clock stays put here: only
    // machines that really are dead get culled.
    const lic = await licenseOn({ heartbeatCullStrategy: 'DEACTIVATE_DEAD' });
    const m = await g.machine(lic, { lastHeartbeatAt: new Date(Date.now() - 61_000) });
    const runner = t.app.get(ScheduleRunner);
    const at = t.clock.now();
    const first = await runner.trigger('cull-dead-machines', at);
    const second = await runner.trigger('cull-dead-machines', at);
    expect(second).toBe(first);
    await t.jobs.drain();
    await t.jobs.drain();
    expect(await exists(m)).toBe(false);
    expect(events('machine.heartbeat.dead', m)).toBe(1);
  });
});
