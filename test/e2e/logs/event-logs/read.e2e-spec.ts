import { uuidv4 } from '@app/common/ids';
import type { EventLog } from '@app/modules/logs/event-log.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given, givenLogs, type GivenAccount } from '../../../support/factories';
import { expectSigned } from '../../users/support';
import { denied, eventLogResource, ids, lacks, notFound } from '../support';

const DAY = 86_400_000;
const day = (d: Date): string => d.toISOString().slice(0, 10);

describe('GET /v1/accounts/:account/event-logs', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let logs: ReturnType<typeof givenLogs>;
  let a: GivenAccount;
  let rows: EventLog[];

  const list = (query = '', auth: Record<string, string> = a.auth, acct = a) =>
    t.http.get(`${acct.base}/event-logs${query}`).set(auth);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    logs = givenLogs(t);
    a = await g.account();
    rows = [];
    for (let i = 0; i < 12; i++) {
      rows.push(
        await logs.eventLog(a.account, {
          createdAt: new Date(t.clock.now().getTime() - (12 - i) * 1000),
          metadata: i === 0 ? { diff: { max_machines: [1, 2] } } : {},
        }),
      );
    }
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('lists the newest 10 first, metadata keys camelCased', async () => {
      const res = await list().expect(200);
      expectSigned(res);
      expect(res.body).toEqual({
        data: [...rows]
          .reverse()
          .slice(0, 10)
          .map((l) => eventLogResource(l, {})),
      });
      const oldest = await list('?order=asc&limit=1').expect(200);
      expect(oldest.body.data[0].attributes.metadata).toEqual({ diff: { maxMachines: [1, 2] } });
    });

    it.each(['developer', 'read-only'] as const)('lists for a %s', async (role) => {
      const u = await g.user(a.account, { role });
      expect(ids(await list('?limit=100', u.auth).expect(200))).toHaveLength(12);
    });

    it('pages without counting', async () => {
      const res = await list('?page[number]=1&page[size]=5').expect(200);
      const path = `/v1/accounts/${a.id}/event-logs`;
      expect(res.body.links).toEqual({
        self: `${path}?page%5Bnumber%5D=1&page%5Bsize%5D=5`,
        prev: null,
        next: `${path}?page%5Bnumber%5D=2&page%5Bsize%5D=5`,
      });
      const cursor = await list(`?page[size]=5&page[cursor]=${res.body.data[4].id}`).expect(200);
      expect(ids(cursor)).toEqual(
        [...rows]
          .reverse()
          .slice(5, 10)
          .map((l) => l.id),
      );
    });

    it('scopes environments like every resource', async () => {
      const b = await g.account();
      const isolated = await g.environment(b.account, { isolationStrategy: 'ISOLATED' });
      const shared = await g.environment(b.account, { isolationStrategy: 'SHARED' });
      const global = await logs.eventLog(b.account);
      const own = await logs.eventLog(b.account, { environment: isolated.environment });
      const sharedLog = await logs.eventLog(b.account, { environment: shared.environment });
      expect(ids(await list('', isolated.auth, b).expect(200))).toEqual([own.id]);
      expect(ids(await list('', shared.auth, b).expect(200)).sort()).toEqual(
        [global.id, sharedLog.id].sort(),
      );
      expect(ids(await list('', b.auth, b).expect(200))).toEqual([global.id]);
    });
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
      b = await g.account();
      byUser = await logs.eventLog(b.account, {
        event: 'license.updated',
        whodunnitType: 'users',
        whodunnitId: W,
        resourceId: L,
      });
      byLicense = await logs.eventLog(b.account, {
        event: 'license.validation.succeeded',
        whodunnitType: 'licenses',
        whodunnitId: W,
        resourceId: L,
        requestLogId: REQ,
      });
      validated = await logs.eventLog(b.account, {
        event: 'license.validation.failed',
        resourceType: 'licenses',
        resourceId: W,
      });
      old = await logs.eventLog(b.account, {
        event: 'user.created',
        resourceType: 'users',
        createdAt: new Date(t.clock.now().getTime() - 40 * DAY),
      });
    });

    const q = async (query: string): Promise<string[]> =>
      ids(await list(`?limit=100&${query}`, b.auth, b).expect(200)).sort();
    const sorted = (...ls: EventLog[]) => ls.map((l) => l.id).sort();

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
      const then = new Date(t.clock.now().getTime() - 40 * DAY);
      expect(
        await q(`date[start]=${day(then)}&date[end]=${day(new Date(then.getTime() + DAY))}`),
      ).toEqual(sorted(old));
      const res = await list('?date[start]=2024-01-01&date[end]=2024-03-01', b.auth, b).expect(400);
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
    it('rejects anonymous callers and foreign tokens', async () => {
      expect((await list('', {}).expect(401)).body.errors[0].code).toBe('TOKEN_MISSING');
      const other = await g.account();
      expect((await list('', other.auth).expect(401)).body.errors[0].code).toBe('TOKEN_INVALID');
    });

    it.each(['sales-agent', 'support-agent'] as const)('forbids a %s', async (role) => {
      const u = await g.user(a.account, { role });
      expect((await list('', u.auth).expect(403)).body.errors).toEqual([denied()]);
    });

    it('forbids products, users and licenses', async () => {
      const p = await g.product(a.account);
      expect((await list('', p.auth).expect(403)).body.errors).toEqual([lacks('product')]);
      const u = await g.user(a.account, { role: 'user' });
      expect((await list('', u.auth).expect(403)).body.errors).toEqual([lacks('user')]);
      const l = await g.license(a.account);
      expect((await list('', l.auth).expect(403)).body.errors).toEqual([lacks('license')]);
    });
  });
});

