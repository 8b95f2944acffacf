import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { givenSetting, settingResource } from './support';

describe('GET /v1/accounts/:account/settings/:id', () => {
  let t: TestApp;
  let a: GivenAccount;
  let setting: Awaited<ReturnType<typeof givenSetting>>;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    await givenSetting(t, a.account, 'default_license_permissions', ['license.validate']);
    setting = await givenSetting(t, a.account, 'default_user_permissions', [
      'user.read',
      'license.read',
    ]);
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('finds a setting by id', async () => {
      const res = await t.http.get(`${a.base}/settings/${setting.id}`).set(a.auth).expect(200);
      expect(res.body).toEqual({ data: settingResource(setting, setting.createdAt.toISOString()) });
    });

    it('finds a setting by key (also through the account slug)', async () => {
      const res = await t.http
        .get(`/v1/accounts/${a.slug}/settings/default_user_permissions`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data.id).toBe(setting.id);
      expect(res.body.data.links.self).toBe(`/v1/accounts/${a.id}/settings/${setting.id}`);
    });

    it('lets a developer read it', async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      await t.http.get(`${a.base}/settings/${setting.id}`).set(dev.auth).expect(200);
    });
  });

  describe('404', () => {
    it('reports an unknown key', async () => {
      const res = await t.http.get(`${a.base}/settings/foo`).set(a.auth).expect(404);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Not found',
            detail: "The requested account setting 'foo' was not found",
            code: 'NOT_FOUND',
          },
        ],
      });
    });

    it("does not find another account's setting", async () => {
      const other = await given(t).account();
      const theirs = await givenSetting(t, other.account, 'default_user_permissions', [
        'user.read',
      ]);
      await t.http.get(`${a.base}/settings/${theirs.id}`).set(a.auth).expect(404);
    });

    it.each(['sales-agent', 'read-only', 'user'] as const)(
      'hides settings from a %s (scope is empty)',
      async (role) => {
        const u = await given(t).user(a.account, { role });
        const res = await t.http.get(`${a.base}/settings/${setting.id}`).set(u.auth).expect(404);
        expect(res.body.errors[0].detail).toBe(
          `The requested account setting '${setting.id}' was not found`,
        );
      },
    );
  });
});
