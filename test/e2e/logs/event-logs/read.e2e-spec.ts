import type { EventLog } from '@app/modules/logs/event-log.entity';
import type { GivenAccount } from '../../../support/factories';
import { expectSigned } from '../../users/support';
import {
  DAY,
  day,
  filtered,
  itGuardsTheList,
  itGuardsTheShow,
  itScopesTheListToEnvironments,
  logReads,
  secondsApart,
  sortedIds,
} from '../read-support';
import { eventLogResource, ids } from '../support';

describe('GET /v1/accounts/:account/event-logs', () => {
  const r = logReads('event-logs');
  let rows: EventLog[];

  beforeAll(async () => {
    rows = await secondsApart(r, 12, (createdAt, i) =>
      r.logs.eventLog(r.a.account, {
        createdAt,
        metadata: i === 0 ? { diff: { max_machines: [1, 2] } } : {},
      }),
    );
  });

  describe('200', () => {
    it('lists the newest 10 first, metadata keys camelCased', async () => {
      const res = await r.list().expect(200);
      expectSigned(res);
      expect(res.body).toEqual({
        data: [...rows]
          .reverse()
          .slice(0, 10)
          .map((l) => eventLogResource(l, {})),
      });
      const oldest = await r.list('?order=asc&limit=1').expect(200);
      expect(oldest.body.data[0].attributes.metadata).toEqual({ diff: { maxMachines: [1, 2] } });
    });

    it.each(['developer', 'read-only'] as const)('lists for a %s', async (role) => {
      const u = await r.g.user(r.a.account, { role });
      expect(ids(await r.list('?limit=100', u.auth).expect(200))).toHaveLength(12);
    });

    it('pages without counting', async () => {
      const res = await r.list('?page[number]=1&page[size]=5').expect(200);
      const path = `/v1/accounts/${r.a.id}/event-logs`;
      expect(res.body.links).toEqual({
        self: `${path}?page%5Bnumber%5D=1&page%5Bsize%5D=5`,
        prev: null,
        next: `${path}?page%5Bnumber%5D=2&page%5Bsize%5D=5`,
      });
      const cursor = await r.list(`?page[size]=5&page[cursor]=${res.body.data[4].id}`).expect(200);
      expect(ids(cursor)).toEqual(
        [...rows]
          .reverse()
          .slice(5, 10)
          .map((l) => l.id),
      );
    });

    itScopesTheListToEnvironments(r, (acct, environment) =>
      r.logs.eventLog(acct.account, { environment }),
    );
  });

  describe('filters', () => {
    let b: GivenAccount;
    const W = '8949a87d-c470-44f5-b1be-e22ae33647ae';
    const L = '1f0c6b5e-2b4e-4c43-9b1e-6a0d7c2e9f10';
    const REQ = '01900000-0000-7000-8000-0000000000aa';
    let byUser: EventLog;
    let byLicense: EventLog;
    let validated: EventLog;
    let old: EventLog;

    beforeAll(async () => {
      b = await r.g.account();
      byUser = await r.logs.eventLog(b.account, {
        event: 'license.updated',
        whodunnitType: 'users',
        whodunnitId: W,
        resourceId: L,
      });
      byLicense = await r.logs.eventLog(b.account, {
        event: 'license.validation.succeeded',
        whodunnitType: 'licenses',
        whodunnitId: W,
        resourceId: L,
        requestLogId: REQ,
      });
      validated = await r.logs.eventLog(b.account, {
        event: 'license.validation.failed',
        resourceType: 'licenses',
        resourceId: W,
      });
      old = await r.logs.eventLog(b.account, {
        event: 'user.created',
        resourceType: 'users',
        createdAt: new Date(r.t.clock.now().getTime() - 40 * DAY),
      });
    });

    const q = filtered(r, () => b);
    const sorted = sortedIds;

    it('filters by whodunnit in its three shapes', async () => {
      expect(await q(`whodunnit=${W}`)).toEqual(sorted(byUser, byLicense));
      expect(await q(`whodunnit[]=user&whodunnit[]=${W}`)).toEqual(sorted(byUser));
      expect(await q(`whodunnit[type]=License&whodunnit[id]=${W}`)).toEqual(sorted(byLicense));
      expect(await q('whodunnit=e22ae3')).toEqual(sorted(byUser, byLicense));
    });

    it('filters by resource, request id, event and events[]', async () => {
      expect(await q(`resource=${L}`)).toEqual(sorted(byUser, byLicense));
      expect(await q(`resource[type]=license&resource[id]=${W}`)).toEqual(sorted(validated));
      expect(await q(`request=${REQ}`)).toEqual(sorted(byLicense));
      expect(await q('request=0000aa')).toEqual(sorted(byLicense));
      expect(await q('event=license.updated')).toEqual(sorted(byUser));
      expect(
        await q('events[]=license.validation.succeeded&events[]=license.validation.failed'),
      ).toEqual(sorted(byLicense, validated));
      expect(await q('events[]=license.validation.*')).toEqual([]);
    });

    it('filters by date and rejects bad ranges', async () => {
      const then = new Date(r.t.clock.now().getTime() - 40 * DAY);
      expect(
        await q(`date[start]=${day(then)}&date[end]=${day(new Date(then.getTime() + DAY))}`),
      ).toEqual(sorted(old));
      const res = await r
        .list('?date[start]=2024-01-01&date[end]=2024-03-01', b.auth, b)
        .expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'date range must be between 1 and 31 days (got 60)',
          source: { parameter: 'date' },
        },
      ]);
    });

    it.each([
      'whodunnit=',
      `whodunnit[]=${W}`,
      'request=',
      'event[]=x',
      `resource[type]=nope&resource[id]=${L}`,
    ])('matches nothing for %s', async (query) => {
      expect(await q(query)).toEqual([]);
    });
  });

  describe('401 / 403', () => {
    itGuardsTheList(r);
  });
});

describe('GET /v1/accounts/:account/event-logs/:id', () => {
  const r = logReads('event-logs');
  let log: EventLog;

  beforeAll(async () => {
    log = await r.logs.eventLog(r.a.account, {
      event: 'license.validation.failed',
      whodunnitType: 'users',
      whodunnitId: r.a.admin.id,
      requestLogId: '01900000-0000-7000-8000-0000000000bb',
      metadata: { code: 'EXPIRED' },
    });
  });

  it('shows a log with its relationships', async () => {
    const res = await r.show(log.id).expect(200);
    expect(res.body).toEqual({ data: eventLogResource(log, { code: 'EXPIRED' }) });
  });

  itGuardsTheShow(
    r,
    () => log,
    'event log',
    (acct, environment) => r.logs.eventLog(acct.account, { environment }),
  );
});
