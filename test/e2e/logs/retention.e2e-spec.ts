import { ScheduleRunner } from '@app/common/jobs/schedule-runner';
import { SCHEDULES } from '@app/common/jobs/schedules';
import { EventLog } from '@app/modules/logs/event-log.entity';
import { LogRetentionService } from '@app/modules/logs/log-retention.service';
import { RequestLog } from '@app/modules/logs/request-log.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, givenLogs, type GivenAccount } from '../../support/factories';

const DAY = 86_400_000;

/**
 * Daily retention sweeps (spec 06 §1.7, §2.7; 07 §1.1). The prune spans every account,
 * so these tests run far in the past (a frozen clock in 2001): the sweeps can only
 * reach rows made here, never those of test files running alongside.
 */
describe('log retention', () => {
  let t: TestApp;
  let a: GivenAccount;
  let logs: ReturnType<typeof givenLogs>;
  const epoch = new Date('2001-03-01T12:00:00.000Z');
  const ago = (days: number) => new Date(t.clock.now().getTime() - days * DAY);
  const trigger = async (name: string): Promise<void> => {
    await t.app.get(ScheduleRunner).trigger(name, t.clock.now());
    await t.jobs.drain();
  };
  const requestIds = async () =>
    (
      await t.ds
        .getRepository(RequestLog)
        .find({ where: { accountId: a.id }, order: { createdAt: 'ASC' } })
    ).map((l) => l.id);
  const eventIds = async () =>
    (
      await t.ds
        .getRepository(EventLog)
        .find({ where: { accountId: a.id }, order: { createdAt: 'ASC' } })
    ).map((l) => l.id);

  beforeAll(async () => {
    t = await bootApp();
    t.clock.freeze(epoch);
    a = await given(t).account();
    logs = givenLogs(t);
  });
  afterAll(() => t.close());

  it('schedules both sweeps daily on the logs queue', () => {
    expect(SCHEDULES).toEqual(
      expect.arrayContaining([
        {
          name: 'prune-request-logs',
          cron: '0 0 3 * * *',
          queue: 'logs',
          job: 'prune-request-logs',
        },
        { name: 'prune-event-logs', cron: '0 0 4 * * *', queue: 'logs', job: 'prune-event-logs' },
      ]),
    );
  });

  it('deletes request logs older than 30 days, and more as the clock moves on', async () => {
    await logs.requestLog(a.account, { createdAt: ago(31) });
    const recent = await logs.requestLog(a.account, { createdAt: ago(20) });
    const fresh = await logs.requestLog(a.account, { createdAt: ago(0) });
    await trigger('prune-request-logs');
    expect(await requestIds()).toEqual([recent.id, fresh.id]);
    t.clock.advance(11 * DAY);
    await trigger('prune-request-logs');
    expect(await requestIds()).toEqual([fresh.id]);
  });

  it('deletes event logs older than 90 days', async () => {
    await logs.eventLog(a.account, { createdAt: ago(91) });
    const kept = await logs.eventLog(a.account, { createdAt: ago(89) });
    await trigger('prune-event-logs');
    expect(await eventIds()).toEqual([kept.id]);
  });

  it('works through a large backlog in batches, and resumes when a run hits its time cap', async () => {
    const retention = t.app.get(LogRetentionService);
    const saved = retention.tuning;
    try {
      for (let i = 0; i < 5; i++) {
        await logs.requestLog(a.account, { createdAt: ago(40 + i) });
      }
      retention.tuning = { batchSize: 2, pauseMs: 0, maxRunMs: 0 };
      expect(await retention.pruneRequestLogs(t.clock.now())).toBe(2);
      retention.tuning = { batchSize: 2, pauseMs: 0, maxRunMs: 60_000 };
      expect(await retention.pruneRequestLogs(t.clock.now())).toBe(3);
      expect(await retention.pruneRequestLogs(t.clock.now())).toBe(0);
    } finally {
      retention.tuning = saved;
    }
  });
});

describe('log retention settings', () => {
  it('honours KEYGEN_PRUNE_*_BACKLOG_DAYS, and keeps everything at 0', async () => {
    const t = await bootApp({
      KEYGEN_PRUNE_REQUEST_BACKLOG_DAYS: '0',
      KEYGEN_PRUNE_EVENT_BACKLOG_DAYS: '7',
    });
    try {
      t.clock.freeze(new Date('2001-06-01T12:00:00.000Z'));
      const a = await given(t).account();
      const logs = givenLogs(t);
      const ago = (days: number) => new Date(t.clock.now().getTime() - days * DAY);
      const request = await logs.requestLog(a.account, { createdAt: ago(400) });
      await logs.eventLog(a.account, { createdAt: ago(8) });
      const event = await logs.eventLog(a.account, { createdAt: ago(6) });
      const retention = t.app.get(LogRetentionService);
      expect(await retention.pruneRequestLogs(t.clock.now())).toBe(0);
      // (rows of the other describe in this file are older still, and go too)
      expect(await retention.pruneEventLogs(t.clock.now())).toBeGreaterThanOrEqual(1);
      expect(await t.ds.getRepository(RequestLog).findOneBy({ id: request.id })).not.toBeNull();
      expect(
        (await t.ds.getRepository(EventLog).findBy({ accountId: a.id })).map((l) => l.id),
      ).toEqual([event.id]);
    } finally {
      await t.close();
    }
  });
});
