import { uuidv4 } from '@app/common/ids';
import type { Group } from '@app/modules/groups/group.entity';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../support/factories';
import {
  FORBIDDEN,
  RECORD_ENV,
  expectBadRequest,
  expectForbidden,
  expectNotFound,
  expectSigned,
  groupResource,
} from './support';

describe('/v1/accounts/:account/users/:id/group', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const path = (user: { id: string } | string) =>
    `${a.base}/users/${typeof user === 'string' ? user : user.id}/group`;
  const change = (user: { id: string } | string, body: unknown, auth: Record<string, string>) =>
    t.http
      .put(path(user))
      .set(auth)
      .send(body as object);
  const to = (group: { id: string } | null) => ({
    data: group ? { type: 'groups', id: group.id } : null,
  });
  const storedGroupId = async (id: string) =>
    (await t.ds.getRepository(User).findOneBy({ id }))!.groupId;
  const updatedEvents = () => t.events.named('user.group.updated', a.id).length;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('GET', () => {
    let group: Group;
    let member: GivenUser;

    beforeAll(async () => {
      member = await g.user(a.account, { email: 'member@keygen.example' });
      group = await g.group(a.account, { members: [member.user] });
    });

    it("renders the user's group", async () => {
      const res = await t.http.get(path(member.user)).set(a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: groupResource(group) });
    });

    it('finds the user by e-mail', async () => {
      const res = await t.http.get(path('member@keygen.example')).set(a.auth).expect(200);
      expect(res.body.data.id).toBe(group.id);
    });

    it('renders data null for a user without a group', async () => {
      const u = await g.user(a.account);
      const res = await t.http.get(path(u.user)).set(a.auth).expect(200);
      expect(res.body).toEqual({ data: null });
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s read it',
      async (role) => {
        const staff = await g.user(a.account, { role });
        await t.http.get(path(member.user)).set(staff.auth).expect(200);
      },
    );

    it('lets a product read the group of a user-role user', async () => {
      const p = await g.product(a.account);
      const res = await t.http.get(path(member.user)).set(p.auth).expect(200);
      expect(res.body.data.id).toBe(group.id);
    });

    it('hides admins from a product (404)', async () => {
      const p = await g.product(a.account);
      expectNotFound(await t.http.get(path(a.admin)).set(p.auth), 'user', a.admin.id);
    });

    it('lets a user read its own group', async () => {
      const res = await t.http.get(path(member.user)).set(member.auth).expect(200);
      expect(res.body.data.id).toBe(group.id);
    });

    it('hides another user from a user (404)', async () => {
      const other = await g.user(a.account);
      expectNotFound(await t.http.get(path(member.user)).set(other.auth), 'user', member.user.id);
    });

    it('lets an environment read the group of its shared user', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await g.user(a.account, { environment: env.environment });
      const envGroup = await g.group(a.account, {
        environment: env.environment,
        members: [u.user],
      });
      const res = await t.http.get(path(u.user)).set(env.auth).expect(200);
      expect(res.body.data.id).toBe(envGroup.id);
    });

    it('names a missing group.read permission', async () => {
      const u = await g.user(a.account, { permissions: ['user.read'] });
      expectForbidden(
        await t.http.get(path(u.user)).set(u.auth),
        `${FORBIDDEN} (user lacks permission to perform action)`,
      );
    });

    it('requires authentication', async () => {
      await t.http.get(path(member.user)).expect(401);
    });

    it("rejects another account's admin", async () => {
      const other = await g.account();
      await t.http.get(path(member.user)).set(other.auth).expect(401);
    });
  });

  describe('PUT', () => {
    it('moves a user to another group, emits user.group.updated', async () => {
      const [g0, g2] = [await g.group(a.account), await g.group(a.account)];
      const u = await g.user(a.account);
      await t.ds.getRepository(User).update({ id: u.user.id }, { groupId: g0.id });
      const before = updatedEvents();
      t.clock.advance(5000);
      try {
        const res = await change(u.user, to(g2), a.auth).expect(200);
        expectSigned(res);
        expect(res.body.data.type).toBe('users');
        expect(res.body.data.relationships.group).toEqual({
          links: { related: `/v1/accounts/${a.id}/users/${u.user.id}/group` },
          data: { type: 'groups', id: g2.id },
        });
        expect(new Date(res.body.data.attributes.updated).getTime()).toBeGreaterThanOrEqual(
          u.user.updatedAt.getTime() + 5000,
        );
      } finally {
        t.clock.reset();
      }
      expect(await storedGroupId(u.user.id)).toBe(g2.id);
      expect(updatedEvents()).toBe(before + 1);
      const event = t.events.named('user.group.updated', a.id).pop()!;
      expect(event.resource).toMatchObject({ type: 'users', id: u.user.id });
    });

    it('removes the user from its group with data null', async () => {
      const u = await g.user(a.account);
      await g.group(a.account, { members: [u.user] });
      const res = await change(u.user, { data: null }, a.auth).expect(200);
      expect(res.body.data.relationships.group).toEqual({
        links: { related: `/v1/accounts/${a.id}/users/${u.user.id}/group` },
        data: null,
      });
      expect(await storedGroupId(u.user.id)).toBeNull();
    });

    it('accepts the singular type and an e-mail path', async () => {
      const group = await g.group(a.account);
      const u = await g.user(a.account);
      await change(u.user.email, { data: { type: 'group', id: group.id } }, a.auth).expect(200);
      expect(await storedGroupId(u.user.id)).toBe(group.id);
    });

    it.each(['developer', 'sales-agent'] as const)('lets a %s change it', async (role) => {
      const staff = await g.user(a.account, { role });
      const group = await g.group(a.account);
      const u = await g.user(a.account);
      await change(u.user, to(group), staff.auth).expect(200);
    });

    it('lets a product move a user-role user', async () => {
      const p = await g.product(a.account);
      const group = await g.group(a.account);
      const u = await g.user(a.account);
      await change(u.user, to(group), p.auth).expect(200);
      expect(await storedGroupId(u.user.id)).toBe(group.id);
    });

    it('lets a developer move an admin (no admin.* permission needed)', async () => {
      const staff = await g.user(a.account, { role: 'developer' });
      const admin = await g.user(a.account, { role: 'admin' });
      await change(admin.user, to(await g.group(a.account)), staff.auth).expect(200);
    });

    it('lets an environment move its user into its group', async () => {
      const env = await g.environment(a.account);
      const u = await g.user(a.account, { environment: env.environment });
      const group = await g.group(a.account, { environment: env.environment });
      await change(u.user, to(group), env.auth).expect(200);
    });

    it('lets a shared environment put its user in a global group', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await g.user(a.account, { environment: env.environment });
      const group = await g.group(a.account);
      await change(u.user, to(group), env.auth).expect(200);
    });

    it('does not re-check the limit when the group does not change', async () => {
      const group = await g.group(a.account, { maxUsers: 1 });
      const u = await g.user(a.account);
      await g.group(a.account);
      await t.ds.getRepository(User).update({ id: u.user.id }, { groupId: group.id });
      const res = await change(u.user, to(group), a.auth).expect(200);
      expect(res.body.data.attributes.updated).toBe(u.user.updatedAt.toISOString());
    });

    describe('422', () => {
      it('rejects an unknown group', async () => {
        const u = await g.user(a.account);
        const before = updatedEvents();
        const res = await change(
          u.user,
          { data: { type: 'groups', id: 'ef842664-16c5-4c22-b415-fa9f538e9035' } },
          a.auth,
        ).expect(422);
        expect(res.body.errors).toEqual([
          {
            title: 'Unprocessable resource',
            detail: 'must exist',
            code: 'GROUP_NOT_FOUND',
            source: { pointer: '/data/relationships/group' },
            links: { about: 'https://keygen.sh/docs/api/users/#users-object-relationships-group' },
          },
        ]);
        expect(updatedEvents()).toBe(before);
      });

      it("rejects another account's group as unknown", async () => {
        const other = await g.account();
        const theirs = await g.group(other.account);
        const u = await g.user(a.account);
        const res = await change(u.user, to(theirs), a.auth).expect(422);
        expect(res.body.errors[0].code).toBe('GROUP_NOT_FOUND');
      });

      it('rejects a full group with the limit error and keeps the user out', async () => {
        const group = await g.group(a.account, { maxUsers: 2 });
        const existing = [await g.user(a.account), await g.user(a.account)];
        for (const e of existing) {
          await t.ds.getRepository(User).update({ id: e.user.id }, { groupId: group.id });
        }
        const u = await g.user(a.account);
        const res = await change(u.user, to(group), a.auth).expect(422);
        expect(res.body.errors).toEqual([
          {
            title: 'Unprocessable resource',
            detail: 'user count has exceeded maximum allowed by current group (2)',
            code: 'GROUP_USER_LIMIT_EXCEEDED',
            source: { pointer: '/data/relationships/group' },
            links: { about: 'https://keygen.sh/docs/api/users/#users-object-relationships-group' },
          },
        ]);
        expect(await storedGroupId(u.user.id)).toBeNull();
      });

      it('lets concurrent joins fill a group but never exceed it', async () => {
        const group = await g.group(a.account, { maxUsers: 2 });
        const joiners = [];
        for (let i = 0; i < 6; i++) {
          joiners.push(await g.user(a.account));
        }
        const results = await Promise.all(joiners.map((u) => change(u.user, to(group), a.auth)));
        expect(results.filter((r) => r.status === 200)).toHaveLength(2);
        expect(results.filter((r) => r.status === 422)).toHaveLength(4);
        expect(await t.ds.getRepository(User).countBy({ groupId: group.id })).toBe(2);
      });

      it("rejects an environment's group for a global user", async () => {
        const env = await g.environment(a.account);
        const group = await g.group(a.account, { environment: env.environment });
        const u = await g.user(a.account);
        const res = await change(u.user, to(group), a.auth).expect(422);
        expect(res.body.errors).toEqual([
          {
            title: 'Unprocessable resource',
            detail: 'must be compatible with group environment',
            code: 'ENVIRONMENT_NOT_ALLOWED',
            source: { pointer: '/data/relationships/environment' },
            links: {
              about: 'https://keygen.sh/docs/api/users/#users-object-relationships-environment',
            },
          },
        ]);
      });

      it('rejects a global group for an isolated user', async () => {
        const env = await g.environment(a.account);
        const u = await g.user(a.account, { environment: env.environment });
        const res = await change(u.user, to(await g.group(a.account)), env.auth).expect(422);
        expect(res.body.errors[0].code).toBe('ENVIRONMENT_NOT_ALLOWED');
      });
    });

    describe('400', () => {
      it.each([
        ['no data', {}, 'is missing', '/data'],
        ['a wrong type', { data: { type: 'users', id: uuidv4() } }, 'is invalid', '/data/type'],
        [
          'a non-UUID id',
          { data: { type: 'groups', id: 'x' } },
          'type mismatch (received string expected UUID string)',
          '/data/id',
        ],
        ['an array', { data: [] }, 'type mismatch (received array expected object)', '/data'],
      ])('rejects %s', async (_, body, detail, pointer) => {
        const u = await g.user(a.account);
        expectBadRequest(await change(u.user, body, a.auth), detail, pointer);
      });
    });

    describe('403', () => {
      it('forbids a support-agent', async () => {
        const staff = await g.user(a.account, { role: 'support-agent' });
        const u = await g.user(a.account);
        expectForbidden(await change(u.user, to(await g.group(a.account)), staff.auth));
      });

      it('forbids a read-only, which lacks user.group.update', async () => {
        const staff = await g.user(a.account, { role: 'read-only' });
        const u = await g.user(a.account);
        expectForbidden(
          await change(u.user, to(await g.group(a.account)), staff.auth),
          `${FORBIDDEN} (read only lacks permission to perform action)`,
        );
      });

      it('forbids a user changing its own group', async () => {
        const u = await g.user(a.account);
        const before = updatedEvents();
        expectForbidden(
          await change(u.user, to(await g.group(a.account)), u.auth),
          `${FORBIDDEN} (user lacks permission to perform action)`,
        );
        expect(updatedEvents()).toBe(before);
      });

      it('authorizes before validating the body (403 beats 400)', async () => {
        const u = await g.user(a.account);
        expectForbidden(
          await change(u.user, {}, u.auth),
          `${FORBIDDEN} (user lacks permission to perform action)`,
        );
      });

      it('forbids a shared environment moving a global user (writes are strict)', async () => {
        const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
        const u = await g.user(a.account);
        expectForbidden(await change(u.user, to(await g.group(a.account)), env.auth), RECORD_ENV);
        expect(await storedGroupId(u.user.id)).toBeNull();
      });
    });

    describe('404', () => {
      it('hides another user from a user', async () => {
        const u = await g.user(a.account);
        const other = await g.user(a.account);
        expectNotFound(
          await change(other.user, to(await g.group(a.account)), u.auth),
          'user',
          other.user.id,
        );
      });
    });

    describe('401', () => {
      it('requires authentication', async () => {
        const u = await g.user(a.account);
        await t.http
          .put(path(u.user))
          .send(to(await g.group(a.account)))
          .expect(401);
      });
    });
  });
});
