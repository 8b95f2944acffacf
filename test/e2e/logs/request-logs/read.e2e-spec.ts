import { uuidv4 } from '@app/common/ids';
import type { RequestLog } from '@app/modules/logs/request-log.entity';
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
import { denied, ids, requestLogResource } from '../support';

describe('GET /v1/accounts/:account/request-logs', () => {
  const r = logReads('request-logs');
  let rows: RequestLog[];

  beforeAll(async () => {
    rows = await secondsApart(r, 12, (createdAt) => r.logs.requestLog(r.a.account, { createdAt }));
  });

  describe('200', () => {
    it('lists the newest 10 first, with the heavy attributes null, unsigned links absent', async () => {
      const res = await r.list().expect(200);
      expectSigned(res);
      const newest = [...rows].reverse().slice(0, 10);
      expect(res.body).toEqual({ data: newest.map((l) => requestLogResource(l, false)) });
    });

    it.each(['developer', 'read-only'] as const)('lists for a %s', async (role) => {
      const u = await r.g.user(r.a.account, { role });
      const res = await r.list('?limit=100', u.auth).expect(200);
      expect(ids(res)).toEqual([...rows].reverse().map((l) => l.id));
    });

    it('pages without counting (self, prev, next only) and orders ascending on request', async () => {
      const res = await r.list('?page[number]=2&page[size]=5').expect(200);
      expect(ids(res)).toEqual(
        [...rows]
          .reverse()
          .slice(5, 10)
          .map((l) => l.id),
      );
      const path = `/v1/accounts/${r.a.id}/request-logs`;
      expect(res.body.links).toEqual({
        self: `${path}?page%5Bnumber%5D=2&page%5Bsize%5D=5`,
        prev: `${path}?page%5Bnumber%5D=1&page%5Bsize%5D=5`,
        next: `${path}?page%5Bnumber%5D=3&page%5Bsize%5D=5`,
      });
      const last = await r.list('?page[number]=3&page[size]=5').expect(200);
      expect(last.body.links.next).toBeNull();
      const asc = await r.list('?order=asc&limit=3').expect(200);
      expect(ids(asc)).toEqual(rows.slice(0, 3).map((l) => l.id));
    });

    it('pages by cursor', async () => {
      const first = await r.list('?page[size]=5&page[cursor]=').expect(200);
      const newest = [...rows].reverse();
      expect(ids(first)).toEqual(newest.slice(0, 5).map((l) => l.id));
      const path = `/v1/accounts/${r.a.id}/request-logs`;
      expect(first.body.links).toEqual({
        self: `${path}?page%5Bcursor%5D=&page%5Bsize%5D=5`,
        next: `${path}?page%5Bcursor%5D=${newest[4].id}&page%5Bsize%5D=5`,
      });
      const last = await r.list(`?page[size]=5&page[cursor]=${newest[9].id}`).expect(200);
      expect(ids(last)).toEqual(newest.slice(10).map((l) => l.id));
      expect(last.body.links.next).toBeNull();
      const unknown = await r.list(`?page[size]=5&page[cursor]=${uuidv4()}`).expect(200);
      expect(unknown.body.data).toEqual([]);
    });

    itScopesTheListToEnvironments(r, (acct, environment) =>
      r.logs.requestLog(acct.account, { environment }),
    );
  });

  describe('filters', () => {
    let b: GivenAccount;
    const U = '8949a87d-c470-44f5-b1be-e22ae33647ae';
    const R = '1f0c6b5e-2b4e-4c43-9b1e-6a0d7c2e9f10';
    let byLicense: RequestLog;
    let byUser: RequestLog;
    let onArtifact: RequestLog;
    let post422: RequestLog;
    let old: RequestLog;

    beforeAll(async () => {
      b = await r.g.account();
      byLicense = await r.logs.requestLog(b.account, {
        requestorType: 'licenses',
        requestorId: U,
        ip: '10.1.2.3',
      });
      byUser = await r.logs.requestLog(b.account, {
        requestorType: 'users',
        requestorId: U,
        ip: '192.168.0.7',
      });
      onArtifact = await r.logs.requestLog(b.account, {
        resourceType: 'artifacts',
        resourceId: R,
        url: `/v1/accounts/${b.id}/artifacts/${R}`,
      });
      post422 = await r.logs.requestLog(b.account, {
        method: 'POST',
        status: '422',
        url: `/v1/accounts/${b.id}/Licenses?x=1`,
      });
      old = await r.logs.requestLog(b.account, {
        createdAt: new Date(r.t.clock.now().getTime() - 40 * DAY),
      });
    });

    const q = filtered(r, () => b);
    const sorted = sortedIds;

    it('filters by requestor: id, [type, id], {type, id}, substring', async () => {
      expect(await q(`requestor=${U}`)).toEqual(sorted(byLicense, byUser));
      expect(await q(`requestor=${U.toUpperCase()}`)).toEqual(sorted(byLicense, byUser));
      expect(await q(`requestor[]=user&requestor[]=${U}`)).toEqual(sorted(byUser));
      expect(await q(`requestor[type]=License&requestor[id]=${U}`)).toEqual(sorted(byLicense));
      expect(await q(`requestor[type]=licenses&requestor[id]=c470-44`)).toEqual(sorted(byLicense));
      expect(await q('requestor=C470-44F5')).toEqual(sorted(byLicense, byUser));
    });

    it('filters by resource, accepting Keygen class names', async () => {
      expect(await q(`resource=${R}`)).toEqual(sorted(onArtifact));
      expect(await q(`resource[type]=release-artifact&resource[id]=${R}`)).toEqual(
        sorted(onArtifact),
      );
      expect(await q(`resource[]=artifacts&resource[]=${R}`)).toEqual(sorted(onArtifact));
      expect(await q(`resource[]=licenses&resource[]=${R}`)).toEqual([]);
    });

    it('filters by ip prefix, method, url substring and status', async () => {
      expect(await q('ip=192.168')).toEqual(sorted(byUser));
      expect(await q('ip=168')).toEqual([]);
      expect(await q('method=post')).toEqual(sorted(post422));
      expect(await q('url=/Licenses%3Fx')).toEqual(sorted(post422));
      expect(await q('url=/licenses%3Fx')).toEqual([]);
      expect(await q('status=422')).toEqual(sorted(post422));
    });

    it('filters whole days between date[start] and date[end]', async () => {
      const now = r.t.clock.now();
      const all = await q(
        `date[start]=${day(new Date(now.getTime() - DAY))}&date[end]=${day(new Date(now.getTime() + DAY))}`,
      );
      expect(all).toEqual(sorted(byLicense, byUser, onArtifact, post422));
      const then = new Date(now.getTime() - 40 * DAY);
      expect(
        await q(`date[start]=${day(then)}&date[end]=${day(new Date(then.getTime() + DAY))}`),
      ).toEqual(sorted(old));
      expect(await q('date[start]=2017-1-2&date[end]=2017-01-03')).toEqual([]);
      expect(await q(`date[start]=${day(now)}`)).toHaveLength(5);
    });

    it.each([
      'requestor=',
      `requestor[]=${U}`,
      `requestor[]=user&requestor[]=${U}&requestor[]=x`,
      `requestor[type]=user`,
      `requestor[type]=gremlin&requestor[id]=${U}`,
      'resource=',
      'ip=',
      'url=',
      'method[]=GET',
    ])('matches nothing for %s', async (query) => {
      expect(await q(query)).toEqual([]);
    });
  });

  describe('400', () => {
    it.each([
      [
        'date[start]=2017-1-1&date[end]=2017-02-02',
        'date range must be between 1 and 31 days (got 32)',
        'date',
      ],
      [
        'date[start]=2024-06-03&date[end]=2024-06-03',
        'date range must be between 1 and 31 days (got 0)',
        'date',
      ],
      ['date[start]=foo&date[end]=bar', 'invalid date range', 'date'],
      [
        'page[size]=5&page[cursor]=foo',
        'page cursor must be a valid UUID (got "foo")',
        'page[cursor]',
      ],
      ['limit=101', 'limit must be a number between 1 and 100 (got 101)', 'limit'],
      [
        'page[size]=5',
        'page must be an object containing a cursor or number and optional size',
        'page',
      ],
    ])('rejects %s', async (query, detail, parameter) => {
      const res = await r.list(`?${query}`).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { parameter } }]);
      expect(res.body.meta.id).toBe(res.headers['x-request-id']);
    });
  });

  describe('401 / 403', () => {
    itGuardsTheList(r);

    it('forbids an admin token without request-log.read', async () => {
      const admin = await r.g.user(r.a.account, { role: 'admin' });
      const tok = await r.g.token(
        r.a.account,
        { type: 'users', id: admin.user.id, role: 'admin', environmentId: null },
        { permissions: ['license.read'] },
      );
      const res = await r.list('', { Authorization: `Bearer ${tok.raw}` }).expect(403);
      expect(res.body.errors).toEqual([denied('token lacks permission to perform action')]);
    });
  });
});

