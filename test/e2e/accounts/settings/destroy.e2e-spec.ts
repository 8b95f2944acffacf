import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import { NO_REASON, givenSetting } from './support';

describe('DELETE /v1/accounts/:account/settings/:id', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  describe('204', () => {
    it('deletes by id and emits account.settings.deleted', async () => {
      const a = await given(t).account();
      const s = await givenSetting(t, a.account, 'default_user_permissions', ['user.read']);
      const res = await t.http.delete(`${a.base}/settings/${s.id}`).set(a.auth).expect(204);
      expect(res.text).toBe('');
      expect(res.headers['keygen-signature']).toBeDefined();
      expect(t.events.named('account.settings.deleted', a.id).map((e) => e.resource.id)).toEqual([
        s.id,
      ]);
      await t.http.get(`${a.base}/settings/${s.id}`).set(a.auth).expect(404);
    });

    it('deletes by key (developer)', async () => {
      const a = await given(t).account();
      await givenSetting(t, a.account, 'default_license_permissions', ['license.read']);
      const dev = await given(t).user(a.account, { role: 'developer' });
      await t.http
        .delete(`${a.base}/settings/default_license_permissions`)
        .set(dev.auth)
        .expect(204);
      const list = await t.http.get(`${a.base}/settings`).set(a.auth).expect(200);
      expect(list.body.data).toEqual([]);
    });
  });

  describe('404', () => {
    it('reports an unknown setting', async () => {
      const a = await given(t).account();
      const res = await t.http.delete(`${a.base}/settings/foo`).set(a.auth).expect(404);
      expect(res.body.errors[0].detail).toBe("The requested account setting 'foo' was not found");
    });

    it('hides settings from a support agent', async () => {
      const a = await given(t).account();
      const s = await givenSetting(t, a.account, 'default_user_permissions', ['user.read']);
      const u = await given(t).user(a.account, { role: 'support-agent' });
      await t.http.delete(`${a.base}/settings/${s.id}`).set(u.auth).expect(404);
      expect(t.events.named('account.settings.deleted', a.id)).toHaveLength(0);
    });
  });

  describe('environment bearer', () => {
    it('gets a 404 from the scoped lookup (the list route, without lookup, answers 403)', async () => {
      const a = await given(t).account();
      const s = await givenSetting(t, a.account, 'default_user_permissions', ['user.read']);
      const env = await given(t).environment(a.account);
      await t.http.delete(`${a.base}/settings/${s.id}`).set(env.auth).expect(404);
      // The list route has no lookup, so the policy answers there.
      const res = await t.http.get(`${a.base}/settings`).set(env.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: NO_REASON }]);
    });
  });
});
