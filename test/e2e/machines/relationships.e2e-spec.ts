import { uuidv4 } from '@app/common/ids';
import { Machine } from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import {
  RECORD_ENV,
  cast,
  expectBadRequest,
  expectForbidden,
  expectNotFound,
  expectUnprocessable,
  lacks,
  machineError,
  type Cast,
} from './support';

describe('/v1/accounts/:account/machines/:id/(product|license|owner|group|user)', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const get = (id: string, rel: string, auth: Record<string, string>) =>
    t.http.get(`${c.a.base}/machines/${encodeURIComponent(id)}/${rel}`).set(auth);
  const put = (id: string, rel: string, data: unknown, auth: Record<string, string>) =>
    t.http
      .put(`${c.a.base}/machines/${encodeURIComponent(id)}/${rel}`)
      .set(auth)
      .send({ data });
  const stored = (id: string) => t.ds.getRepository(Machine).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());

  describe('GET product, license', () => {
    it('renders the machine’s product and license for readers', async () => {
      const m = await g.machine(c.license);
      const product = await get(m.fingerprint, 'product', c.roles['read-only']).expect(200);
      expect(product.body.data).toMatchObject({ type: 'products', id: c.policy.productId });
      const license = await get(m.id, 'license', c.licenseAuth).expect(200);
      expect(license.body.data).toMatchObject({ type: 'licenses', id: c.license.id });
      expect(license.body.data.relationships.machines.meta).toEqual({
        cores: 0,
        memory: 0,
        disk: 0,
        count: 1,
      });
    });

    it('denies a license reading its product by default (no product.read)', async () => {
      const m = await g.machine(c.license);
      expectForbidden(await get(m.id, 'product', c.licenseAuth), lacks('license'));
      expectNotFound(await get(m.id, 'license', c.otherProduct), m.id);
    });
  });

  describe('owner', () => {
    it('renders the owner, or data null', async () => {
      const m = await g.machine(c.license, { ownerId: c.licensee.user.id });
      const res = await get(m.id, 'owner', c.roles.admin).expect(200);
      expect(res.body.data).toMatchObject({ type: 'users', id: c.licensee.user.id });
      const none = await g.machine(c.license);
      expect((await get(none.id, 'owner', c.roles.admin).expect(200)).body).toEqual({ data: null });
      expectForbidden(await get(m.id, 'owner', c.licenseAuth), lacks('license'));
    });

    it('changes the owner, renders the machine and emits machine.owner.updated', async () => {
      const m = await g.machine(c.license);
      const res = await put(
        m.id,
        'owner',
        { type: 'users', id: c.licensee.user.id },
        c.roles.admin,
      ).expect(200);
      expect(res.body.data).toMatchObject({ type: 'machines', id: m.id });
      expect(res.body.data.relationships.owner.data).toEqual({
        type: 'users',
        id: c.licensee.user.id,
      });
      expect((await stored(m.id)).ownerId).toBe(c.licensee.user.id);
      expect(
        t.events.named('machine.owner.updated', c.a.id).filter((e) => e.resource.id === m.id),
      ).toHaveLength(1);
      await put(m.id, 'owner', null, c.product).expect(200);
      expect((await stored(m.id)).ownerId).toBeNull();
    });

    it('inherits the new owner’s group when the machine has none', async () => {
      const group = await g.group(c.a.account, { members: [c.licensee.user] });
      const m = await g.machine(c.license);
      const res = await put(
        m.id,
        'owner',
        { type: 'users', id: c.licensee.user.id },
        c.roles.admin,
      ).expect(200);
      expect(res.body.data.relationships.group.data).toEqual({ type: 'groups', id: group.id });
      await t.ds.query('UPDATE users SET group_id = NULL WHERE id = $1', [c.licensee.user.id]);
    });

    it('reports unknown owners and owners who are not license users', async () => {
      const m = await g.machine(c.license);
      expectUnprocessable(
        await put(m.id, 'owner', { type: 'users', id: uuidv4() }, c.roles.admin),
        machineError('OWNER_NOT_FOUND', 'must exist', '/data/relationships/owner'),
      );
      expectUnprocessable(
        await put(m.id, 'owner', { type: 'users', id: c.stranger.user.id }, c.roles.admin),
        machineError('OWNER_INVALID', 'must be a valid license user', '/data/relationships/owner'),
      );
    });

    it('re-checks core limits with the new owner’s bucket under PER_USER', async () => {
      const p = await g.policy(c.a.account, {
        floating: true,
        maxCores: 4,
        machineLeasingStrategy: 'PER_USER',
      });
      const owner = await g.user(c.a.account);
      const lic = await g.license(c.a.account, { policy: p, owner: owner.user });
      await g.machine(lic.license, { ownerId: owner.user.id, cores: 3 });
      const m = await g.machine(lic.license, { cores: 2 });
      expectUnprocessable(
        await put(m.id, 'owner', { type: 'users', id: owner.user.id }, c.roles.admin),
        machineError(
          'MACHINE_CORE_LIMIT_EXCEEDED',
          'machine core count has exceeded maximum allowed for user (4)',
          '/data',
        ),
      );
    });

    it('is for staff writers and products only (403 before 400)', async () => {
      const m = await g.machine(c.license, { ownerId: c.licenseOwner.user.id });
      expectForbidden(await put(m.id, 'owner', 'garbage', c.licenseOwner.auth), lacks('user'));
      expectForbidden(await put(m.id, 'owner', null, c.roles['support-agent']));
      expectForbidden(await put(m.id, 'owner', null, c.licenseAuth), lacks('license'));
      expectBadRequest(
        await put(m.id, 'owner', { type: 'groups', id: uuidv4() }, c.roles.admin),
        'is invalid',
        '/data/type',
      );
    });
  });

  describe('group', () => {
    it('404s without a group, renders it otherwise', async () => {
      const m = await g.machine(c.license);
      const res = await get(m.id, 'group', c.roles.admin);
      expect(res.status).toBe(404);
      expect(res.body.errors).toEqual([
        { title: 'Not found', detail: 'The requested group was not found', code: 'NOT_FOUND' },
      ]);
      const group = await g.group(c.a.account);
      const grouped = await g.machine(c.license, { groupId: group.id });
      expect((await get(grouped.id, 'group', c.licenseAuth).expect(200)).body.data).toMatchObject({
        type: 'groups',
        id: group.id,
      });
    });

    it('lets users read a group they own though not the license’s', async () => {
      const owner = await g.user(c.a.account);
      const group = await g.group(c.a.account, { owners: [owner.user] });
      const m = await g.machine(c.license, { groupId: group.id });
      expectNotFound(await get(m.id, 'group', owner.auth), m.id);
      await get(m.id, 'group', c.licenseOwner.auth).expect(200);
    });

    it('changes the group with its limit and emits machine.group.updated', async () => {
      const group = await g.group(c.a.account, { maxMachines: 1 });
      const one = await g.machine(c.license);
      const two = await g.machine(c.license);
      const res = await put(
        one.id,
        'group',
        { type: 'groups', id: group.id },
        c.roles['sales-agent'],
      ).expect(200);
      expect(res.body.data).toMatchObject({ type: 'machines', id: one.id });
      expect(res.body.data.relationships.group.data).toEqual({ type: 'groups', id: group.id });
      await put(one.id, 'group', { type: 'groups', id: group.id }, c.roles.admin).expect(200);
      expectUnprocessable(
        await put(two.id, 'group', { type: 'groups', id: group.id }, c.roles.admin),
        machineError(
          'GROUP_MACHINE_LIMIT_EXCEEDED',
          'machine count has exceeded maximum allowed by current group (1)',
          '/data/relationships/group',
        ),
      );
      expectUnprocessable(
        await put(two.id, 'group', { type: 'groups', id: uuidv4() }, c.roles.admin),
        machineError('GROUP_NOT_FOUND', 'must exist', '/data/relationships/group'),
      );
      await put(one.id, 'group', null, c.product).expect(200);
      expect((await stored(one.id)).groupId).toBeNull();
      expect(
        t.events.named('machine.group.updated', c.a.id).filter((e) => e.resource.id === one.id),
      ).toHaveLength(3);
    });

    it('checks the body before authorization, and denies users and licenses', async () => {
      const m = await g.machine(c.license, { ownerId: c.licenseOwner.user.id });
      expectBadRequest(
        await put(m.id, 'group', { type: 'groups', id: 'x' }, c.licenseOwner.auth),
        'type mismatch (received string expected UUID string)',
        '/data/id',
      );
      expectForbidden(await put(m.id, 'group', null, c.licenseOwner.auth), lacks('user'));
      expectForbidden(await put(m.id, 'group', null, c.licenseAuth), lacks('license'));
    });

    it('denies clearing the group from inside an environment (no record)', async () => {
      const env = await g.environment(c.a.account);
      const p = await g.policy(c.a.account, { floating: true, environment: env.environment });
      const lic = await g.license(c.a.account, { policy: p });
      const m = await g.machine(lic.license);
      expectForbidden(
        await put(m.id, 'group', null, env.auth),
        'You do not have permission to complete the request (record is not compatible with the current environment)',
      );
      const globalGroup = await g.group(c.a.account);
      expectForbidden(
        await put(m.id, 'group', { type: 'groups', id: globalGroup.id }, env.auth),
        RECORD_ENV,
      );
    });
  });

  describe('user (≤1.5)', () => {
    it('renders the license’s owner', async () => {
      const m = await g.machine(c.license, { ownerId: c.licensee.user.id });
      const res = await get(m.id, 'user', c.roles.admin).expect(200);
      expect(res.body.data).toMatchObject({ type: 'users', id: c.licenseOwner.user.id });
      expectForbidden(await get(m.id, 'user', c.licensee.auth));
      await get(m.id, 'user', c.licenseOwner.auth).expect(200);
    });
  });
});
