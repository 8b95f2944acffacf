import { verifyPassword } from '@libs/crypto';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../../support/factories';
import { FORBIDDEN, FORBIDDEN_BEARER, expectSigned } from '../support';

describe('POST /v1/accounts/:account/users/:id/actions/update-password', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const update = (id: string, meta: unknown, auth: Record<string, string> = {}) =>
    t.http
      .post(`${a.base}/users/${id}/actions/update-password`)
      .set(auth)
      .send({ meta } as object);
  const stored = async (id: string): Promise<User> =>
    (await t.ds.getRepository(User).findOneBy({ id }))!;
  const tokenIds = async (userId: string): Promise<string[]> =>
    (
      (await t.ds.query(`SELECT id FROM tokens WHERE bearer_id = $1`, [userId])) as Array<{
        id: string;
      }>
    ).map((r) => r.id);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it("changes the user's own password, keeps the current token and revokes the others", async () => {
      const u = await g.user(a.account, { password: 'password' });
      await g.token(a.account, { type: 'users', id: u.user.id, role: 'user', environmentId: null });
      await g.token(a.account, { type: 'users', id: u.user.id, role: 'user', environmentId: null });
      expect(await tokenIds(u.user.id)).toHaveLength(3);
      await t.http
        .post(`${a.base}/passwords`)
        .send({ meta: { email: u.user.email, deliver: false } })
        .expect(204);
      const updated = t.events.named('user.updated', a.id).length;

      const res = await update(
        u.user.id,
        { oldPassword: 'password', newPassword: 'password2' },
        u.auth,
      ).expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({
        id: u.user.id,
        type: 'users',
        attributes: { email: u.user.email },
      });
      const row = await stored(u.user.id);
      expect(await verifyPassword('password2', row.passwordDigest!)).toBe(true);
      expect(row.passwordResetDigest).toBeNull();
      expect(row.passwordResetSentAt).toBeNull();
      expect(await tokenIds(u.user.id)).toHaveLength(1);
      await t.http.get(`${a.base}/users/${u.user.id}`).set(u.auth).expect(200);
      expect(t.events.named('user.updated', a.id)).toHaveLength(updated);
    });

    it('addresses the user by its e-mail', async () => {
      const u = await g.user(a.account, { password: 'password' });
      await update(
        u.user.email,
        { oldPassword: 'password', newPassword: 'password2' },
        u.auth,
      ).expect(200);
    });

    it('lets a read-only user change its password', async () => {
      const ro = await g.user(a.account, { role: 'read-only', password: 'password' });
      await update(
        ro.user.id,
        { oldPassword: 'password', newPassword: 'password2' },
        ro.auth,
      ).expect(200);
    });
  });

  describe('400', () => {
    // A fresh user per case: password mutations are rate limited per user (5 per 10 minutes).
    let u: GivenUser;
    beforeEach(async () => {
      u = await g.user(a.account, { password: 'password' });
    });

    it.each<[string, unknown, string, string]>([
      ['a missing old password', { newPassword: 'password2' }, 'is missing', '/meta/oldPassword'],
      ['a missing new password', { oldPassword: 'password' }, 'is missing', '/meta/newPassword'],
      [
        'a wrong type',
        { oldPassword: 'password', newPassword: 123456 },
        'type mismatch (received integer expected string)',
        '/meta/newPassword',
      ],
      [
        'a blank password',
        { oldPassword: '', newPassword: 'password2' },
        'cannot be blank',
        '/meta/oldPassword',
      ],
      [
        'an unknown key',
        { oldPassword: 'password', newPassword: 'password2', otp: '123456' },
        'unpermitted parameter',
        '/meta/otp',
      ],
    ])('rejects %s', async (_name, meta, detail, pointer) => {
      const res = await update(u.user.id, meta, u.auth).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
    });

    it('rejects a body without meta', async () => {
      const res = await t.http
        .post(`${a.base}/users/${u.user.id}/actions/update-password`)
        .set(u.auth)
        .send({})
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({
        detail: 'is missing',
        source: { pointer: '/meta' },
      });
    });
  });

  describe('401', () => {
    it('rejects a wrong old password without a code', async () => {
      const u = await g.user(a.account, { password: 'password' });
      const res = await update(
        u.user.id,
        { oldPassword: 'wrong-password', newPassword: 'password2' },
        u.auth,
      ).expect(401);
      expect(res.body.errors).toEqual([
        { title: 'Unauthorized', detail: 'is not valid', source: { pointer: '/meta/oldPassword' } },
      ]);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="keygen"');
      expect(await verifyPassword('password', (await stored(u.user.id)).passwordDigest!)).toBe(
        true,
      );
    });

    it('rejects a user without a password', async () => {
      const u = await g.user(a.account, { password: null });
      const res = await update(
        u.user.id,
        { oldPassword: 'password', newPassword: 'password2' },
        u.auth,
      ).expect(401);
      expect(res.body.errors[0].detail).toBe('is not valid');
    });

    it('requires authentication', async () => {
      const u = await g.user(a.account);
      const res = await update(u.user.id, {
        oldPassword: 'password',
        newPassword: 'password2',
      }).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it("refuses an admin changing another user's password", async () => {
      const u = await g.user(a.account, { password: 'password' });
      const res = await update(
        u.user.id,
        { oldPassword: 'password', newPassword: 'password2' },
        a.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: FORBIDDEN_BEARER }]);
    });

    it('refuses a token lacking user.password.update', async () => {
      const u = await g.user(a.account, { password: 'password' });
      const tok = await g.token(
        a.account,
        { type: 'users', id: u.user.id, role: 'user', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await update(
        u.user.id,
        { oldPassword: 'password', newPassword: 'password2' },
        {
          Authorization: `Bearer ${tok.raw}`,
        },
      ).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (token lacks permission to perform action)`,
      );
    });
  });

  describe('404', () => {
    it('hides other users from a user', async () => {
      const u = await g.user(a.account, { password: 'password' });
      const other = await g.user(a.account, { password: 'password' });
      const res = await update(
        other.user.id,
        { oldPassword: 'password', newPassword: 'password2' },
        u.auth,
      ).expect(404);
      expect(res.body.errors[0].detail).toBe(`The requested user '${other.user.id}' was not found`);
    });

    it('looks the user up before validating the body', async () => {
      const u = await g.user(a.account);
      const other = await g.user(a.account);
      await update(other.user.id, {}, u.auth).expect(404);
    });
  });

  describe('422', () => {
    it('rejects a short new password', async () => {
      const u = await g.user(a.account, { password: 'password' });
      const res = await update(
        u.user.id,
        { oldPassword: 'password', newPassword: 'pass' },
        u.auth,
      ).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'is too short (minimum is 6 characters)',
          code: 'PASSWORD_TOO_SHORT',
          source: { pointer: '/data/attributes/password' },
          links: { about: 'https://keygen.sh/docs/api/users/#users-object-attrs-password' },
        },
      ]);
      expect(await tokenIds(u.user.id)).toHaveLength(1);
    });
  });
});
