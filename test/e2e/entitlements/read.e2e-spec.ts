import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import { denied, lacks, notFound } from '../products/support';
import { expectSigned } from '../users/support';
import { entitlementResource } from './support';

describe('GET /v1/accounts/:account/entitlements[/:id]', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  describe('index', () => {
    it('lists entitlements newest first to an admin', async () => {
      const a = await g.account();
      const first = await g.entitlement(a.account);
      t.clock.advance(1000);
      const second = await g.entitlement(a.account);
      const res = await t.http.get(`${a.base}/entitlements`).set(a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: [entitlementResource(second), entitlementResource(first)] });
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lists entitlements to a %s',
      async (role) => {
        const a = await g.account();
        await g.entitlement(a.account);
        const u = await g.user(a.account, { role });
        const res = await t.http.get(`${a.base}/entitlements`).set(u.auth).expect(200);
        expect(res.body.data).toHaveLength(1);
      },
    );

    it('lists every entitlement of the environment to a product and an environment', async () => {
      const a = await g.account();
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      await g.entitlement(a.account);
      await g.entitlement(a.account, { environment: env.environment });
      const p = await g.product(a.account);
      expect(
        (await t.http.get(`${a.base}/entitlements`).set(p.auth).expect(200)).body.data,
      ).toHaveLength(1);
      expect(
        (await t.http.get(`${a.base}/entitlements`).set(env.auth).expect(200)).body.data,
      ).toHaveLength(2);
    });

    it('lists nothing to a user holding no licenses', async () => {
      const a = await g.account();
      await g.entitlement(a.account);
      const u = await g.user(a.account);
      const res = await t.http.get(`${a.base}/entitlements`).set(u.auth).expect(200);
      expect(res.body.data).toEqual([]);
    });

    it('forbids a user without entitlement.read and anonymous callers', async () => {
      const a = await g.account();
      const u = await g.user(a.account, { permissions: ['user.read'] });
      const res = await t.http.get(`${a.base}/entitlements`).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('user'))]);
      await t.http.get(`${a.base}/entitlements`).expect(401);
    });

    it('rejects bad pagination', async () => {
      const a = await g.account();
      await t.http
        .get(`${a.base}/entitlements?page[number]=0&page[size]=1`)
        .set(a.auth)
        .expect(400);
    });
  });

  describe('show', () => {
    it('finds an entitlement by id or code for staff and products', async () => {
      const a = await g.account();
      const e = await g.entitlement(a.account, { code: 'by-code' });
      const res = await t.http.get(`${a.base}/entitlements/${e.id}`).set(a.auth).expect(200);
      expect(res.body).toEqual({ data: entitlementResource(e) });
      await t.http.get(`${a.base}/entitlements/by-code`).set(a.auth).expect(200);
      const ro = await g.user(a.account, { role: 'read-only' });
      await t.http.get(`${a.base}/entitlements/${e.id}`).set(ro.auth).expect(200);
      const p = await g.product(a.account);
      await t.http.get(`${a.base}/entitlements/${e.id}`).set(p.auth).expect(200);
    });

    it('404s unknown ids, other environments, other accounts and users without it', async () => {
      const a = await g.account();
      const res = await t.http.get(`${a.base}/entitlements/missing`).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('entitlement', 'missing')]);
      const env = await g.environment(a.account);
      const inEnv = await g.entitlement(a.account, { environment: env.environment });
      await t.http.get(`${a.base}/entitlements/${inEnv.id}`).set(a.auth).expect(404);
      const other = await g.account();
      const foreign = await g.entitlement(other.account);
      await t.http.get(`${a.base}/entitlements/${foreign.id}`).set(a.auth).expect(404);
      const mine = await g.entitlement(a.account);
      const u = await g.user(a.account);
      await t.http.get(`${a.base}/entitlements/${mine.id}`).set(u.auth).expect(404);
    });
  });
});
