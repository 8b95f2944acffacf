import { ScheduleRunner } from '@app/common/jobs/schedule-runner';
import { SCHEDULES } from '@app/common/jobs/schedules';
import { MachineProcess } from '@app/modules/machines/machine.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import { ProcessCullingService } from '@app/modules/processes/process-culling.service';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { cullingProbes } from '../machines/support';

/**
 * Process culling (spec 03 §3.4, 07 §2.2): the clock moves, the sweep runs (twice,
 * as overlapping ticks would), and each death is announced once. Sweeps are confined
 * to this file's account so parallel test files keep their processes.
 */
describe('culling dead processes', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let culling: ProcessCullingService;

  const { sweep, exists, stored, events } = cullingProbes(MachineProcess, () => ({
    t,
    a,
    culling,
  }));

  async function processOn(
    policy: Partial<Policy>,
    lastHeartbeatAt: Date,
  ): Promise<MachineProcess> {
    const p = await g.policy(a.account, {
      floating: true,
      maxMachines: null,
      heartbeatDuration: 60,
      ...policy,
    });
    const lic = await g.license(a.account, { policy: p });
    return g.machineProcess(await g.machine(lic.license), { lastHeartbeatAt });
  }

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    culling = t.app.get(ProcessCullingService);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  it('is scheduled every two minutes', () => {
    expect(SCHEDULES).toContainEqual({
      name: 'cull-dead-processes',
      cron: '0 */2 * * * *',
      queue: 'schedules',
      job: 'cull-dead-processes',
    });
  });

  it('deletes DEACTIVATE_DEAD processes, keeps KEEP_DEAD ones, each dead event once', async () => {
    t.clock.freeze();
    const t0 = t.clock.now();
    const dead = await processOn({ heartbeatCullStrategy: 'DEACTIVATE_DEAD' }, t0);
    const legacy = await processOn({ heartbeatCullStrategy: null }, t0);
    const kept = await processOn({ heartbeatCullStrategy: 'KEEP_DEAD' }, t0);
    const waiting = await processOn(
      {
        heartbeatCullStrategy: 'DEACTIVATE_DEAD',
        heartbeatResurrectionStrategy: '1_MINUTE_REVIVE',
      },
      t0,
    );
    const forever = await processOn(
      { heartbeatCullStrategy: 'KEEP_DEAD', heartbeatResurrectionStrategy: 'ALWAYS_REVIVE' },
      t0,
    );
    const lively = await processOn({ heartbeatCullStrategy: 'DEACTIVATE_DEAD' }, t0);
    const longLived = await processOn({ heartbeatDuration: 3600 }, t0);

    t.clock.advance(61_000);
    await t.ds
      .getRepository(MachineProcess)
      .update({ id: lively.id }, { lastHeartbeatAt: t.clock.now() });

    expect(await sweep()).toBe(5);
    expect(await sweep()).toBe(0);

    expect(await exists(dead)).toBe(false);
    expect(await exists(legacy)).toBe(false);
    expect(await exists(kept)).toBe(true);
    expect(await exists(waiting)).toBe(true);
    expect(await exists(forever)).toBe(true);
    expect(await exists(lively)).toBe(true);
    expect(await exists(longLived)).toBe(true);
    for (const p of [dead, legacy, kept, waiting, forever]) {
      expect(events('process.heartbeat.dead', p)).toBe(1);
    }
    for (const p of [lively, longLived]) {
      expect(events('process.heartbeat.dead', p)).toBe(0);
    }
    expect(t.events.named('process.deleted', a.id)).toHaveLength(0);
    expect((await stored(kept)).lastDeathEventSentAt).not.toBeNull();
    const show = await t.http.get(`${a.base}/processes/${kept.id}`).set(a.auth).expect(200);
    expect(show.body.data.attributes.status).toBe('DEAD');

    // The revive window closes D + W (120 s) after the last ping: the next sweeps cull it.
    t.clock.advance(59_000);
    await sweep();
    expect(await exists(waiting)).toBe(true);
    t.clock.advance(1);
    await sweep();
    await sweep();
    expect(await exists(waiting)).toBe(false);
    expect(events('process.heartbeat.dead', waiting)).toBe(1);

    // Handled for good: kept processes are never swept again, even after the claim lease.
    t.clock.advance(3600_000);
    expect(await sweep()).toBe(2); // lively and longLived, dead by now
    await sweep();
    expect(await exists(kept)).toBe(true);
    expect(await exists(forever)).toBe(true);
    expect(await exists(lively)).toBe(false);
    expect(await exists(longLived)).toBe(false);
    for (const p of [dead, legacy, kept, waiting, forever, lively, longLived]) {
      expect(events('process.heartbeat.dead', p)).toBe(1);
    }
  });

  it('announces pong and releases the claim when a claimed process turns out alive', async () => {
    t.clock.freeze();
    const proc = await processOn({}, t.clock.now());
    // As if a sweep claimed it while dead and it was pinged before its check ran.
    const claim = new Date(t.clock.now().getTime() + 600_000);
    await t.ds
      .getRepository(MachineProcess)
      .update({ id: proc.id }, { heartbeatClaimedUntil: claim });
    const outcome = await culling.check({
      processId: proc.id,
      accountId: a.id,
      claim: claim.toISOString(),
    });
    expect(outcome).toBe('alive');
    expect(events('process.heartbeat.pong', proc)).toBe(1);
    expect(events('process.heartbeat.dead', proc)).toBe(0);
    expect((await stored(proc)).heartbeatClaimedUntil).toBeNull();
    // A check for a process that is gone finishes quietly.
    await t.ds.getRepository(MachineProcess).delete({ id: proc.id });
    expect(
      await culling.check({ processId: proc.id, accountId: a.id, claim: claim.toISOString() }),
    ).toBe('gone');
  });

  it('a resurrected process can die again and is announced again', async () => {
    t.clock.freeze();
    const t0 = t.clock.now();
    const proc = await processOn(
      { heartbeatCullStrategy: 'KEEP_DEAD', heartbeatResurrectionStrategy: '5_MINUTE_REVIVE' },
      t0,
    );
    t.clock.advance(61_000);
    await sweep();
    expect(events('process.heartbeat.dead', proc)).toBe(1);
    await t.http.post(`${a.base}/processes/${proc.id}/actions/ping`).set(a.auth).expect(200);
    expect(events('process.heartbeat.resurrected', proc)).toBe(1);
    t.clock.advance(61_000);
    await sweep();
    await sweep();
    expect(events('process.heartbeat.dead', proc)).toBe(2);
  });

  it('runs concurrent sweeps without doubling anything', async () => {
    t.clock.freeze();
    const t0 = t.clock.now();
    const procs = await Promise.all(
      Array.from({ length: 6 }, () => processOn({ heartbeatCullStrategy: 'KEEP_DEAD' }, t0)),
    );
    t.clock.advance(61_000);
    const counts = await Promise.all([
      culling.sweep(t.clock.now(), { accountId: a.id }),
      culling.sweep(t.clock.now(), { accountId: a.id }),
      culling.sweep(t.clock.now(), { accountId: a.id }),
    ]);
    await t.jobs.drain();
    expect(counts.reduce((x, y) => x + y, 0)).toBe(6);
    for (const p of procs) {
      expect(events('process.heartbeat.dead', p)).toBe(1);
    }
  });

  it('enqueues one sweep per tick through the schedule runner', async () => {
    const runner = t.app.get(ScheduleRunner);
    const at = new Date('2030-01-01T00:02:00.000Z');
    const first = await runner.trigger('cull-dead-processes', at);
    const second = await runner.trigger('cull-dead-processes', at);
    expect(first).toBe(second);
    expect(first).toBe('cull-dead-processes:2030-01-01T00:02:00.000Z');
  });
});
