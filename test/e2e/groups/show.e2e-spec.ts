import { uuidv4 } from '@app/common/ids';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import type { Group } from '@app/modules/groups/group.entity';
import {
  READ_ONLY_STAFF,
  RECORD_ENV,
  expectForbidden,
  expectNotFound,
  expectSigned,
  groupResource,
} from './support';

describe('GET /v1/accounts/:account/groups/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let group: Group;

  const show = (id: string, auth: Record<string, string>) =>
    t.http.get(`${a.base}/groups/${id}`).set(auth);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    group = await g.group(a.account, {
      name: 'Enterprise',
      maxUsers: 5,
      maxMachines: 10,
      metadata: { tier_name: 'gold', nested_hash: { inner_key: 1 } },
    });
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('renders the group exactly as Keygen does', async () => {
      const res = await show(group.id, a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({
        data: {
          ...groupResource(group),
          attributes: {
            ...(groupResource(group).attributes as object),
            metadata: { tierName: 'gold', nestedHash: { innerKey: 1 } },
          },
        },
      });
      expect(Object.keys(res.body.data.attributes)).toEqual([
        'name',
        'maxUsers',
        'maxLicenses',
        'maxMachines',
        'metadata',
        'created',
        'updated',
      ]);
    });

    it('is found by the account slug too, links still use the account id', async () => {
      const res = await t.http
        .get(`/v1/accounts/${a.slug}/groups/${group.id}`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data.links.self).toBe(`/v1/accounts/${a.id}/groups/${group.id}`);
    });

    it.each(['developer', ...READ_ONLY_STAFF] as const)(
      'lets a %s read any group',
      async (role) => {
        const staff = await g.user(a.account, { role });
        await show(group.id, staff.auth).expect(200);
      },
    );

    it('lets a product read any group', async () => {
      const p = await g.product(a.account);
      await show(group.id, p.auth).expect(200);
    });

    it('lets a user read a group it belongs to', async () => {
      const u = await g.user(a.account);
      const mine = await g.group(a.account, { members: [u.user] });
      const res = await show(mine.id, u.auth).expect(200);
      expect(res.body.data.id).toBe(mine.id);
    });

    it('lets a user read a group it owns', async () => {
      const u = await g.user(a.account);
      const owned = await g.group(a.account, { owners: [u.user] });
      await show(owned.id, u.auth).expect(200);
    });

    it('lets an environment read its own groups (isolated and shared)', async () => {
      for (const isolationStrategy of ['ISOLATED', 'SHARED'] as const) {
        const env = await g.environment(a.account, { isolationStrategy });
        const own = await g.group(a.account, { environment: env.environment });
        const res = await show(own.id, env.auth).expect(200);
        expect(res.headers['keygen-environment']).toBe(env.environment.code);
        expect(res.body.data.relationships.environment).toEqual({
          links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
          data: { type: 'environments', id: env.environment.id },
        });
      }
    });

    it('lets a shared environment read a global group', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      await show(group.id, env.auth).expect(200);
    });

    it("compat: reads from the global environment see any environment's group", async () => {
      const env = await g.environment(a.account);
      const isolated = await g.group(a.account, { environment: env.environment });
      await show(isolated.id, a.auth).expect(200);
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const res = await t.http.get(`${a.base}/groups/${group.id}`).expect(401);
      expect(res.body.errors[0]).toMatchObject({ title: 'Unauthorized', code: 'TOKEN_MISSING' });
    });

    it("rejects another account's admin", async () => {
      const other = await g.account();
      const res = await show(group.id, other.auth).expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_INVALID' });
    });
  });

  describe('403', () => {
    it('forbids a user reading a group it is not in (unscoped lookup)', async () => {
      const u = await g.user(a.account);
      expectForbidden(await show(group.id, u.auth));
    });

    it('forbids an isolated environment reading a global group', async () => {
      const env = await g.environment(a.account);
      expectForbidden(await show(group.id, env.auth), RECORD_ENV);
    });

    it("forbids an environment reading another environment's group", async () => {
      const mine = await g.environment(a.account);
      const other = await g.environment(a.account);
      const theirs = await g.group(a.account, { environment: other.environment });
      expectForbidden(await show(theirs.id, mine.auth), RECORD_ENV);
    });

    it('names a missing group.read permission', async () => {
      const u = await g.user(a.account, { permissions: ['user.read'] });
      const mine = await g.group(a.account, { members: [u.user] });
      expectForbidden(
        await show(mine.id, u.auth),
        'You do not have permission to complete the request (user lacks permission to perform action)',
      );
    });

    it('names a token lacking group.read', async () => {
      const staff = await g.user(a.account, { role: 'developer' });
      const tok = await g.token(
        a.account,
        { type: 'users', id: staff.user.id, role: 'developer', environmentId: null },
        { permissions: ['user.read'] },
      );
      expectForbidden(
        await show(group.id, { Authorization: `Bearer ${tok.raw}` }),
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
    });
  });

  describe('404', () => {
    it('reports an unknown id', async () => {
      const id = uuidv4();
      expectNotFound(await show(id, a.auth), 'group', id);
    });

    it('reports a non-UUID id as given', async () => {
      expectNotFound(await show('invalid', a.auth), 'group', 'invalid');
    });

    it("reports another account's group", async () => {
      const other = await g.account();
      const theirs = await g.group(other.account);
      expectNotFound(await show(theirs.id, a.auth), 'group', theirs.id);
    });
  });
});
