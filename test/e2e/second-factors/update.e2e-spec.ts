import { SecondFactor } from '@app/modules/second-factors/second-factor.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const GENERIC_403 =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';
const OTP_INVALID = {
  title: 'Unauthorized',
  detail: 'second factor must be valid',
  code: 'OTP_INVALID',
  source: { pointer: '/meta/otp' },
};
const STEP_MS = 30_000;

const body = (enabled: unknown, otp?: unknown, type = 'second-factors') => ({
  data: { type, attributes: { enabled } },
  ...(otp === undefined ? {} : { meta: { otp } }),
});

describe('PATCH /v1/accounts/:account/users/:user/second-factors/:id', () => {
  let t: TestApp;
  let a: GivenAccount;
  const path = (user: string, id: string) => `${a.base}/users/${user}/second-factors/${id}`;
  const load = (id: string) => t.ds.getRepository(SecondFactor).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('enables a factor with its own OTP, hides the secret and emits second-factor.enabled', async () => {
      const admin = await given(t).user(a.account, { role: 'admin' });
      const sf = await given(t).secondFactor(admin.user);
      t.clock.advance(STEP_MS);
      const res = await t.http
        .patch(path(admin.user.id, sf.factor.id))
        .set(admin.auth)
        .send(body(true, sf.otp(), 'second-factor'))
        .expect(200);
      expect(res.body.data).toMatchObject({ id: sf.factor.id, type: 'second-factors' });
      expect(res.body.data.attributes).toEqual({
        enabled: true,
        created: sf.factor.createdAt.toISOString(),
        updated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(new Date(res.body.data.attributes.updated).getTime()).toBeGreaterThan(
        sf.factor.updatedAt.getTime(),
      );
      expect((await load(sf.factor.id)).enabled).toBe(true);
      expect(t.events.named('second-factor.enabled', a.id).map((e) => e.resource.id)).toContain(
        sf.factor.id,
      );
    });

    it('disables an enabled factor and shows its uri and secret again', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user, { enabled: true });
      const res = await t.http
        .patch(path(u.user.id, sf.factor.id))
        .set(u.auth)
        .send(body(false, sf.otp()))
        .expect(200);
      expect(res.body.data.attributes).toMatchObject({ enabled: false, secret: sf.secret });
      expect(res.body.data.attributes.uri).toContain(`secret=${sf.secret}`);
      expect(t.events.named('second-factor.disabled', a.id).map((e) => e.resource.id)).toContain(
        sf.factor.id,
      );
    });

    it('re-enables an enabled factor (every spelling of the type works)', async () => {
      const admin = await given(t).user(a.account, { role: 'admin' });
      const sf = await given(t).secondFactor(admin.user, { enabled: true });
      for (const type of ['secondFactor', 'second_factors']) {
        t.clock.advance(STEP_MS);
        await t.http
          .patch(path(admin.user.id, sf.factor.id))
          .set(admin.auth)
          .send(body(true, sf.otp(), type))
          .expect(200);
      }
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'user'] as const)(
      'lets a %s enable its own',
      async (role) => {
        const u = await given(t).user(a.account, { role });
        const sf = await given(t).secondFactor(u.user);
        await t.http
          .patch(path(u.user.id, sf.factor.id))
          .set(u.auth)
          .send(body(true, sf.otp()))
          .expect(200);
      },
    );

    it('accepts a code from the previous step within 10 seconds', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      t.clock.freeze(new Date(Math.floor(Date.now() / STEP_MS) * STEP_MS + 5_000));
      const previous = sf.otp();
      t.clock.advance(STEP_MS - 5_000 + 4_000); // 4 s into the next step
      try {
        await t.http
          .patch(path(u.user.id, sf.factor.id))
          .set(u.auth)
          .send(body(true, previous))
          .expect(200);
      } finally {
        t.clock.reset();
      }
    });
  });

  describe('400', () => {
    it.each([
      ['a missing meta', body(true), 'is missing', '/meta'],
      [
        'a missing otp',
        { data: { type: 'second-factors', attributes: { enabled: true } }, meta: {} },
        'is missing',
        '/meta/otp',
      ],
      [
        'a missing enabled',
        { data: { type: 'second-factors', attributes: {} }, meta: { otp: '123456' } },
        'is missing',
        '/data/attributes/enabled',
      ],
      [
        'a non-boolean enabled',
        body('yes', '123456'),
        'type mismatch (received string expected boolean)',
        '/data/attributes/enabled',
      ],
      ['a wrong type', body(true, '123456', 'users'), 'is invalid', '/data/type'],
    ])('rejects %s', async (_label, payload, detail, pointer) => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http
        .patch(path(u.user.id, sf.factor.id))
        .set(u.auth)
        .send(payload)
        .expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
    });
  });

  describe('401', () => {
    it('rejects a wrong OTP', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http
        .patch(path(u.user.id, sf.factor.id))
        .set(u.auth)
        .send(body(true, '000000'))
        .expect(401);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [OTP_INVALID],
      });
      expect((await load(sf.factor.id)).enabled).toBe(false);
    });

    it('rejects a replayed OTP', async () => {
      const u = await given(t).user(a.account, { role: 'admin' });
      const sf = await given(t).secondFactor(u.user, { enabled: true });
      const otp = sf.otp();
      await t.http
        .patch(path(u.user.id, sf.factor.id))
        .set(u.auth)
        .send(body(true, otp))
        .expect(200);
      const res = await t.http
        .patch(path(u.user.id, sf.factor.id))
        .set(u.auth)
        .send(body(false, otp))
        .expect(401);
      expect(res.body.errors).toEqual([OTP_INVALID]);
      expect((await load(sf.factor.id)).enabled).toBe(true);
    });

    it('rejects a code older than 10 seconds into the next step', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const stale = sf.otp();
      t.clock.advance(2 * STEP_MS);
      await t.http
        .patch(path(u.user.id, sf.factor.id))
        .set(u.auth)
        .send(body(true, stale))
        .expect(401);
    });
  });

  describe('401 (authentication)', () => {
    it('requires a token', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http
        .patch(path(u.user.id, sf.factor.id))
        .send(body(true, sf.otp()))
        .expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it('denies a read-only user its own', async () => {
      const ro = await given(t).user(a.account, { role: 'read-only' });
      const sf = await given(t).secondFactor(ro.user);
      const res = await t.http
        .patch(path(ro.user.id, sf.factor.id))
        .set(ro.auth)
        .send(body(true, sf.otp()))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (read only lacks permission to perform action)',
      );
    });

    it("denies a developer another user's factor", async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http
        .patch(path(u.user.id, sf.factor.id))
        .set(dev.auth)
        .send(body(true, sf.otp()))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(GENERIC_403);
    });

    it.each([true, false])(
      "denies an environment changing a shared user's factor (enabled: %p)",
      async (enabled) => {
        const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
        const u = await given(t).user(a.account, { environment: env.environment });
        const sf = await given(t).secondFactor(u.user, { enabled: !enabled });
        const res = await t.http
          .patch(path(u.user.id, sf.factor.id))
          .set(env.auth)
          .send(body(enabled, sf.otp()))
          .expect(403);
        expect(res.body.errors[0].detail).toBe(GENERIC_403);
      },
    );
  });

  describe('404', () => {
    it('reports an unknown factor', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .patch(path(u.user.id, 'nope'))
        .set(u.auth)
        .send(body(true, '123456'))
        .expect(404);
      expect(res.body.errors[0].detail).toBe("The requested second factor 'nope' was not found");
    });
  });
});
