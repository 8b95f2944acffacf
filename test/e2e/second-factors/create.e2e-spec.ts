import { SecretBox } from '@libs/crypto';
import { renderDocument } from '@libs/jsonapi';
import { SecondFactor } from '@app/modules/second-factors/second-factor.entity';
import { SecondFactorSerializer } from '@app/modules/second-factors/second-factor.serializer';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const GENERIC_403 =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';
const PASSWORD_INVALID = {
  title: 'Unauthorized',
  detail: 'password must be valid',
  code: 'PASSWORD_INVALID',
  source: { pointer: '/meta/password' },
};
const OTP_INVALID = {
  title: 'Unauthorized',
  detail: 'second factor must be valid',
  code: 'OTP_INVALID',
  source: { pointer: '/meta/otp' },
};
const CONFLICT = {
  title: 'Conflict',
  detail: 'The request could not be completed because of a conflict',
};

describe('POST /v1/accounts/:account/users/:user/second-factors', () => {
  let t: TestApp;
  let a: GivenAccount;
  const path = (user: string) => `${a.base}/users/${user}/second-factors`;
  const count = (userId: string) => t.ds.getRepository(SecondFactor).countBy({ userId });

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('201', () => {
    it('creates a disabled factor after the password, with Location, uri, secret and the created event', async () => {
      const admin = await given(t).user(a.account, { role: 'admin' });
      const res = await t.http
        .post(path(admin.user.id))
        .set(admin.auth)
        .send({ meta: { password: admin.password } })
        .expect(201);
      const id = res.body.data.id as string;
      const secret = res.body.data.attributes.secret as string;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(res.body.data).toMatchObject({
        type: 'second-factors',
        attributes: {
          uri: `otpauth://totp/Keygen:${encodeURIComponent(admin.user.email)}?secret=${secret}&issuer=Keygen`,
          secret,
          enabled: false,
        },
        relationships: {
          environment: { links: { related: null }, data: null },
          user: { data: { type: 'users', id: admin.user.id } },
        },
      });
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/users/${admin.user.id}/second-factors/${id}`,
      );
      // The secret is sealed at rest.
      const row = await t.ds.getRepository(SecondFactor).findOneByOrFail({ id });
      expect(row.secret).not.toBe(secret);
      expect(t.app.get(SecretBox).decrypt(row.secret)).toBe(secret);
      // The event's payload never reveals the secret.
      const [event] = t.events
        .named('second-factor.created', a.id)
        .filter((e) => e.resource.id === id);
      expect(event).toBeDefined();
      const doc = renderDocument(SecondFactorSerializer, event.resource.record as SecondFactor, {
        accountId: a.id,
        apiVersion: '1.8',
        now: t.clock.now(),
      });
      expect(Object.keys((doc.data as { attributes: object }).attributes)).toEqual([
        'enabled',
        'created',
        'updated',
      ]);
    });

    it('accepts an optional data member', async () => {
      const u = await given(t).user(a.account);
      await t.http
        .post(path(u.user.id))
        .set(u.auth)
        .send({ data: { type: 'second-factors' }, meta: { password: u.password } })
        .expect(201);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'user'] as const)(
      'lets a %s create its own',
      async (role) => {
        const u = await given(t).user(a.account, { role });
        await t.http
          .post(path(u.user.id))
          .set(u.auth)
          .send({ meta: { password: u.password } })
          .expect(201);
        expect(await count(u.user.id)).toBe(1);
      },
    );

    it("lets an admin create one for another user with that user's password", async () => {
      const u = await given(t).user(a.account);
      await t.http
        .post(path(u.user.id))
        .set(a.auth)
        .send({ meta: { password: u.password } })
        .expect(201);
    });

    it('places a factor created inside an environment in that environment', async () => {
      const env = await given(t).environment(a.account);
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      const res = await t.http
        .post(path(admin.user.id))
        .set({ ...admin.auth, 'Keygen-Environment': env.environment.code })
        .send({ meta: { password: admin.password } })
        .expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });
  });

  describe('400', () => {
    it.each([
      ['a missing meta', {}, 'is missing', '/meta'],
      [
        'an unknown meta key',
        { meta: { password: 'x', foo: 1 } },
        'unpermitted parameter',
        '/meta/foo',
      ],
      [
        'a numeric otp',
        { meta: { otp: 123456 } },
        'type mismatch (received integer expected string)',
        '/meta/otp',
      ],
      ['an empty password', { meta: { password: '' } }, 'cannot be blank', '/meta/password'],
      [
        'attributes',
        { data: { type: 'second-factors', attributes: { enabled: true } }, meta: {} },
        'unpermitted parameter',
        '/data/attributes',
      ],
    ])('rejects %s', async (_label, payload, detail, pointer) => {
      // A fresh target each time: 2FA changes are rate limited per user (5 / 10 min).
      const admin = await given(t).user(a.account, { role: 'admin' });
      const res = await t.http.post(path(admin.user.id)).set(admin.auth).send(payload).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
    });
  });

  describe('401', () => {
    it('rejects a wrong password', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(path(u.user.id))
        .set(u.auth)
        .send({ meta: { password: 'h4x0r' } })
        .expect(401);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [PASSWORD_INVALID],
      });
      expect(await count(u.user.id)).toBe(0);
    });

    it('rejects a missing password, and any password for a passwordless user', async () => {
      const u = await given(t).user(a.account, { password: null });
      for (const meta of [{}, { password: 'anything' }]) {
        const res = await t.http.post(path(u.user.id)).set(u.auth).send({ meta }).expect(401);
        expect(res.body.errors).toEqual([PASSWORD_INVALID]);
      }
    });

    it('asks for the password, not an OTP, while the existing factor is disabled', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http
        .post(path(u.user.id))
        .set(u.auth)
        .send({ meta: { otp: sf.otp() } })
        .expect(401);
      expect(res.body.errors).toEqual([PASSWORD_INVALID]);
    });

    it('asks for a valid OTP, not the password, once a factor is enabled', async () => {
      const u = await given(t).user(a.account);
      await given(t).secondFactor(u.user, { enabled: true });
      for (const meta of [{ password: u.password }, { otp: '000000' }, {}]) {
        const res = await t.http.post(path(u.user.id)).set(u.auth).send({ meta }).expect(401);
        expect(res.body.errors).toEqual([OTP_INVALID]);
      }
    });

    it('requires a token', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(path(u.user.id))
        .send({ meta: { password: u.password } })
        .expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it('denies a read-only user its own (no create permission)', async () => {
      const ro = await given(t).user(a.account, { role: 'read-only' });
      const res = await t.http
        .post(path(ro.user.id))
        .set(ro.auth)
        .send({ meta: { password: ro.password } })
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (read only lacks permission to perform action)',
      );
    });

    it('denies a read-only user even holding the permission', async () => {
      const ro = await given(t).user(a.account, { role: 'read-only', permissions: ['*'] });
      const res = await t.http
        .post(path(ro.user.id))
        .set(ro.auth)
        .send({ meta: { password: ro.password } })
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (read only lacks permission to perform action)',
      );
    });

    it('denies a developer creating one for another user', async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(path(u.user.id))
        .set(dev.auth)
        .send({ meta: { password: u.password } })
        .expect(403);
      expect(res.body.errors[0].detail).toBe(GENERIC_403);
      expect(await count(u.user.id)).toBe(0);
    });

    it('denies an environment creating one for its user', async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      const res = await t.http
        .post(path(u.user.id))
        .set(env.auth)
        .send({ meta: { password: u.password } })
        .expect(403);
      expect(res.body.errors[0].detail).toBe(GENERIC_403);
    });
  });

  describe('404', () => {
    it('hides an admin from a user', async () => {
      const u = await given(t).user(a.account);
      const admin = await given(t).user(a.account, { role: 'admin' });
      const res = await t.http
        .post(path(admin.user.id))
        .set(u.auth)
        .send({ meta: { password: 'x' } })
        .expect(404);
      expect(res.body.errors[0].detail).toBe(`The requested user '${admin.user.id}' was not found`);
    });
  });

  describe('409', () => {
    it('conflicts with an existing disabled factor after the password checks out', async () => {
      const u = await given(t).user(a.account);
      await given(t).secondFactor(u.user);
      const res = await t.http
        .post(path(u.user.id))
        .set(u.auth)
        .send({ meta: { password: u.password } })
        .expect(409);
      expect(res.body.errors).toEqual([CONFLICT]);
      expect(await count(u.user.id)).toBe(1);
    });

    it('conflicts with an existing enabled factor after the OTP checks out', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user, { enabled: true });
      const res = await t.http
        .post(path(u.user.id))
        .set(u.auth)
        .send({ meta: { otp: sf.otp() } })
        .expect(409);
      expect(res.body.errors).toEqual([CONFLICT]);
      expect(
        t.events.named('second-factor.created', a.id).filter((e) => e.resource.id === sf.factor.id),
      ).toHaveLength(0);
    });
  });
});
