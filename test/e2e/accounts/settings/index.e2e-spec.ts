import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { NO_REASON, givenSetting, lacks, settingResource } from './support';

describe('GET /v1/accounts/:account/settings', () => {
  let t: TestApp;
  let a: GivenAccount;
  let older: Awaited<ReturnType<typeof givenSetting>>;
  let newer: Awaited<ReturnType<typeof givenSetting>>;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    const now = t.clock.now().getTime();
    older = await givenSetting(
      t,
      a.account,
      'default_license_permissions',
      ['license.validate'],
      new Date(now - 2000),
    );
    newer = await givenSetting(
      t,
      a.account,
      'default_user_permissions',
      ['user.read'],
      new Date(now - 1000),
    );
    // Another account's settings never show up.
    const other = await given(t).account();
    await givenSetting(t, other.account, 'default_user_permissions', ['user.read']);
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('lists the settings newest first', async () => {
      const res = await t.http.get(`${a.base}/settings`).set(a.auth).expect(200);
      expect(res.body).toEqual({
        data: [
          settingResource(newer, newer.createdAt.toISOString()),
          settingResource(older, older.createdAt.toISOString()),
        ],
      });
      expect(res.headers['keygen-signature']).toBeDefined();
    });

    it('pages and orders like every list', async () => {
      const res = await t.http
        .get(`${a.base}/settings?page[number]=1&page[size]=1&order=asc`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([older.id]);
      expect(res.body.links.meta).toEqual({ pages: 2, count: 2 });
    });

    it('rejects a bad limit before authorizing', async () => {
      const u = await given(t).user(a.account, { role: 'user' });
      const res = await t.http.get(`${a.base}/settings?limit=0`).set(u.auth).expect(400);
      expect(res.body.errors[0]).toMatchObject({ source: { parameter: 'limit' } });
    });

    it('lets a developer list, and an admin list from inside an environment', async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      await t.http.get(`${a.base}/settings`).set(dev.auth).expect(200);
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      await t.http
        .get(`${a.base}/settings`)
        .set({ ...a.auth, 'Keygen-Environment': env.environment.code })
        .expect(200);
    });
  });

  describe('403', () => {
    it.each(['sales-agent', 'support-agent', 'read-only'] as const)('denies a %s', async (role) => {
      const u = await given(t).user(a.account, { role });
      const res = await t.http.get(`${a.base}/settings`).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: NO_REASON }]);
    });

    it('denies a user (lacks account.read)', async () => {
      const u = await given(t).user(a.account, { role: 'user' });
      const res = await t.http.get(`${a.base}/settings`).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: lacks('user') }]);
    });

    it('denies an environment bearer', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http.get(`${a.base}/settings`).set(env.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: NO_REASON }]);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http.get(`${a.base}/settings`).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });
});
