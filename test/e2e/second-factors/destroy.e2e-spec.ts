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

describe('DELETE /v1/accounts/:account/users/:user/second-factors/:id', () => {
  let t: TestApp;
  let a: GivenAccount;
  const path = (user: string, id: string) => `${a.base}/users/${user}/second-factors/${id}`;
  const exists = async (id: string) =>
    (await t.ds.getRepository(SecondFactor).countBy({ id })) === 1;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('204', () => {
    it('deletes an enabled factor with a valid OTP and emits second-factor.deleted', async () => {
      const admin = await given(t).user(a.account, { role: 'admin' });
      const sf = await given(t).secondFactor(admin.user, { enabled: true });
      const res = await t.http
        .delete(path(admin.user.id, sf.factor.id))
        .set(admin.auth)
        .send({ meta: { otp: sf.otp() } })
        .expect(204);
      expect(res.text).toBe('');
      expect(await exists(sf.factor.id)).toBe(false);
      expect(t.events.named('second-factor.deleted', a.id).map((e) => e.resource.id)).toContain(
        sf.factor.id,
      );
    });

    it('deletes a disabled factor without an OTP', async () => {
      const admin = await given(t).user(a.account, { role: 'admin' });
      const sf = await given(t).secondFactor(admin.user);
      await t.http.delete(path(admin.user.id, sf.factor.id)).set(admin.auth).expect(204);
      expect(await exists(sf.factor.id)).toBe(false);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'user'] as const)(
      'lets a %s delete its own',
      async (role) => {
        const u = await given(t).user(a.account, { role });
        const sf = await given(t).secondFactor(u.user, { enabled: true });
        await t.http
          .delete(path(u.user.id, sf.factor.id))
          .set(u.auth)
          .send({ meta: { otp: sf.otp() } })
          .expect(204);
      },
    );

    it("lets an admin delete another user's factor with that user's OTP", async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user, { enabled: true });
      await t.http
        .delete(path(u.user.id, sf.factor.id))
        .set(a.auth)
        .send({ meta: { otp: sf.otp() } })
        .expect(204);
    });
  });

  describe('400', () => {
    it.each([
      ['a meta without otp', { meta: {} }, 'is missing', '/meta/otp'],
      ['a data member', { data: { type: 'second-factors' } }, 'unpermitted parameter', '/data'],
    ])('rejects %s', async (_label, payload, detail, pointer) => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http
        .delete(path(u.user.id, sf.factor.id))
        .set(u.auth)
        .send(payload)
        .expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
    });
  });

  describe('401', () => {
    it.each([
      ['a wrong OTP', { meta: { otp: '000000' } }],
      ['no OTP at all', undefined],
    ])('keeps an enabled factor on %s', async (_label, payload) => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user, { enabled: true });
      const req = t.http.delete(path(u.user.id, sf.factor.id)).set(u.auth);
      const res = await (payload ? req.send(payload) : req).expect(401);
      expect(res.body.errors).toEqual([OTP_INVALID]);
      expect(await exists(sf.factor.id)).toBe(true);
    });
  });

  describe('401 (authentication)', () => {
    it('requires a token', async () => {
      const u = await given(t).user(a.account);
      const sf = await given(t).secondFactor(u.user);
      const res = await t.http.delete(path(u.user.id, sf.factor.id)).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
      expect(await exists(sf.factor.id)).toBe(true);
    });
  });

  describe('403', () => {
    it('denies a read-only user its own', async () => {
      const ro = await given(t).user(a.account, { role: 'read-only' });
      const sf = await given(t).secondFactor(ro.user);
      const res = await t.http.delete(path(ro.user.id, sf.factor.id)).set(ro.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (read only lacks permission to perform action)',
      );
      expect(await exists(sf.factor.id)).toBe(true);
    });

    it.each(['developer', 'sales-agent', 'support-agent'] as const)(
      "denies a %s another user's factor",
      async (role) => {
        const staff = await given(t).user(a.account, { role });
        const u = await given(t).user(a.account);
        const sf = await given(t).secondFactor(u.user);
        const res = await t.http.delete(path(u.user.id, sf.factor.id)).set(staff.auth).expect(403);
        expect(res.body.errors[0].detail).toBe(GENERIC_403);
      },
    );

    it("denies an environment deleting a shared user's factor (?environment=)", async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await given(t).user(a.account, { environment: env.environment });
      const sf = await given(t).secondFactor(u.user, { enabled: true });
      const res = await t.http
        .delete(`${path(u.user.id, sf.factor.id)}?environment=${env.environment.code}`)
        .set('Authorization', `Bearer ${env.token}`)
        .send({ meta: { otp: sf.otp() } })
        .expect(403);
      expect(res.body.errors[0].detail).toBe(GENERIC_403);
      expect(await exists(sf.factor.id)).toBe(true);
    });
  });

  describe('404', () => {
    it('hides a user from another user', async () => {
      const u = await given(t).user(a.account);
      const other = await given(t).user(a.account);
      const sf = await given(t).secondFactor(other.user);
      await t.http.delete(path(other.user.id, sf.factor.id)).set(u.auth).expect(404);
      expect(await exists(sf.factor.id)).toBe(true);
    });
  });
});
