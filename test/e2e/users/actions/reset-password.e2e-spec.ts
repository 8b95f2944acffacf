import { verifyPassword } from '@libs/crypto';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../../support/factories';
import { FORBIDDEN, FORBIDDEN_ANON, expectSigned } from '../support';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('POST /v1/accounts/:account/users/:id/actions/reset-password', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let locked: GivenAccount;

  const stored = async (id: string): Promise<User> =>
    (await t.ds.getRepository(User).findOneBy({ id }))!;
  const tokenCount = async (userId: string): Promise<number> =>
    Number(
      (await t.ds.query(`SELECT count(*)::int AS n FROM tokens WHERE bearer_id = $1`, [userId]))[0]
        .n,
    );

  /** Requests a reset via POST /passwords and reads the raw token from the event. */
  async function resetToken(
    acct: GivenAccount,
    u: GivenUser,
    headers: Record<string, string> = {},
  ): Promise<string> {
    await t.http
      .post(`${acct.base}/passwords`)
      .set(headers)
      .send({ meta: { email: u.user.email, deliver: false } })
      .expect(204);
    const events = t.events
      .named('user.password-reset', acct.id)
      .filter((e) => e.resource.id === u.user.id);
    return events[events.length - 1].meta!.passwordResetToken as string;
  }

  const reset = (
    acct: GivenAccount,
    id: string,
    meta: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.http
      .post(`${acct.base}/users/${id}/actions/reset-password`)
      .set(headers)
      .send({ meta } as object);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    locked = await g.account({ protected: true });
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('sets the new password, clears the token and revokes every token of the user', async () => {
      const u = await g.user(a.account, { password: 'password' });
      await g.token(a.account, { type: 'users', id: u.user.id, role: 'user', environmentId: null });
      const token = await resetToken(a, u);
      const updated = t.events.named('user.updated', a.id).length;

      const res = await reset(a, u.user.id, {
        passwordResetToken: token,
        newPassword: 'password2',
      }).expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({ id: u.user.id, type: 'users' });
      expect(res.headers['keygen-bearer']).toBeUndefined();
      const row = await stored(u.user.id);
      expect(await verifyPassword('password2', row.passwordDigest!)).toBe(true);
      expect(row.passwordResetDigest).toBeNull();
      expect(await tokenCount(u.user.id)).toBe(0);
      expect(t.events.named('user.updated', a.id)).toHaveLength(updated);

      const again = await reset(a, u.user.id, {
        passwordResetToken: token,
        newPassword: 'password3',
      }).expect(404);
      expect(again.body.errors[0].code).toBe('NOT_FOUND');
    });

    it('addresses the user by its e-mail', async () => {
      const u = await g.user(a.account);
      const token = await resetToken(a, u);
      await reset(a, u.user.email, { passwordResetToken: token, newPassword: 'password2' }).expect(
        200,
      );
    });

    it('accepts a token just under 24 hours old', async () => {
      const u = await g.user(a.account);
      const token = await resetToken(a, u);
      t.clock.advance(DAY_MS - 60_000);
      try {
        await reset(a, u.user.id, { passwordResetToken: token, newPassword: 'password2' }).expect(
          200,
        );
      } finally {
        t.clock.reset();
      }
    });

    it('lets a passwordless user reset on an unprotected account, and an admin on a protected one', async () => {
      const u = await g.user(a.account, { password: null });
      await reset(a, u.user.id, {
        passwordResetToken: await resetToken(a, u),
        newPassword: 'bd2e5b3410e5',
      }).expect(200);
      const admin = await g.user(locked.account, { role: 'admin', password: null });
      await reset(locked, admin.user.id, {
        passwordResetToken: await resetToken(locked, admin),
        newPassword: 'bd2e5b3410e5',
      }).expect(200);
    });

    it('resets a user of an environment from inside that environment', async () => {
      const env = await g.environment(a.account);
      const u = await g.user(a.account, { environment: env.environment });
      const token = await resetToken(a, u);
      await reset(
        a,
        u.user.id,
        { passwordResetToken: token, newPassword: 'password2' },
        {
          'Keygen-Environment': env.environment.code,
        },
      ).expect(200);
    });

    it('ignores the credentials of whoever calls it', async () => {
      const u = await g.user(a.account);
      const token = await resetToken(a, u);
      await reset(
        a,
        u.user.id,
        { passwordResetToken: token, newPassword: 'password2' },
        a.auth,
      ).expect(200);
    });
  });

  describe('400', () => {
    it.each<[string, unknown, string, string]>([
      ['a missing token', { newPassword: 'password2' }, 'is missing', '/meta/passwordResetToken'],
      ['a missing password', { passwordResetToken: 'x' }, 'is missing', '/meta/newPassword'],
      [
        'a blank token',
        { passwordResetToken: '', newPassword: 'password2' },
        'cannot be blank',
        '/meta/passwordResetToken',
      ],
    ])('rejects %s', async (_name, meta, detail, pointer) => {
      const u = await g.user(a.account);
      const res = await reset(a, u.user.id, meta).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
    });
  });

  describe('401', () => {
    it('rejects a token sent more than 24 hours ago', async () => {
      const u = await g.user(a.account, { password: 'password' });
      const token = await resetToken(a, u);
      t.clock.advance(DAY_MS + 1000);
      try {
        const res = await reset(a, u.user.id, {
          passwordResetToken: token,
          newPassword: 'password2',
        }).expect(401);
        expect(res.body.errors).toEqual([
          {
            title: 'Unauthorized',
            detail: 'is expired',
            source: { pointer: '/meta/passwordResetToken' },
          },
        ]);
        expectSigned(res);
      } finally {
        t.clock.reset();
      }
      expect(await verifyPassword('password', (await stored(u.user.id)).passwordDigest!)).toBe(
        true,
      );
    });

    it('rejects invalid credentials', async () => {
      const u = await g.user(a.account);
      await reset(
        a,
        u.user.id,
        { passwordResetToken: 'x', newPassword: 'password2' },
        { Authorization: 'Bearer admin-00v3' },
      ).expect(401);
    });
  });

  describe('403', () => {
    it('refuses a passwordless user on a protected account', async () => {
      const u = await g.user(locked.account, { password: null });
      const token = await resetToken(locked, u);
      const res = await reset(locked, u.user.id, {
        passwordResetToken: token,
        newPassword: 'bd2e5b3410e5',
      }).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: FORBIDDEN_ANON }]);
    });

    it('refuses a user of another environment', async () => {
      const env = await g.environment(a.account);
      const u = await g.user(a.account, { environment: env.environment });
      const token = await resetToken(a, u);
      const res = await reset(a, u.user.id, {
        passwordResetToken: token,
        newPassword: 'password2',
      }).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (user environment is not compatible with the current environment)`,
      );
    });
  });

  describe('404', () => {
    it('hides a wrong token behind not found', async () => {
      const u = await g.user(a.account);
      await resetToken(a, u);
      const res = await reset(a, u.user.id, {
        passwordResetToken: `${'0'.repeat(48)}v3`,
        newPassword: 'password2',
      }).expect(404);
      expect(res.body.errors).toEqual([
        {
          title: 'Not found',
          detail: `The requested user '${u.user.id}' was not found`,
          code: 'NOT_FOUND',
        },
      ]);
    });

    it('hides users that never requested a reset', async () => {
      const u = await g.user(a.account);
      await reset(a, u.user.id, {
        passwordResetToken: `${'0'.repeat(48)}v3`,
        newPassword: 'password2',
      }).expect(404);
    });

    it('invalidates the previous token when a new one is requested', async () => {
      const u = await g.user(a.account);
      const first = await resetToken(a, u);
      const second = await resetToken(a, u);
      expect(second).not.toBe(first);
      await reset(a, u.user.id, { passwordResetToken: first, newPassword: 'password2' }).expect(
        404,
      );
      await reset(a, u.user.id, { passwordResetToken: second, newPassword: 'password2' }).expect(
        200,
      );
    });

    it("reports unknown users and other accounts' users", async () => {
      const other = await g.account();
      const res = await reset(a, 'nobody@keyward.example', {
        passwordResetToken: 'x',
        newPassword: 'password2',
      }).expect(404);
      expect(res.body.errors[0].detail).toBe(
        "The requested user 'nobody@keyward.example' was not found",
      );
      await reset(a, other.admin.id, { passwordResetToken: 'x', newPassword: 'password2' }).expect(
        404,
      );
    });
  });

  describe('422', () => {
    it('rejects a short password', async () => {
      const u = await g.user(a.account);
      const token = await resetToken(a, u);
      const res = await reset(a, u.user.id, {
        passwordResetToken: token,
        newPassword: 'bad',
      }).expect(422);
      expect(res.body.errors[0]).toMatchObject({
        title: 'Unprocessable resource',
        detail: 'is too short (minimum is 6 characters)',
        code: 'PASSWORD_TOO_SHORT',
        source: { pointer: '/data/attributes/password' },
      });
    });
  });
});
