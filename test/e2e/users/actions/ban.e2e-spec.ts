import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { FORBIDDEN, expectSigned } from '../support';

describe('POST /v1/accounts/:account/users/:id/actions/ban|unban', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const act = (action: 'ban' | 'unban', id: string, auth: Record<string, string> = {}) =>
    t.http.post(`${a.base}/users/${id}/actions/${action}`).set(auth);
  const bannedAt = async (id: string): Promise<Date | null> =>
    (await t.ds.getRepository(User).findOneBy({ id }))!.bannedAt;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('bans a user, which then cannot authenticate, and fires user.banned', async () => {
      const u = await g.user(a.account);
      const before = t.events.named('user.banned', a.id).length;
      const res = await act('ban', u.user.id, a.auth).expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({
        id: u.user.id,
        type: 'users',
        attributes: { status: 'BANNED' },
      });
      expect(res.body.data.attributes.bannedAt).toBeUndefined();
      expect(await bannedAt(u.user.id)).not.toBeNull();
      expect(t.events.named('user.banned', a.id)).toHaveLength(before + 1);
      const denied = await t.http.get(`${a.base}/users/${u.user.id}`).set(u.auth).expect(403);
      expect(denied.body.errors[0]).toMatchObject({
        code: 'USER_BANNED',
        detail: 'User is banned',
      });
    });

    it('unbans a user and fires user.unbanned', async () => {
      const u = await g.user(a.account, { banned: true });
      const before = t.events.named('user.unbanned', a.id).length;
      const res = await act('unban', u.user.id, a.auth).expect(200);
      expect(res.body.data.attributes.status).toBe('ACTIVE');
      expect(await bannedAt(u.user.id)).toBeNull();
      expect(t.events.named('user.unbanned', a.id)).toHaveLength(before + 1);
      await t.http.get(`${a.base}/users/${u.user.id}`).set(u.auth).expect(200);
    });

    it.each(['developer', 'sales-agent', 'support-agent'] as const)(
      'lets a %s ban and unban',
      async (role) => {
        const staff = await g.user(a.account, { role });
        const u = await g.user(a.account);
        await act('ban', u.user.id, staff.auth).expect(200);
        await act('unban', u.user.id, staff.auth).expect(200);
      },
    );

    it('lets an environment ban users of its environment', async () => {
      const env = await g.environment(a.account);
      const u = await g.user(a.account, { environment: env.environment });
      const res = await act('ban', u.user.id, env.auth).expect(200);
      expect(res.body.data.attributes.status).toBe('BANNED');
    });

    it('looks the user up by its exact e-mail', async () => {
      const u = await g.user(a.account);
      await act('ban', u.user.email, a.auth).expect(200);
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const u = await g.user(a.account);
      const res = await act('ban', u.user.id).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it('only bans users with the user role', async () => {
      const other = await g.user(a.account, { role: 'admin' });
      for (const id of [other.user.id, a.admin.id]) {
        const res = await act('ban', id, a.auth).expect(403);
        expect(res.body.errors).toEqual([
          { title: 'Access denied', detail: `${FORBIDDEN} (must have a user role)` },
        ]);
      }
      const res = await act('unban', other.user.id, a.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(`${FORBIDDEN} (must have a user role)`);
      expect(await bannedAt(other.user.id)).toBeNull();
    });

    it('refuses a user banning itself (no user.ban)', async () => {
      const u = await g.user(a.account);
      const res = await act('ban', u.user.id, u.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (user lacks permission to perform action)`,
      );
    });

    it('refuses a read-only user', async () => {
      const ro = await g.user(a.account, { role: 'read-only' });
      const u = await g.user(a.account);
      const res = await act('unban', u.user.id, ro.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (read only lacks permission to perform action)`,
      );
    });

    it('refuses banning a global user from a shared environment', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await g.user(a.account);
      const res = await act('ban', u.user.id, env.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (record environment is not compatible with the current environment)`,
      );
    });
  });

  describe('404', () => {
    it('hides other users from a user', async () => {
      const u = await g.user(a.account);
      const other = await g.user(a.account);
      await act('ban', other.user.id, u.auth).expect(404);
    });

    it('matches e-mails exactly on action routes', async () => {
      const u = await g.user(a.account);
      const res = await act('ban', u.user.email.toUpperCase(), a.auth).expect(404);
      expect(res.body.errors[0].detail).toBe(
        `The requested user '${u.user.email.toUpperCase()}' was not found`,
      );
    });
  });
});
