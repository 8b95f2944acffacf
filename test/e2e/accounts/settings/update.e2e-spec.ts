import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { ENV_MISMATCH, givenSetting, lacks, settingError } from './support';

describe('PATCH /v1/accounts/:account/settings/:id', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  async function setup(): Promise<{
    a: GivenAccount;
    license: { id: string };
    user: { id: string };
  }> {
    const a = await given(t).account();
    const license = await givenSetting(t, a.account, 'default_license_permissions', [
      'license.validate',
      'license.read',
    ]);
    const user = await givenSetting(t, a.account, 'default_user_permissions', ['user.read']);
    return { a, license, user };
  }

  const patch = (
    a: GivenAccount,
    idOrKey: string,
    attributes: Record<string, unknown>,
    auth = a.auth,
  ) =>
    t.http
      .patch(`${a.base}/settings/${idOrKey}`)
      .set(auth)
      .send({ data: { type: 'settings', attributes } });

  describe('200', () => {
    it('replaces the value and emits account.settings.updated', async () => {
      const { a, license } = await setup();
      t.clock.advance(1000);
      const res = await patch(a, license.id, { value: ['license.validate'] }).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        key: 'default_license_permissions',
        value: ['license.validate'],
      });
      expect(Date.parse(res.body.data.attributes.updated)).toBeGreaterThan(
        Date.parse(res.body.data.attributes.created),
      );
      expect(t.events.named('account.settings.updated', a.id).map((e) => e.resource.id)).toEqual([
        license.id,
      ]);
      const again = await t.http.get(`${a.base}/settings/${license.id}`).set(a.auth).expect(200);
      expect(again.body.data.attributes.value).toEqual(['license.validate']);
    });

    it('addresses the setting by key and accepts data.id', async () => {
      const { a, user } = await setup();
      const res = await t.http
        .patch(`${a.base}/settings/default_user_permissions`)
        .set(a.auth)
        .send({
          data: {
            type: 'setting',
            id: user.id,
            attributes: { value: ['user.read', 'user.update'] },
          },
        })
        .expect(200);
      expect(res.body.data).toMatchObject({
        id: user.id,
        attributes: { value: ['user.read', 'user.update'] },
      });
    });

    it('lets a developer update it', async () => {
      const { a, user } = await setup();
      const dev = await given(t).user(a.account, { role: 'developer' });
      await patch(a, user.id, { value: ['*'] }, dev.auth).expect(200);
    });
  });

  describe('400', () => {
    it('does not allow changing the key', async () => {
      const { a, user } = await setup();
      const res = await patch(a, user.id, {
        key: 'default_license_permissions',
        value: ['user.read'],
      }).expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'unpermitted parameter',
          source: { pointer: '/data/attributes/key' },
        },
      ]);
    });
  });

  describe('403', () => {
    it('denies an admin writing from inside an environment (before the body)', async () => {
      const { a, user } = await setup();
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await patch(
        a,
        user.id,
        { nope: true },
        { ...a.auth, 'Keygen-Environment': env.environment.code },
      ).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: ENV_MISMATCH }]);
    });

    it('denies an admin whose token lacks account.update', async () => {
      const { a, user } = await setup();
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['account.read'] },
      );
      const res = await patch(
        a,
        user.id,
        { value: ['user.read'] },
        { Authorization: `Bearer ${tok.raw}` },
      ).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (token lacks permission to perform action)',
        },
      ]);
    });

    it('denies an admin without account.update', async () => {
      const { a, user } = await setup();
      const limited = await given(t).user(a.account, {
        role: 'admin',
        permissions: ['account.read'],
      });
      const res = await patch(a, user.id, { value: ['user.read'] }, limited.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: lacks('admin') }]);
    });
  });

  describe('404', () => {
    it('reports an unknown setting', async () => {
      const { a } = await setup();
      const res = await patch(a, 'foo', { value: 'bar' }).expect(404);
      expect(res.body.errors).toEqual([
        {
          title: 'Not found',
          detail: "The requested account setting 'foo' was not found",
          code: 'NOT_FOUND',
        },
      ]);
    });

    it('hides the setting from a sales agent, before reading the body', async () => {
      const { a, user } = await setup();
      const u = await given(t).user(a.account, { role: 'sales-agent' });
      await patch(a, user.id, { nope: true }, u.auth).expect(404);
    });
  });

  describe('422', () => {
    it('validates the value against the setting key', async () => {
      const { a, license, user } = await setup();
      const bad = await patch(a, license.id, { value: ['user.update'] }).expect(422);
      expect(bad.body.errors).toEqual([
        settingError('value', 'VALUE_NOT_ALLOWED', 'must be an array of valid license permissions'),
      ]);
      const notArray = await patch(a, user.id, { value: 'bar' }).expect(422);
      expect(notArray.body.errors).toEqual([
        settingError('value', 'VALUE_NOT_ALLOWED', 'must be a valid setting'),
      ]);
      expect(t.events.named('account.settings.updated', a.id)).toHaveLength(0);
    });
  });
});
