import { systemContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import { uuidv4 } from '@app/common/ids';
import { AccountsCache } from '@app/modules/accounts/accounts.cache';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { eventLogResource, eventLogsOf, requestLogOf } from '../support';

const JSONAPI = 'application/vnd.api+json';

/** Which events become event logs and what they hold (spec 06 §2.5–2.6). */
describe('event log recording', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  it('shows the diff of a license update, who made it and in which request', async () => {
    const l = await g.license(a.account);
    const before = l.license.updatedAt.toISOString();
    const res = await t.http
      .patch(`${a.base}/licenses/${l.license.id}`)
      .set(a.auth)
      .send({
        data: {
          type: 'licenses',
          attributes: {
            name: 'Pro',
            metadata: { seatTier: 2 },
            expiry: '2031-01-01T00:00:00.000Z',
          },
        },
      })
      .expect(200);
    const [log] = await eventLogsOf(t, a.id, 'license.updated');
    expect(log).toMatchObject({
      resourceType: 'licenses',
      resourceId: l.license.id,
      whodunnitType: 'users',
      whodunnitId: a.admin.id,
      requestLogId: res.headers['x-request-id'],
      environmentId: null,
    });
    const shown = await t.http.get(`${a.base}/event-logs/${log.id}`).set(a.auth).expect(200);
    const diff = shown.body.data.attributes.metadata.diff as Record<string, unknown>;
    expect(diff).toMatchObject({
      name: [null, 'Pro'],
      metadata: [{}, { seatTier: 2 }],
      expiry: [null, '2031-01-01T00:00:00.000Z'],
      updated: [before, res.body.data.attributes.updated],
    });
    expect(shown.body).toEqual({ data: eventLogResource(log, { diff }) });
    // The request itself is logged too, and the event links to it.
    expect(await requestLogOf(t, res)).toMatchObject({
      resourceType: 'licenses',
      resourceId: l.license.id,
    });
  });

  it('records a failed validate-key with its code, anonymously', async () => {
    const l = await g.license(a.account, { suspended: true });
    const res = await t.http
      .post(`${a.base}/licenses/actions/validate-key`)
      .set('Accept', JSONAPI)
      .send({ meta: { key: l.key } })
      .expect(200);
    const logs = await eventLogsOf(t, a.id, 'license.validation.failed');
    const log = logs.find((e) => e.resourceId === l.license.id)!;
    expect(log).toMatchObject({
      resourceType: 'licenses',
      whodunnitType: null,
      whodunnitId: null,
      requestLogId: res.headers['x-request-id'],
      metadata: { code: res.body.meta.code },
    });
  });

  it('points at the new record on create and at the route record in nested routes', async () => {
    const created = await t.http
      .post(`${a.base}/users`)
      .set(a.auth)
      .send({ data: { type: 'users', attributes: { email: `ev-${uuidv4()}@example.com` } } })
      .expect(201);
    const [userCreated] = (await eventLogsOf(t, a.id, 'user.created')).filter(
      (e) => e.resourceId === created.body.data.id,
    );
    expect(userCreated).toMatchObject({
      resourceType: 'users',
      whodunnitId: a.admin.id,
      metadata: {},
    });

    // compat: user token generation answers 200, not 201 (spec 01 §6.1).
    const token = await t.http
      .post(`${a.base}/users/${created.body.data.id}/tokens`)
      .set(a.auth)
      .expect(200);
    const [generated] = (await eventLogsOf(t, a.id, 'token.generated')).filter(
      (e) => e.requestLogId === token.headers['x-request-id'],
    );
    expect(generated).toMatchObject({ resourceType: 'users', resourceId: created.body.data.id });
  });

  it('points attach events at the parent with the entitlement codes', async () => {
    const policy = await g.policy(a.account);
    const e1 = await g.entitlement(a.account, { code: `alpha-${uuidv4()}` });
    const e2 = await g.entitlement(a.account, { code: `beta-${uuidv4()}` });
    await t.http
      .post(`${a.base}/policies/${policy.id}/entitlements`)
      .set(a.auth)
      .send({
        data: [
          { type: 'entitlements', id: e1.id },
          { type: 'entitlements', id: e2.id },
        ],
      })
      .expect(200);
    const [attached] = (await eventLogsOf(t, a.id, 'policy.entitlements.attached')).filter(
      (e) => e.resourceId === policy.id,
    );
    expect(attached).toMatchObject({
      resourceType: 'policies',
      metadata: { codes: [e1.code, e2.code] },
    });
  });

  it('logs events of requests that are not request-logged, linking the request anyway', async () => {
    const res = await t.http
      .patch(a.base)
      .set(a.auth)
      .send({ data: { type: 'accounts', attributes: { name: 'Renamed' } } })
      .expect(200);
    const [updated] = await eventLogsOf(t, a.id, 'account.updated');
    expect(await requestLogOf(t, res)).toBeNull();
    expect(updated).toMatchObject({
      resourceType: 'accounts',
      resourceId: a.id,
      requestLogId: res.headers['x-request-id'],
      metadata: {},
    });
    const shown = await t.http.get(`${a.base}/event-logs/${updated.id}`).set(a.auth).expect(200);
    expect(shown.body.data.relationships.request).toEqual({
      links: { related: `/v1/accounts/${a.id}/request-logs/${updated.requestLogId}` },
      data: { type: 'request-logs', id: updated.requestLogId },
    });
    expect(shown.body.data.relationships.resource.links.related).toBe(`/v1/accounts/${a.id}`);
  });

  it('records the environment of an environment request', async () => {
    const env = await g.environment(a.account);
    await t.http
      .post(`${a.base}/entitlements`)
      .set(env.auth)
      .send({ data: { type: 'entitlements', attributes: { name: 'E', code: `env-${uuidv4()}` } } })
      .expect(201);
    const [created] = (await eventLogsOf(t, a.id, 'entitlement.created')).filter(
      (e) => e.environmentId === env.environment.id,
    );
    expect(created).toMatchObject({
      whodunnitType: 'environments',
      whodunnitId: env.environment.id,
    });
    const listed = await t.http
      .get(`${a.base}/event-logs?event=entitlement.created`)
      .set(env.auth)
      .expect(200);
    expect((listed.body.data as Array<{ id: string }>).map((d) => d.id)).toEqual([created.id]);
  });

  it('has no whodunnit or request for background events, and takes the record environment', async () => {
    const b = await g.account();
    const env = await g.environment(b.account);
    const resolved = (await t.app.get(AccountsCache).resolve(b.id))!;
    const license = { id: uuidv4(), environmentId: env.environment.id };
    t.app.get(DomainEvents).emit('license.expired', systemContext(resolved, t.clock), {
      type: 'licenses',
      id: license.id,
      record: license,
    });
    const [expired] = await eventLogsOf(t, b.id, 'license.expired');
    expect(expired).toMatchObject({
      resourceType: 'licenses',
      resourceId: license.id,
      environmentId: env.environment.id,
      whodunnitType: null,
      whodunnitId: null,
      requestLogId: null,
      metadata: {},
    });
  });

  it('redacts secrets in any diff and renders keys camelCased', async () => {
    const b = await g.account();
    const resolved = (await t.app.get(AccountsCache).resolve(b.id))!;
    const at = new Date('2024-06-04T16:18:36.789Z');
    t.app.get(DomainEvents).emit(
      'user.updated',
      systemContext(resolved, t.clock),
      { type: 'users', id: b.admin.id, record: b.admin },
      {
        changes: {
          passwordDigest: ['$2a$12$abcdefghijklmnopqrstuv', '$2a$12$zyxwvutsrqponmlkjihgfe'],
          firstName: [null, 'Ada'],
          updatedAt: [at, at],
        },
      },
    );
    const [updated] = await eventLogsOf(t, b.id, 'user.updated');
    const shown = await t.http.get(`${b.base}/event-logs/${updated.id}`).set(b.auth).expect(200);
    expect(shown.body.data.attributes.metadata).toEqual({
      diff: {
        password: ['$2a$...stuv', '$2a$...hgfe'],
        firstName: [null, 'Ada'],
        updated: [at.toISOString(), at.toISOString()],
      },
    });
  });

  it('gives .updated events of non-diffable records empty metadata', async () => {
    const group = await g.group(a.account);
    await t.http
      .patch(`${a.base}/groups/${group.id}`)
      .set(a.auth)
      .send({ data: { type: 'groups', attributes: { name: 'Renamed group' } } })
      .expect(200);
    const [updated] = (await eventLogsOf(t, a.id, 'group.updated')).filter(
      (e) => e.resourceId === group.id,
    );
    expect(updated.metadata).toEqual({});
  });

  it('shows the diff of other diffable resources too (a policy update)', async () => {
    const policy = await g.policy(a.account, { name: 'Old policy' });
    await t.http
      .patch(`${a.base}/policies/${policy.id}`)
      .set(a.auth)
      .send({ data: { type: 'policies', attributes: { name: 'Renamed policy', maxUses: 5 } } })
      .expect(200);
    const [updated] = (await eventLogsOf(t, a.id, 'policy.updated')).filter(
      (e) => e.resourceId === policy.id,
    );
    const shown = await t.http.get(`${a.base}/event-logs/${updated.id}`).set(a.auth).expect(200);
    expect(shown.body.data.attributes.metadata.diff).toMatchObject({
      name: ['Old policy', 'Renamed policy'],
      maxUses: [null, 5],
    });
  });
});