describe('GET /v1/accounts/:account/request-logs/:id', () => {
  const r = logReads('request-logs');
  let log: RequestLog;

  beforeAll(async () => {
    log = await r.logs.requestLog(r.a.account, {
      requestorType: 'users',
      requestorId: r.a.admin.id,
      resourceType: 'artifacts',
      resourceId: uuidv4(),
      requestBody: '{"meta":{"key":"ABCD...EFGH"}}',
      responseSignature: 'keyid="x", algorithm="ed25519", signature="y"',
    });
  });

  describe('200', () => {
    it('shows every attribute, with polymorphic links', async () => {
      const res = await r.show(log.id).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: requestLogResource(log, true) });
      expect(res.body.data.relationships.resource.links.related).toBe(
        `/v1/accounts/${r.a.id}/artifacts/${log.resourceId}`,
      );
    });

    it('renders missing header subsets as {} and a null requestor as {data: null}', async () => {
      const bare = await r.logs.requestLog(r.a.account, {
        requestHeaders: null,
        responseHeaders: null,
      });
      const res = await r.show(bare.id).expect(200);
      expect(res.body.data.attributes.requestHeaders).toEqual({});
      expect(res.body.data.attributes.responseHeaders).toEqual({});
      expect(res.body.data.relationships.requestor).toEqual({ data: null });
      expect(res.body.data.relationships.resource).toEqual({ data: null });
    });
  });

  itGuardsTheShow(
    r,
    () => log,
    'request log',
    (acct, environment) => r.logs.requestLog(acct.account, { environment }),
  );
});