describe('GET /v1/accounts/:account/event-logs/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let logs: ReturnType<typeof givenLogs>;
  let a: GivenAccount;
  let log: EventLog;

  const show = (id: string, auth: Record<string, string> = a.auth, acct = a) =>
    t.http.get(`${acct.base}/event-logs/${id}`).set(auth);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    logs = givenLogs(t);
    a = await g.account();
    log = await logs.eventLog(a.account, {
      event: 'license.validation.failed',
      whodunnitType: 'users',
      whodunnitId: a.admin.id,
      requestLogId: '01900000-0000-7000-8000-0000000000bb',
      metadata: { code: 'EXPIRED' },
    });
  });
  afterAll(() => t.close());

  it('shows a log with its relationships', async () => {
    const res = await show(log.id).expect(200);
    expect(res.body).toEqual({ data: eventLogResource(log, { code: 'EXPIRED' }) });
  });

  it.each(['developer', 'read-only'] as const)('shows for a %s', async (role) => {
    const u = await g.user(a.account, { role });
    await show(log.id, u.auth).expect(200);
  });

  it('shows an environment its own logs and, when shared, global ones', async () => {
    const isolated = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
    const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
    await show(log.id, shared.auth).expect(200);
    expect((await show(log.id, isolated.auth).expect(404)).body.errors).toEqual([
      notFound('event log'),
    ]);
    const own = await logs.eventLog(a.account, { environment: isolated.environment });
    await show(own.id, isolated.auth).expect(200);
    await show(own.id, shared.auth).expect(404);
  });

  it.each(['invalid', uuidv4()])('answers 404 for %s', async (id) => {
    expect((await show(id).expect(404)).body.errors).toEqual([notFound('event log')]);
  });

  it('hides logs from products, users and licenses', async () => {
    const p = await g.product(a.account);
    const u = await g.user(a.account, { role: 'user' });
    const l = await g.license(a.account);
    for (const auth of [p.auth, u.auth, l.auth]) {
      expect((await show(log.id, auth).expect(404)).body.errors).toEqual([notFound('event log')]);
    }
  });

  it('rejects anonymous callers and forbids sales and support agents', async () => {
    expect((await show(log.id, {}).expect(401)).body.errors[0].code).toBe('TOKEN_MISSING');
    for (const role of ['sales-agent', 'support-agent'] as const) {
      const u = await g.user(a.account, { role });
      expect((await show(log.id, u.auth).expect(403)).body.errors).toEqual([denied()]);
    }
  });
});
