import { uuidv4 } from '@app/common/ids';
import type { Group } from '@app/modules/groups/group.entity';
import type { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { FORBIDDEN, expectForbidden, expectNotFound, expectSigned } from '../support';

describe('/v1/accounts/:account/groups/:id/users', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let group: Group;
  let members: User[];

  const path = (grp: { id: string }, rest = '') => `${a.base}/groups/${grp.id}/users${rest}`;
  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((d) => d.id);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    members = [];
    for (let i = 0; i < 3; i++) {
      members.push((await g.user(a.account, { email: `Member${i}@Example.com` })).user);
      t.clock.advance(1000);
    }
    t.clock.reset();
    group = await g.group(a.account, { members });
    await g.group(a.account, { members: [(await g.user(a.account)).user] });
  });
  afterAll(() => t.close());

  describe('GET (index)', () => {
    it("lists the group's users newest first, rendered as users", async () => {
      const res = await t.http.get(path(group)).set(a.auth).expect(200);
      expectSigned(res);
      expect(ids(res.body)).toEqual([...members].reverse().map((m) => m.id));
      expect(res.body.data[0]).toMatchObject({
        type: 'users',
        attributes: { email: members[2].email },
        relationships: { group: { data: { type: 'groups', id: group.id } } },
        links: { self: `/v1/accounts/${a.id}/users/${members[2].id}` },
      });
    });

    it('paginates', async () => {
      const res = await t.http
        .get(path(group, '?page[number]=2&page[size]=2'))
        .set(a.auth)
        .expect(200);
      expect(ids(res.body)).toEqual([members[0].id]);
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

    it('gives a product only the users of its licenses (none without licenses)', async () => {
      const p = await g.product(a.account);
      const res = await t.http.get(path(group)).set(p.auth).expect(200);
      expect(res.body).toEqual({ data: [] });
    });

    it("lets an owner list its group's users", async () => {
      const owner = await g.user(a.account);
      const m1 = await g.user(a.account);
      const m2 = await g.user(a.account);
      const owned = await g.group(a.account, { members: [m1.user, m2.user], owners: [owner.user] });
      const res = await t.http.get(path(owned)).set(owner.auth).expect(200);
      expect(ids(res.body).sort()).toEqual([m1.user.id, m2.user.id].sort());
    });

    it('forbids a member that does not own the group (403)', async () => {
      const u = await g.user(a.account);
      const mine = await g.group(a.account, { members: [u.user] });
      expectForbidden(await t.http.get(path(mine)).set(u.auth));
    });

    it('compat: gives an owner of another group an empty list of a group it is only in', async () => {
      const u = await g.user(a.account);
      await g.group(a.account, { owners: [u.user] });
      const mine = await g.group(a.account, { members: [u.user] });
      const res = await t.http.get(path(mine)).set(u.auth).expect(200);
      expect(res.body).toEqual({ data: [] });
    });

    it('hides the group from a user neither member nor owner (404)', async () => {
      const u = await g.user(a.account);
      expectNotFound(await t.http.get(path(group)).set(u.auth), 'group', group.id);
    });

    it("lists an environment's group users", async () => {
      const env = await g.environment(a.account);
      const envMembers = [
        (await g.user(a.account, { environment: env.environment })).user,
        (await g.user(a.account, { environment: env.environment })).user,
      ];
      const envGroup = await g.group(a.account, {
        environment: env.environment,
        members: envMembers,
      });
      const res = await t.http.get(path(envGroup)).set(env.auth).expect(200);
      expect(ids(res.body).sort()).toEqual(envMembers.map((m) => m.id).sort());
    });

    it('reports an unknown group', async () => {
      const id = '770e6d1e-e102-4492-bafa-0dd3c886fe93';
      expectNotFound(await t.http.get(`${a.base}/groups/${id}/users`).set(a.auth), 'group', id);
    });

    it('names a missing group.users.read permission', async () => {
      const u = await g.user(a.account, { permissions: ['group.read'] });
      const owned = await g.group(a.account, { owners: [u.user] });
      expectForbidden(
        await t.http.get(path(owned)).set(u.auth),
        `${FORBIDDEN} (user lacks permission to perform action)`,
      );
    });

    it('requires authentication', async () => {
      await t.http.get(path(group)).expect(401);
    });
  });

  describe('GET /:id (show)', () => {
    it('finds a member by id', async () => {
      const res = await t.http
        .get(path(group, `/${members[0].id}`))
        .set(a.auth)
        .expect(200);
      expect(res.body.data.id).toBe(members[0].id);
    });

    it('finds a member by its exact e-mail', async () => {
      const res = await t.http
        .get(path(group, `/${members[1].email}`))
        .set(a.auth)
        .expect(200);
      expect(res.body.data.id).toBe(members[1].id);
    });

    it('compat: matches the e-mail exactly (no lower-casing on nested routes)', async () => {
      const upper = members[1].email.toUpperCase();
      expectNotFound(await t.http.get(path(group, `/${upper}`)).set(a.auth), 'user', upper);
    });

    it('lets a product read any member directly', async () => {
      const p = await g.product(a.account);
      await t.http
        .get(path(group, `/${members[0].id}`))
        .set(p.auth)
        .expect(200);
    });

    it('reports a user outside the group', async () => {
      const outsider = (await g.user(a.account)).user;
      expectNotFound(
        await t.http.get(path(group, `/${outsider.id}`)).set(a.auth),
        'user',
        outsider.id,
      );
      const id = uuidv4();
      expectNotFound(await t.http.get(path(group, `/${id}`)).set(a.auth), 'user', id);
    });

    it("lets an owner read its group's users, not a mere member", async () => {
      const owner = await g.user(a.account);
      const member = await g.user(a.account);
      const owned = await g.group(a.account, { members: [member.user], owners: [owner.user] });
      await t.http
        .get(path(owned, `/${member.user.id}`))
        .set(owner.auth)
        .expect(200);
      expectForbidden(await t.http.get(path(owned, `/${member.user.id}`)).set(member.auth));
    });
  });
});
