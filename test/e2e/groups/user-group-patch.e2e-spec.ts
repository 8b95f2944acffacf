import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectForbidden, expectSigned } from './support';

describe('PATCH /v1/accounts/:account/users/:id/group', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const path = (id: string) => `${a.base}/users/${id}/group`;
  const to = (group: { id: string } | null) => ({
    data: group ? { type: 'groups', id: group.id } : null,
  });
  const storedGroupId = async (id: string) =>
    (await t.ds.getRepository(User).findOneBy({ id }))!.groupId;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  it('changes the group like PUT and emits user.group.updated', async () => {
    const group = await g.group(a.account);
    const u = await g.user(a.account);
    const before = t.events.named('user.group.updated', a.id).length;
    const res = await t.http.patch(path(u.user.id)).set(a.auth).send(to(group)).expect(200);
    expectSigned(res);
    expect(res.body.data.relationships.group.data).toEqual({ type: 'groups', id: group.id });
    expect(await storedGroupId(u.user.id)).toBe(group.id);
    expect(t.events.named('user.group.updated', a.id)).toHaveLength(before + 1);

    await t.http.patch(path(u.user.id)).set(a.auth).send(to(null)).expect(200);
    expect(await storedGroupId(u.user.id)).toBeNull();
  });

  it('applies the same rules as PUT', async () => {
    const group = await g.group(a.account);
    const u = await g.user(a.account);
    const agent = await g.user(a.account, { role: 'support-agent' });
    expectForbidden(await t.http.patch(path(u.user.id)).set(agent.auth).send(to(group)));
    const seated = await g.user(a.account);
    const full = await g.group(a.account, { maxUsers: 1, members: [seated.user] });
    const res = await t.http.patch(path(u.user.id)).set(a.auth).send(to(full)).expect(422);
    expect(res.body.errors[0].code).toBe('GROUP_USER_LIMIT_EXCEEDED');
  });
});
