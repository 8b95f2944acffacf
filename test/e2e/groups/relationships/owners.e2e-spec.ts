import { uuidv4 } from '@app/common/ids';
import { GroupOwner } from '@app/modules/groups/group-owner.entity';
import type { Group } from '@app/modules/groups/group.entity';
import type { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import {
  FORBIDDEN,
  RECORDS_ENV,
  expectBadRequest,
  expectForbidden,
  expectNotFound,
  expectSigned,
} from '../support';

describe('/v1/accounts/:account/groups/:id/owners', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const path = (group: { id: string }, rest = '') => `${a.base}/groups/${group.id}/owners${rest}`;
  const linkage = (users: Array<{ id: string }>, type = 'users') => ({
    data: users.map((u) => ({ type, id: u.id })),
  });
  const ownerCount = (groupId: string) => t.ds.getRepository(GroupOwner).countBy({ groupId });
  const events = (name: string) => t.events.named(name, a.id).length;

  /** The exact `group-owners` resource. */
  const ownerResource = (o: GroupOwner) => {
    const base = `/v1/accounts/${o.accountId}`;
    return {
      id: o.id,
      type: 'group-owners',
      attributes: { created: o.createdAt.toISOString(), updated: o.updatedAt.toISOString() },
      relationships: {
        account: { links: { related: base }, data: { type: 'accounts', id: o.accountId } },
        environment: o.environmentId
          ? {
              links: { related: `${base}/environments/${o.environmentId}` },
              data: { type: 'environments', id: o.environmentId },
            }
          : { links: { related: null }, data: null },
        group: {
          links: { related: `${base}/groups/${o.groupId}` },
          data: { type: 'groups', id: o.groupId },
        },
        user: {
          links: { related: `${base}/users/${o.userId}` },
          data: { type: 'users', id: o.userId },
        },
      },
      links: { self: `${base}/groups/${o.groupId}/owners/${o.id}` },
    };
  };

  const users = async (n: number, opts: Parameters<typeof g.user>[1] = {}): Promise<User[]> => {
    const out: User[] = [];
    for (let i = 0; i < n; i++) {
      out.push((await g.user(a.account, opts)).user);
    }
    return out;
  };

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('GET (index)', () => {
    let group: Group;
    let owners: GroupOwner[];

    beforeAll(async () => {
      group = await g.group(a.account);
      owners = [];
      for (const u of await users(3)) {
        owners.push(await g.groupOwner(group, u));
        t.clock.advance(1000);
      }
      t.clock.reset();
      await g.groupOwner(await g.group(a.account), (await g.user(a.account)).user);
    });

    it("lists the group's owners, newest first, rendered exactly", async () => {
      const res = await t.http.get(path(group)).set(a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: [...owners].reverse().map(ownerResource) });
    });

    it('paginates', async () => {
      const res = await t.http
        .get(path(group, '?page[number]=1&page[size]=2'))
        .set(a.auth)
        .expect(200);
      expect(res.body.data).toHaveLength(2);
      expect(res.body.links.meta).toEqual({ pages: 2, count: 3 });
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s list them',
      async (role) => {
        const staff = await g.user(a.account, { role });
        const res = await t.http.get(path(group)).set(staff.auth).expect(200);
        expect(res.body.data).toHaveLength(3);
      },
    );

    it('lets a product list and read them', async () => {
      const p = await g.product(a.account);
      const res = await t.http.get(path(group)).set(p.auth).expect(200);
      expect(res.body.data).toHaveLength(3);
      await t.http
        .get(path(group, `/${owners[0].id}`))
        .set(p.auth)
        .expect(200);
    });

    it('lets an owner list them', async () => {
      const u = await g.user(a.account);
      const owned = await g.group(a.account, { owners: [u.user] });
      const res = await t.http.get(path(owned)).set(u.auth).expect(200);
      expect(
        res.body.data.map(
          (d: { relationships: { user: { data: { id: string } } } }) =>
            d.relationships.user.data.id,
        ),
      ).toEqual([u.user.id]);
    });

    it('lets a member list them', async () => {
      const u = await g.user(a.account);
      const mine = await g.group(a.account, { members: [u.user], owners: await users(2) });
      const res = await t.http.get(path(mine)).set(u.auth).expect(200);
      expect(res.body.data).toHaveLength(2);
    });

    it('hides the group from a user neither member nor owner (404)', async () => {
      const u = await g.user(a.account);
      expectNotFound(await t.http.get(path(group)).set(u.auth), 'group', group.id);
    });

    it("lets an environment list its group's owners", async () => {
      const env = await g.environment(a.account);
      const envGroup = await g.group(a.account, { environment: env.environment });
      await g.groupOwner(
        envGroup,
        (await g.user(a.account, { environment: env.environment })).user,
      );
      await g.groupOwner(
        envGroup,
        (await g.user(a.account, { environment: env.environment })).user,
      );
      const res = await t.http.get(path(envGroup)).set(env.auth).expect(200);
      expect(res.body.data).toHaveLength(2);
    });

    it('hides a global group from an isolated environment (404)', async () => {
      const env = await g.environment(a.account);
      expectNotFound(await t.http.get(path(group)).set(env.auth), 'group', group.id);
    });

    it('names a missing group.owners.read permission', async () => {
      const u = await g.user(a.account, { permissions: ['group.read'] });
      const mine = await g.group(a.account, { members: [u.user] });
      expectForbidden(
        await t.http.get(path(mine)).set(u.auth),
        `${FORBIDDEN} (user lacks permission to perform action)`,
      );
    });

    it('requires authentication', async () => {
      await t.http.get(path(group)).expect(401);
    });

    it("rejects another account's admin", async () => {
      const other = await g.account();
      await t.http.get(path(group)).set(other.auth).expect(401);
    });
  });

  describe('GET /:ownerId (show)', () => {
    it('renders an owner', async () => {
      const u = await g.user(a.account);
      const group = await g.group(a.account);
      const owner = await g.groupOwner(group, u.user);
      const res = await t.http
        .get(path(group, `/${owner.id}`))
        .set(a.auth)
        .expect(200);
      expect(res.body).toEqual({ data: ownerResource(owner) });
    });

    it('lets a member and an owner read an owner', async () => {
      const member = await g.user(a.account);
      const owner = await g.user(a.account);
      const group = await g.group(a.account, { members: [member.user] });
      const row = await g.groupOwner(group, owner.user);
      await t.http
        .get(path(group, `/${row.id}`))
        .set(member.auth)
        .expect(200);
      await t.http
        .get(path(group, `/${row.id}`))
        .set(owner.auth)
        .expect(200);
    });

    it('hides the group from a non-member (404)', async () => {
      const u = await g.user(a.account);
      const group = await g.group(a.account);
      const row = await g.groupOwner(group, (await g.user(a.account)).user);
      expectNotFound(await t.http.get(path(group, `/${row.id}`)).set(u.auth), 'group', group.id);
    });

    it("reports an unknown owner, or another group's owner", async () => {
      const group = await g.group(a.account);
      const other = await g.groupOwner(await g.group(a.account), (await g.user(a.account)).user);
      const id = uuidv4();
      expectNotFound(await t.http.get(path(group, `/${id}`)).set(a.auth), 'group owner', id);
      expectNotFound(
        await t.http.get(path(group, `/${other.id}`)).set(a.auth),
        'group owner',
        other.id,
      );
      expectNotFound(await t.http.get(path(group, '/nope')).set(a.auth), 'group owner', 'nope');
    });
  });

  describe('POST (attach)', () => {
    it('attaches owners, answers 200 with them in order, emits group.owners.attached', async () => {
      const group = await g.group(a.account);
      const [u1, u2, u3] = await users(3);
      const before = events('group.owners.attached');
      const res = await t.http
        .post(path(group))
        .set(a.auth)
        .send(linkage([u1, u2, u3], 'user'))
        .expect(200);
      expectSigned(res);
      expect(res.headers.location).toBeUndefined();
      expect(
        res.body.data.map(
          (d: { relationships: { user: { data: { id: string } } } }) =>
            d.relationships.user.data.id,
        ),
      ).toEqual([u1.id, u2.id, u3.id]);
      const rows = await t.ds.getRepository(GroupOwner).findBy({ groupId: group.id });
      expect(rows).toHaveLength(3);
      const first = rows.find((r) => r.userId === u1.id)!;
      expect(res.body.data[0]).toEqual(ownerResource(first));
      expect(events('group.owners.attached')).toBe(before + 1);
      const event = t.events.named('group.owners.attached', a.id).pop()!;
      expect(event.resource.type).toBe('group-owners');
      expect((event.resource.record as GroupOwner[]).map((o) => o.userId)).toEqual([
        u1.id,
        u2.id,
        u3.id,
      ]);
    });

    it('lets a product attach and detach owners', async () => {
      const group = await g.group(a.account);
      const p = await g.product(a.account);
      const [u1, u2] = await users(2);
      const res = await t.http
        .post(path(group))
        .set(p.auth)
        .send(linkage([u1, u2]))
        .expect(200);
      expect(res.body.data).toHaveLength(2);
      await t.http
        .delete(path(group))
        .set(p.auth)
        .send(linkage([u1]))
        .expect(204);
      expect(await ownerCount(group.id)).toBe(1);
    });

    it('lets a developer attach an admin as owner', async () => {
      const group = await g.group(a.account);
      const dev = await g.user(a.account, { role: 'developer' });
      const admin = (await g.user(a.account, { role: 'admin' })).user;
      await t.http
        .post(path(group))
        .set(dev.auth)
        .send(linkage([admin]))
        .expect(200);
    });

    it('lets an isolated environment attach its users to its group', async () => {
      const env = await g.environment(a.account);
      const group = await g.group(a.account, { environment: env.environment });
      const mine = await users(2, { environment: env.environment });
      const res = await t.http.post(path(group)).set(env.auth).send(linkage(mine)).expect(200);
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
      for (const d of res.body.data) {
        expect(d.relationships.environment).toEqual({
          links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
          data: { type: 'environments', id: env.environment.id },
        });
      }
    });

    it('lets a shared environment attach shared and global users to its group', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const group = await g.group(a.account, { environment: env.environment });
      const shared = (await g.user(a.account, { environment: env.environment })).user;
      const global = (await g.user(a.account)).user;
      await t.http
        .post(path(group))
        .set(env.auth)
        .send(linkage([shared, global]))
        .expect(200);
    });

    it('forbids an isolated environment attaching other users', async () => {
      const env = await g.environment(a.account);
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const group = await g.group(a.account, { environment: env.environment });
      const others = await users(2, { environment: shared.environment });
      expectForbidden(
        await t.http.post(path(group)).set(env.auth).send(linkage(others)),
        RECORDS_ENV,
      );
      expect(await ownerCount(group.id)).toBe(0);
    });

    it('forbids a shared environment attaching global users to a global group', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const group = await g.group(a.account);
      const shared = (await g.user(a.account, { environment: env.environment })).user;
      const global = (await g.user(a.account)).user;
      expectForbidden(
        await t.http
          .post(path(group))
          .set(env.auth)
          .send(linkage([shared, global])),
        RECORDS_ENV,
      );
    });

    it.each(['sales-agent', 'support-agent'] as const)('forbids a %s', async (role) => {
      const group = await g.group(a.account);
      const staff = await g.user(a.account, { role });
      expectForbidden(
        await t.http
          .post(path(group))
          .set(staff.auth)
          .send(linkage(await users(1))),
      );
    });

    it('forbids an owner or member (user) attaching, naming the missing permission', async () => {
      const owner = await g.user(a.account);
      const member = await g.user(a.account);
      const group = await g.group(a.account, { owners: [owner.user], members: [member.user] });
      for (const u of [owner, member]) {
        expectForbidden(
          await t.http
            .post(path(group))
            .set(u.auth)
            .send(linkage([u.user])),
          `${FORBIDDEN} (user lacks permission to perform action)`,
        );
      }
    });

    it('hides the group from a non-member user (404)', async () => {
      const u = await g.user(a.account);
      const group = await g.group(a.account);
      expectNotFound(
        await t.http
          .post(path(group))
          .set(u.auth)
          .send(linkage([u.user])),
        'group',
        group.id,
      );
    });

    it('rejects an existing owner with USER_TAKEN', async () => {
      const group = await g.group(a.account);
      const [u] = await users(1);
      await g.groupOwner(group, u);
      const before = events('group.owners.attached');
      const res = await t.http
        .post(path(group))
        .set(a.auth)
        .send(linkage([u]))
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'already exists',
          code: 'USER_TAKEN',
          source: { pointer: '/data/relationships/user' },
          links: {
            about:
              'https://keygen.sh/docs/api/group-owners/#group-owners-object-relationships-user',
          },
        },
      ]);
      expect(events('group.owners.attached')).toBe(before);
    });

    it('rejects an unknown user with USER_NOT_FOUND and attaches none', async () => {
      const group = await g.group(a.account);
      const [u1, u2] = await users(2);
      const res = await t.http
        .post(path(group))
        .set(a.auth)
        .send(linkage([u1, { id: 'd22692b1-0b4b-4cb7-9e3e-449e0fdf9cd8' }, u2]))
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'must exist',
          code: 'USER_NOT_FOUND',
          source: { pointer: '/data/relationships/user' },
          links: {
            about:
              'https://keygen.sh/docs/api/group-owners/#group-owners-object-relationships-user',
          },
        },
      ]);
      expect(await ownerCount(group.id)).toBe(0);
    });

    it('treats a user of another account as unknown', async () => {
      const group = await g.group(a.account);
      const other = await g.account();
      const res = await t.http
        .post(path(group))
        .set(a.auth)
        .send(linkage([other.admin]))
        .expect(422);
      expect(res.body.errors[0].code).toBe('USER_NOT_FOUND');
    });

    it('rejects a user listed twice with USER_TAKEN', async () => {
      const group = await g.group(a.account);
      const [u] = await users(1);
      const res = await t.http
        .post(path(group))
        .set(a.auth)
        .send(linkage([u, u]))
        .expect(422);
      expect(res.body.errors[0].code).toBe('USER_TAKEN');
      expect(await ownerCount(group.id)).toBe(0);
    });

    it.each([
      ['no data', {}, 'is missing', '/data'],
      [
        'an object',
        { data: { type: 'users', id: uuidv4() } },
        'type mismatch (received object expected array)',
        '/data',
      ],
      ['a wrong type', { data: [{ type: 'groups', id: uuidv4() }] }, 'is invalid', '/data/0/type'],
      [
        'a non-UUID id',
        { data: [{ type: 'users', id: 'x' }] },
        'type mismatch (received string expected UUID string)',
        '/data/0/id',
      ],
      [
        'attributes',
        { data: [{ type: 'users', id: uuidv4(), attributes: {} }] },
        'unpermitted parameter',
        '/data/0/attributes',
      ],
    ])('rejects %s (400)', async (_, body, detail, pointer) => {
      const group = await g.group(a.account);
      expectBadRequest(await t.http.post(path(group)).set(a.auth).send(body), detail, pointer);
    });

    it('looks the group up before validating the body (404 beats 400)', async () => {
      const id = uuidv4();
      expectNotFound(
        await t.http.post(`${a.base}/groups/${id}/owners`).set(a.auth).send({}),
        'group',
        id,
      );
    });

    it('validates the body before authorizing (400 beats 403)', async () => {
      const group = await g.group(a.account);
      const staff = await g.user(a.account, { role: 'sales-agent' });
      expectBadRequest(
        await t.http.post(path(group)).set(staff.auth).send({}),
        'is missing',
        '/data',
      );
    });
  });

  describe('DELETE (detach)', () => {
    it('detaches owners, answers 204, emits group.owners.detached', async () => {
      const group = await g.group(a.account);
      const [u1, u2, u3] = await users(3);
      for (const u of [u1, u2, u3]) {
        await g.groupOwner(group, u);
      }
      const before = events('group.owners.detached');
      const res = await t.http
        .delete(path(group))
        .set(a.auth)
        .send(linkage([u1, u2]))
        .expect(204);
      expect(res.text).toBe('');
      const left = await t.ds.getRepository(GroupOwner).findBy({ groupId: group.id });
      expect(left.map((o) => o.userId)).toEqual([u3.id]);
      expect(events('group.owners.detached')).toBe(before + 1);
    });

    it('rejects a user that is not an owner and removes nothing', async () => {
      const group = await g.group(a.account);
      const [u1, u2] = await users(2);
      await g.groupOwner(group, u1);
      await g.groupOwner(group, u2);
      const stranger = '818f1f34-676b-4e0b-ba57-a98d02263212';
      const before = events('group.owners.detached');
      const res = await t.http
        .delete(path(group))
        .set(a.auth)
        .send(linkage([u1, u2, { id: stranger }]))
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail: `owner relationship for user '${stranger}' not found`,
          source: { pointer: '/data/2' },
        },
      ]);
      expect(await ownerCount(group.id)).toBe(2);
      expect(events('group.owners.detached')).toBe(before);
    });

    it('points at the first listed non-owner', async () => {
      const group = await g.group(a.account);
      const [owner, other] = await users(2);
      await g.groupOwner(group, owner);
      const res = await t.http
        .delete(path(group))
        .set(a.auth)
        .send(linkage([other, owner]))
        .expect(422);
      expect(res.body.errors[0]).toMatchObject({
        detail: `owner relationship for user '${other.id}' not found`,
        source: { pointer: '/data/0' },
      });
    });

    it('compat: an owner listed twice yields an empty id and pointer', async () => {
      const group = await g.group(a.account);
      const [owner] = await users(1);
      await g.groupOwner(group, owner);
      const res = await t.http
        .delete(path(group))
        .set(a.auth)
        .send(linkage([owner, owner]))
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail: "owner relationship for user '' not found",
          source: { pointer: '/data/' },
        },
      ]);
      expect(await ownerCount(group.id)).toBe(1);
    });

    it('lets a shared environment detach its owners from a global group', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const group = await g.group(a.account);
      const mine = await users(2, { environment: env.environment });
      for (const u of mine) {
        await g.groupOwner(group, u, { environmentId: env.environment.id });
      }
      await t.http.delete(path(group)).set(env.auth).send(linkage(mine)).expect(204);
      expect(await ownerCount(group.id)).toBe(0);
    });

    it('forbids a shared environment detaching global owners from a global group', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const group = await g.group(a.account);
      const global = await users(2);
      for (const u of global) {
        await g.groupOwner(group, u);
      }
      expectForbidden(
        await t.http.delete(path(group)).set(env.auth).send(linkage(global)),
        RECORDS_ENV,
      );
      expect(await ownerCount(group.id)).toBe(2);
    });

    it('forbids an owner detaching, naming the missing permission', async () => {
      const owner = await g.user(a.account);
      const group = await g.group(a.account, { owners: [owner.user] });
      expectForbidden(
        await t.http
          .delete(path(group))
          .set(owner.auth)
          .send(linkage([owner.user])),
        `${FORBIDDEN} (user lacks permission to perform action)`,
      );
    });

    it('forbids a read-only, naming the missing permission', async () => {
      const staff = await g.user(a.account, { role: 'read-only' });
      const group = await g.group(a.account);
      expectForbidden(
        await t.http
          .delete(path(group))
          .set(staff.auth)
          .send(linkage(await users(1))),
        `${FORBIDDEN} (read only lacks permission to perform action)`,
      );
    });

    it('hides the group from a non-member user (404)', async () => {
      const u = await g.user(a.account);
      const group = await g.group(a.account);
      expectNotFound(
        await t.http
          .delete(path(group))
          .set(u.auth)
          .send(linkage([u.user])),
        'group',
        group.id,
      );
    });

    it('requires authentication', async () => {
      const group = await g.group(a.account);
      await t.http
        .delete(path(group))
        .send(linkage(await users(1)))
        .expect(401);
    });
  });
});
