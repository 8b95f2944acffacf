import { AccountSettingsService } from '@app/modules/accounts/account-settings.service';
import { systemContext } from '@app/common/context/request-context';
import { AccountsCache } from '@app/modules/accounts/accounts.cache';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import {
  ENV_MISMATCH,
  NO_REASON,
  givenSetting,
  lacks,
  settingError,
  settingResource,
} from './support';

describe('POST /v1/accounts/:account/settings', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  const post = (a: GivenAccount, attributes: Record<string, unknown>, auth = a.auth) =>
    t.http
      .post(`${a.base}/settings`)
      .set(auth)
      .send({ data: { type: 'settings', attributes } });

  describe('201', () => {
    it('creates default_license_permissions, with Location, event and a touched account', async () => {
      const a = await given(t).account();
      t.clock.advance(1000);
      const value = ['license.validate', 'license.read', 'machine.read', 'machine.create'];
      const res = await post(a, { key: 'default_license_permissions', value }).expect(201);
      const id = res.body.data.id as string;
      const created = res.body.data.attributes.created as string;
      expect(res.body).toEqual({
        data: settingResource(
          { id, accountId: a.id, key: 'default_license_permissions', value },
          created,
        ),
      });
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/settings/${id}`,
      );
      expect(res.headers['keygen-signature']).toBeDefined();
      const events = t.events.named('account.settings.created', a.id);
      expect(events.map((e) => e.resource.id)).toEqual([id]);
      const account = await t.http.get(a.base).set(a.auth).expect(200);
      expect(account.body.data.attributes.updated).toBe(created);
    });

    it.each(['defaultUserPermissions', 'default-user-permissions', 'default_user_permissions'])(
      'underscores the key %j',
      async (key) => {
        const a = await given(t).account();
        const res = await post(a, { key, value: ['license.validate', 'user.read'] }).expect(201);
        expect(res.body.data.attributes).toMatchObject({
          key: 'default_user_permissions',
          value: ['license.validate', 'user.read'],
        });
      },
    );

    it('accepts the wildcard; an empty list is blank (400)', async () => {
      const a = await given(t).account();
      await post(a, { key: 'default_user_permissions', value: ['*'] }).expect(201);
      const res = await post(a, { key: 'default_license_permissions', value: [] }).expect(400);
      // typed params: an empty array for `value` is blank
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'cannot be blank',
          source: { pointer: '/data/attributes/value' },
        },
      ]);
    });

    it('lets a developer create a setting', async () => {
      const a = await given(t).account();
      const dev = await given(t).user(a.account, { role: 'developer' });
      await post(a, { key: 'default_user_permissions', value: ['user.read'] }, dev.auth).expect(
        201,
      );
    });

    it('feeds defaultPermissionsFor', async () => {
      const a = await given(t).account();
      const ctx = systemContext((await t.app.get(AccountsCache).resolve(a.id))!, t.clock);
      const service = t.app.get(AccountSettingsService);
      expect(await service.defaultPermissionsFor(ctx, 'user')).toBeNull();
      await post(a, {
        key: 'default_user_permissions',
        value: ['user.read', 'license.read'],
      }).expect(201);
      expect(await service.defaultPermissionsFor(ctx, 'user')).toEqual([
        'user.read',
        'license.read',
      ]);
      expect(await service.defaultPermissionsFor(ctx, 'license')).toBeNull();
    });
  });

  describe('400', () => {
    it('requires a key and a value', async () => {
      const a = await given(t).account();
      const noKey = await post(a, { value: ['user.read'] }).expect(400);
      expect(noKey.body.errors).toEqual([
        { title: 'Bad request', detail: 'is missing', source: { pointer: '/data/attributes/key' } },
      ]);
      const nullValue = await post(a, { key: 'default_user_permissions', value: null }).expect(400);
      expect(nullValue.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'cannot be null',
          source: { pointer: '/data/attributes/value' },
        },
      ]);
    });

    it('rejects a wrong type and unknown attributes', async () => {
      const a = await given(t).account();
      const type = await t.http
        .post(`${a.base}/settings`)
        .set(a.auth)
        .send({
          data: {
            type: 'accounts',
            attributes: { key: 'default_user_permissions', value: ['user.read'] },
          },
        })
        .expect(400);
      expect(type.body.errors).toEqual([
        { title: 'Bad request', detail: 'is invalid', source: { pointer: '/data/type' } },
      ]);
      const extra = await post(a, {
        key: 'default_user_permissions',
        value: ['user.read'],
        name: 'x',
      }).expect(400);
      expect(extra.body.errors[0]).toMatchObject({
        detail: 'unpermitted parameter',
        source: { pointer: '/data/attributes/name' },
      });
    });

    it('validates params before authorizing (400 beats 403)', async () => {
      const a = await given(t).account();
      const u = await given(t).user(a.account, { role: 'sales-agent' });
      await post(a, { value: ['user.read'] }, u.auth).expect(400);
    });
  });

  describe('403', () => {
    it.each(['sales-agent', 'support-agent'] as const)('denies a %s', async (role) => {
      const a = await given(t).account();
      const u = await given(t).user(a.account, { role });
      const res = await post(
        a,
        { key: 'default_user_permissions', value: ['user.read'] },
        u.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: NO_REASON }]);
    });

    it.each([
      ['read-only', 'read only'],
      ['user', 'user'],
    ] as const)('denies a %s (lacks account.update)', async (role, words) => {
      const a = await given(t).account();
      const u = await given(t).user(a.account, { role });
      const res = await post(
        a,
        { key: 'default_user_permissions', value: ['user.read'] },
        u.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: lacks(words) }]);
    });

    it('denies an environment bearer', async () => {
      const a = await given(t).account();
      const env = await given(t).environment(a.account);
      const res = await post(
        a,
        { key: 'default_user_permissions', value: ['user.read'] },
        env.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: lacks('environment') }]);
    });

    it('denies an admin writing from inside an environment', async () => {
      const a = await given(t).account();
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await post(
        a,
        { key: 'default_user_permissions', value: ['user.read'] },
        {
          ...a.auth,
          'Keygen-Environment': env.environment.code,
        },
      ).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: ENV_MISMATCH }]);
      expect(t.events.named('account.settings.created', a.id)).toHaveLength(0);
    });
  });

  describe('422', () => {
    it('rejects duplicate permissions', async () => {
      const a = await given(t).account();
      const res = await post(a, {
        key: 'default_license_permissions',
        value: ['license.validate', 'license.validate', 'machine.read', 'machine.create'],
      }).expect(422);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          settingError(
            'value',
            'VALUE_NOT_ALLOWED',
            'must be an array of valid license permissions',
          ),
        ],
      });
      expect(t.events.named('account.settings.created', a.id)).toHaveLength(0);
    });

    it.each([
      [['license.validate', 'license.read', null, 'user.read']],
      [['license.validate', 'license.read', 'foo.bar']],
      [['admin.create']],
      [[1, 2]],
    ])('rejects invalid user permissions %j', async (value) => {
      const a = await given(t).account();
      const res = await post(a, { key: 'default_user_permissions', value }).expect(422);
      expect(res.body.errors).toEqual([
        settingError('value', 'VALUE_NOT_ALLOWED', 'must be an array of valid user permissions'),
      ]);
    });

    it('rejects a user-only permission in license defaults', async () => {
      const a = await given(t).account();
      const res = await post(a, {
        key: 'default_license_permissions',
        value: ['user.update'],
      }).expect(422);
      expect(res.body.errors).toEqual([
        settingError('value', 'VALUE_NOT_ALLOWED', 'must be an array of valid license permissions'),
      ]);
    });

    it('rejects a non-array value', async () => {
      const a = await given(t).account();
      const res = await post(a, { key: 'defaultUserPermissions', value: { foo: 'bar' } }).expect(
        422,
      );
      expect(res.body.errors).toEqual([
        settingError('value', 'VALUE_NOT_ALLOWED', 'must be a valid setting'),
      ]);
    });

    it('rejects an unknown key (and its value)', async () => {
      const a = await given(t).account();
      const res = await post(a, { key: 'foo', value: 'bar' }).expect(422);
      expect(res.body.errors).toEqual([
        settingError(
          'key',
          'KEY_NOT_ALLOWED',
          'must be one of: default_license_permissions, default_user_permissions',
        ),
        settingError('value', 'VALUE_NOT_ALLOWED', 'must be a valid setting'),
      ]);
    });

    it('rejects a key the account already has', async () => {
      const a = await given(t).account();
      await givenSetting(t, a.account, 'default_license_permissions', ['license.validate']);
      const res = await post(a, {
        key: 'default_license_permissions',
        value: ['license.read'],
      }).expect(422);
      expect(res.body.errors).toEqual([settingError('key', 'KEY_TAKEN', 'has already been taken')]);
    });
  });
});
