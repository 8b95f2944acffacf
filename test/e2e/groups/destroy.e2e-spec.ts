import { uuidv4 } from '@app/common/ids';
import { GroupOwner } from '@app/modules/groups/group-owner.entity';
import { Group } from '@app/modules/groups/group.entity';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { RECORD_ENV, expectForbidden, expectNotFound } from './support';

describe('DELETE /v1/accounts/:account/groups/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const destroy = (id: string, auth: Record<string, string>) =>
    t.http.delete(`${a.base}/groups/${id}`).set(auth);
  const exists = async (id: string) => (await t.ds.getRepository(Group).countBy({ id })) > 0;
  const deleted = () => t.events.named('group.deleted', a.id).length;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('204', () => {
    it('deletes the group, emits group.deleted', async () => {
      const group = await g.group(a.account);
      const before = deleted();
      const res = await destroy(group.id, a.auth).expect(204);
      expect(res.text).toBe('');
      expect(res.headers['keygen-signature']).toBeDefined();
      expect(await exists(group.id)).toBe(false);
      const events = t.events.named('group.deleted', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'groups', id: group.id });
    });

    it("nulls its members' group and removes its owners, without touching the users", async () => {
      const members = [await g.user(a.account), await g.user(a.account)];
      const owner = await g.user(a.account);
      const group = await g.group(a.account, {
        members: members.map((m) => m.user),
        owners: [owner.user],
      });
      await destroy(group.id, a.auth).expect(204);
      for (const m of members) {
        const row = (await t.ds.getRepository(User).findOneBy({ id: m.user.id }))!;
        expect(row.groupId).toBeNull();
        expect(row.updatedAt.toISOString()).toBe(m.user.updatedAt.toISOString());
      }
      expect(await t.ds.getRepository(GroupOwner).countBy({ groupId: group.id })).toBe(0);
      expect(await t.ds.getRepository(User).countBy({ id: owner.user.id })).toBe(1);
    });

    it('lets a developer delete a group', async () => {
      const group = await g.group(a.account);
      const dev = await g.user(a.account, { role: 'developer' });
      await destroy(group.id, dev.auth).expect(204);
    });

    it('lets a product delete a group', async () => {
      const group = await g.group(a.account);
      const p = await g.product(a.account);
      await destroy(group.id, p.auth).expect(204);
    });

    it('lets an environment delete its own group', async () => {
      const env = await g.environment(a.account);
      const group = await g.group(a.account, { environment: env.environment });
      await destroy(group.id, env.auth).expect(204);
      expect(await exists(group.id)).toBe(false);
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const group = await g.group(a.account);
      await t.http.delete(`${a.base}/groups/${group.id}`).expect(401);
      expect(await exists(group.id)).toBe(true);
    });

    it("rejects another account's admin", async () => {
      const group = await g.group(a.account);
      const other = await g.account();
      await destroy(group.id, other.auth).expect(401);
    });
  });

  describe('403', () => {
    it.each(['sales-agent', 'support-agent'] as const)('forbids a %s', async (role) => {
      const group = await g.group(a.account);
      const u = await g.user(a.account, { role });
      expectForbidden(await destroy(group.id, u.auth));
      expect(await exists(group.id)).toBe(true);
    });

    it.each([
      ['read-only', 'read only'],
      ['user', 'user'],
    ] as const)('forbids a %s, which lacks group.delete', async (role, words) => {
      const group = await g.group(a.account);
      const u = await g.user(a.account, { role });
      expectForbidden(
        await destroy(group.id, u.auth),
        `You do not have permission to complete the request (${words} lacks permission to perform action)`,
      );
    });

    it('forbids a member deleting its own group', async () => {
      const u = await g.user(a.account, { permissions: ['group.delete', 'group.read'] });
      const group = await g.group(a.account, { members: [u.user], owners: [u.user] });
      expectForbidden(await destroy(group.id, u.auth));
    });

    it("forbids an environment deleting another environment's group", async () => {
      const mine = await g.environment(a.account);
      const other = await g.environment(a.account);
      const group = await g.group(a.account, { environment: other.environment });
      expectForbidden(await destroy(group.id, mine.auth), RECORD_ENV);
      expect(await exists(group.id)).toBe(true);
    });
  });

  describe('404', () => {
    it('reports an unknown group', async () => {
      const id = uuidv4();
      expectNotFound(await destroy(id, a.auth), 'group', id);
    });
  });
});
