import { uuidv4 } from '@app/common/ids';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { FORBIDDEN, FORBIDDEN_BEARER, expectSigned } from './support';

describe('DELETE /v1/accounts/:account/users/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const del = (acct: GivenAccount, id: string, auth: Record<string, string>) =>
    t.http.delete(`${acct.base}/users/${id}`).set(auth);
  const exists = async (id: string): Promise<boolean> =>
    (await t.ds.getRepository(User).countBy({ id })) > 0;
  const count = async (
    table: 'tokens' | 'second_factors',
    column: string,
    id: string,
  ): Promise<number> =>
    Number(
      (await t.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [id]))[0].n,
    );

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('204', () => {
    it('deletes the user with its tokens and second factors and fires user.deleted', async () => {
      const u = await g.user(a.account);
      const now = new Date();
      await t.ds.query(
        `INSERT INTO second_factors (id, account_id, environment_id, user_id, secret, enabled, created_at, updated_at)
         VALUES ($1, $2, NULL, $3, 'JBSWY3DPEHPK3PXP', false, $4, $4)`,
        [uuidv4(), a.id, u.user.id, now],
      );
      const before = t.events.named('user.deleted', a.id).length;
      const res = await del(a, u.user.id, a.auth).expect(204);
      expect(res.text).toBe('');
      expectSigned(res);
      expect(await exists(u.user.id)).toBe(false);
      expect(await count('tokens', 'bearer_id', u.user.id)).toBe(0);
      expect(await count('second_factors', 'user_id', u.user.id)).toBe(0);
      const events = t.events.named('user.deleted', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'users', id: u.user.id });
      await t.http.get(`${a.base}/users/${u.user.id}`).set(a.auth).expect(404);
      await t.http.get(`${a.base}/users/${u.user.id}`).set(u.auth).expect(401);
    });

    it('deletes by e-mail, case-insensitively', async () => {
      const u = await g.user(a.account);
      await del(a, u.user.email.toUpperCase(), a.auth).expect(204);
      expect(await exists(u.user.id)).toBe(false);
    });

    it('lets a developer delete a user', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      const u = await g.user(a.account);
      await del(a, u.user.id, dev.auth).expect(204);
    });

    it('lets an environment delete a user of its environment', async () => {
      const env = await g.environment(a.account);
      const u = await g.user(a.account, { environment: env.environment });
      await del(a, u.user.id, env.auth).expect(204);
      expect(await exists(u.user.id)).toBe(false);
    });

    it('lets an admin delete itself when another admin remains', async () => {
      const admin = await g.user(a.account, { role: 'admin' });
      await del(a, admin.user.id, admin.auth).expect(204);
      expect(await exists(admin.user.id)).toBe(false);
    });

    it('counts admins account-wide: the sole admin of an environment may delete itself', async () => {
      const env = await g.environment(a.account);
      const envAdmin = await g.user(a.account, { role: 'admin', environment: env.environment });
      await del(a, envAdmin.user.id, {
        ...envAdmin.auth,
        'Keygen-Environment': env.environment.code,
      }).expect(204);
    });
  });

  describe('401', () => {
    it("rejects another account's admin", async () => {
      const other = await g.account();
      const u = await g.user(a.account);
      await del(a, u.user.id, other.auth).expect(401);
      expect(await exists(u.user.id)).toBe(true);
    });
  });

  describe('403', () => {
    it.each<[string, 'sales-agent' | 'support-agent' | 'read-only' | 'user']>([
      ['sales agent', 'sales-agent'],
      ['support agent', 'support-agent'],
      ['read only', 'read-only'],
      ['user', 'user'],
    ])('refuses a %s', async (words, role) => {
      const bearer = await g.user(a.account, { role });
      const u = await g.user(a.account);
      const target = role === 'user' ? bearer.user.id : u.user.id;
      const res = await del(a, target, bearer.auth).expect(403);
      const detail =
        role === 'sales-agent' || role === 'support-agent'
          ? FORBIDDEN_BEARER
          : `${FORBIDDEN} (${words} lacks permission to perform action)`;
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail }]);
      expect(await exists(target)).toBe(true);
    });

    it('refuses a developer deleting an admin', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      const res = await del(a, a.admin.id, dev.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (developer lacks privileges to perform action on user)`,
      );
    });

    it('refuses an environment deleting staff of its environment', async () => {
      const env = await g.environment(a.account);
      const ro = await g.user(a.account, { role: 'read-only', environment: env.environment });
      const res = await del(a, ro.user.id, env.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(FORBIDDEN_BEARER);
    });

    it('refuses an admin without admin.delete deleting an admin', async () => {
      const limited = await g.user(a.account, { role: 'admin', permissions: ['user.delete'] });
      const other = await g.user(a.account, { role: 'admin' });
      const res = await del(a, other.user.id, limited.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (admin lacks permission to perform action)`,
      );
    });

    it('refuses deleting global users from a shared environment', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await g.user(a.account);
      const res = await del(a, u.user.id, env.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (record environment is not compatible with the current environment)`,
      );
    });
  });

  describe('404', () => {
    it('hides other users from a user', async () => {
      const u = await g.user(a.account);
      const other = await g.user(a.account);
      const res = await del(a, other.user.id, u.auth).expect(404);
      expect(res.body.errors[0]).toEqual({
        title: 'Not found',
        detail: `The requested user '${other.user.id}' was not found`,
        code: 'NOT_FOUND',
      });
    });

    it('reports unknown ids', async () => {
      await del(a, uuidv4(), a.auth).expect(404);
    });
  });

  describe('422', () => {
    it('refuses deleting the last admin', async () => {
      const solo = await g.account();
      const before = t.events.named('user.deleted', solo.id).length;
      const res = await del(solo, solo.admin.id, solo.auth).expect(422);
      expectSigned(res);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'account must have at least 1 admin user',
          code: 'ACCOUNT_ADMINS_REQUIRED',
          source: { pointer: '/data/relationships/account' },
          links: { about: 'https://keygen.sh/docs/api/users/#users-object-relationships-account' },
        },
      ]);
      expect(await exists(solo.admin.id)).toBe(true);
      expect(t.events.named('user.deleted', solo.id)).toHaveLength(before);
    });

    it('refuses (as Keygen does) deleting a limited admin when one other admin remains', async () => {
      const acct = await g.account();
      const limited = await g.user(acct.account, { role: 'admin', permissions: ['user.read'] });
      const res = await del(acct, limited.user.id, acct.auth).expect(422);
      expect(res.body.errors[0].detail).toBe(
        'account must have at least 1 admin user with a full permission set',
      );
    });
  });
});
