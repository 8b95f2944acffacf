import { ScheduleRunner } from '@app/common/jobs/schedule-runner';
import { License } from '@app/modules/licenses/license.entity';
import { LicenseScheduledEvents } from '@app/modules/licenses/jobs/license-scheduled-events.service';
import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = new Date('2031-03-10T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** Spec 02 §11, 07 §2.3–2.4: the scheduled license events. */
describe('scheduled license events', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let sweeps: LicenseScheduledEvents;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    sweeps = t.app.get(LicenseScheduledEvents);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  /** A fresh account (so counts are per test) with the clock at T0. */
  const fresh = async () => {
    t.clock.freeze(T0);
    return g.account();
  };
  /** Event names → license ids emitted for the account so far. */
  const emitted = (a: GivenAccount, name: string) =>
    t.events.named(name, a.id).map((e) => e.resource.id);
  const run = (ms = 0) => {
    t.clock.freeze(at(ms));
    return sweeps.run(at(ms));
  };
  const checkInPolicy = (a: GivenAccount, extra: Partial<Policy> = {}) =>
    g.policy(a.account, {
      requireCheckIn: true,
      checkInInterval: 'day',
      checkInIntervalCount: 1,
      ...extra,
    });

  describe('license.expired', () => {
    it('fires once for a license expired less than 12 h ago, never for older ones', async () => {
      const a = await fresh();
      const recent = await g.license(a.account, { expiry: at(-HOUR) });
      await g.license(a.account, { expiry: at(-13 * HOUR) });
      await g.license(a.account, { expiry: at(-4 * DAY) });
      await g.license(a.account, { expiry: null });
      await run();
      await run();
      await run(10 * 60_000);
      expect(emitted(a, 'license.expired')).toEqual([recent.license.id]);
      expect(emitted(a, 'license.expiring-soon')).toEqual([]);
    });

    it('sends at most once per 24 h and stops 12 h after the expiry', async () => {
      const a = await fresh();
      const l = await g.license(a.account, { expiry: at(HOUR) });
      await run(2 * HOUR); // expired 1 h ago
      await run(11 * HOUR); // 10 h ago, but sent 9 h ago
      await run(12 * HOUR + 30 * 60_000); // 11.5 h ago, sent 10.5 h ago
      await run(26 * HOUR); // 25 h ago: too old
      expect(emitted(a, 'license.expired')).toEqual([l.license.id]);
      const row = await t.ds.getRepository(License).findOneByOrFail({ id: l.license.id });
      expect(row.lastExpirationEventSentAt).toEqual(at(2 * HOUR));
    });

    it('fires again for a renewed license that expires again, a day later', async () => {
      const a = await fresh();
      const l = await g.license(a.account, { expiry: at(-HOUR) });
      await run();
      await t.ds.getRepository(License).update({ id: l.license.id }, { expiry: at(DAY) });
      await run(DAY + 2 * HOUR);
      expect(emitted(a, 'license.expired')).toEqual([l.license.id, l.license.id]);
    });
  });

  describe('license.expiring-soon', () => {
    it('fires once a day while the expiry is less than 3 days away', async () => {
      const a = await fresh();
      const l = await g.license(a.account, { expiry: at(2 * DAY + HOUR) });
      const later = await g.license(a.account, { expiry: at(3 * DAY + HOUR) });
      await run(); // 2 d 1 h away; the other 3 d 1 h away
      await run(10 * 60_000);
      expect(emitted(a, 'license.expiring-soon')).toEqual([l.license.id]);
      await run(23 * HOUR); // sent 23 h ago; the other now 2 d 2 h away
      await run(DAY); // 1 d 1 h away, 24 h since the last
      await run(2 * DAY); // 1 h away
      await run(2 * DAY + 2 * HOUR); // expired 1 h ago
      const sent = emitted(a, 'license.expiring-soon');
      expect(sent.filter((id) => id === l.license.id)).toHaveLength(3);
      expect(sent.filter((id) => id === later.license.id)).toHaveLength(2);
      expect(emitted(a, 'license.expired')).toEqual([l.license.id]);
    });
  });

  describe('check-in events', () => {
    it('fires check-in-overdue for a check-in due less than 12 h ago, once', async () => {
      const a = await fresh();
      const policy = await checkInPolicy(a);
      const overdue = await g.license(a.account, { policy, lastCheckInAt: at(-DAY - HOUR) });
      await g.license(a.account, { policy, lastCheckInAt: at(-DAY - 13 * HOUR) });
      await run();
      await run();
      expect(emitted(a, 'license.check-in-overdue')).toEqual([overdue.license.id]);
      expect(emitted(a, 'license.check-in-required-soon')).toEqual([]);
    });

    it('fires check-in-required-soon for a check-in due within 3 days, once a day', async () => {
      const a = await fresh();
      const policy = await checkInPolicy(a, { checkInInterval: 'week' });
      const soon = await g.license(a.account, { policy, lastCheckInAt: at(-5 * DAY) });
      const later = await g.license(a.account, { policy, lastCheckInAt: at(-3 * DAY) });
      await run(); // due in 2 days; the other in 4
      await run(HOUR);
      expect(emitted(a, 'license.check-in-required-soon')).toEqual([soon.license.id]);
      await run(DAY); // due in 1 day; the other in 3 days, not yet
      await run(2 * DAY + HOUR); // 1 h overdue; the other due in 2 days
      expect(emitted(a, 'license.check-in-required-soon')).toEqual([
        soon.license.id,
        soon.license.id,
        later.license.id,
      ]);
      expect(emitted(a, 'license.check-in-overdue')).toEqual([soon.license.id]);
    });

    it('skips expired licenses, policies without check-ins and licenses never checked in', async () => {
      const a = await fresh();
      const policy = await checkInPolicy(a);
      await g.license(a.account, {
        policy,
        lastCheckInAt: at(-DAY - HOUR),
        expiry: at(-2 * DAY),
      });
      await g.license(a.account, { policy, lastCheckInAt: null });
      const noInterval = await g.policy(a.account, { requireCheckIn: true });
      await g.license(a.account, { policy: noInterval, lastCheckInAt: at(-DAY - HOUR) });
      const notRequired = await g.policy(a.account, {
        requireCheckIn: false,
        checkInInterval: 'day',
        checkInIntervalCount: 1,
      });
      await g.license(a.account, { policy: notRequired, lastCheckInAt: at(-DAY - HOUR) });
      await run();
      expect(emitted(a, 'license.check-in-overdue')).toEqual([]);
      expect(emitted(a, 'license.check-in-required-soon')).toEqual([]);
      expect(emitted(a, 'license.expired')).toEqual([]);
    });
  });

  describe('idempotency and cluster safety', () => {
    it('emits each event exactly once across two runs', async () => {
      const a = await fresh();
      const policy = await checkInPolicy(a);
      const licenses = await Promise.all([
        g.license(a.account, { expiry: at(-HOUR) }),
        g.license(a.account, { expiry: at(DAY) }),
        g.license(a.account, { policy, lastCheckInAt: at(-DAY - HOUR) }),
        g.license(a.account, { policy, lastCheckInAt: at(-HOUR) }),
      ]);
      await run();
      await run();
      expect(emitted(a, 'license.expired')).toEqual([licenses[0].license.id]);
      expect(emitted(a, 'license.expiring-soon')).toEqual([licenses[1].license.id]);
      expect(emitted(a, 'license.check-in-overdue')).toEqual([licenses[2].license.id]);
      expect(emitted(a, 'license.check-in-required-soon')).toEqual([licenses[3].license.id]);
    });

    it('never emits twice when two runs race', async () => {
      const a = await fresh();
      const policy = await checkInPolicy(a);
      const expired: string[] = [];
      const overdue: string[] = [];
      for (let i = 0; i < 30; i++) {
        expired.push((await g.license(a.account, { expiry: at(-HOUR - i * 1000) })).license.id);
        overdue.push(
          (await g.license(a.account, { policy, lastCheckInAt: at(-DAY - HOUR) })).license.id,
        );
      }
      t.clock.freeze(T0);
      await Promise.all([sweeps.run(T0), sweeps.run(T0), sweeps.run(T0)]);
      expect(emitted(a, 'license.expired').sort()).toEqual([...expired].sort());
      expect(emitted(a, 'license.check-in-overdue').sort()).toEqual([...overdue].sort());
    });

    it('writes nothing but the markers', async () => {
      const a = await fresh();
      const l = await g.license(a.account, { expiry: at(DAY) });
      const before = await t.ds.getRepository(License).findOneByOrFail({ id: l.license.id });
      await run(HOUR);
      const after = await t.ds.getRepository(License).findOneByOrFail({ id: l.license.id });
      expect(after).toEqual({ ...before, lastExpiringSoonEventSentAt: at(HOUR) });
    });
  });

  describe('events', () => {
    it('carry a system context in the license environment and render the license', async () => {
      const a = await fresh();
      const env = await g.environment(a.account);
      const l = await g.license(a.account, { environment: env.environment, expiry: at(DAY) });
      await run();
      const [event] = t.events
        .named('license.expiring-soon', a.id)
        .filter((e) => e.resource.id === l.license.id);
      expect(event.ctx.bearer).toBeNull();
      expect(event.ctx.requestId).toBe('system');
      expect(event.ctx.environment?.id).toBe(env.environment.id);
      expect(event.ctx.scope).toEqual({
        accountId: a.id,
        environmentId: env.environment.id,
        shared: false,
      });
      expect(event.resource).toMatchObject({ type: 'licenses', id: l.license.id });
      expect((event.resource.record as { status: string }).status).toBe('EXPIRING');
      expect(event.at).toEqual(T0);
    });

    it('run from the schedule rows through the job queue', async () => {
      const a = await fresh();
      const policy = await checkInPolicy(a);
      const expiring = await g.license(a.account, { expiry: at(DAY) });
      const overdue = await g.license(a.account, { policy, lastCheckInAt: at(-DAY - HOUR) });
      const runner = t.app.get(ScheduleRunner);
      await runner.trigger('license-expirations', T0);
      await runner.trigger('license-overdue-check-ins', T0);
      // The same tick again is the same job id: deduplicated.
      await runner.trigger('license-expirations', T0);
      await t.jobs.drain();
      expect(emitted(a, 'license.expiring-soon')).toEqual([expiring.license.id]);
      expect(emitted(a, 'license.check-in-overdue')).toEqual([overdue.license.id]);
    });
  });
});
