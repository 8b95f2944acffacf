import { uuidv4 } from '@app/common/ids';
import { Group } from '@app/modules/groups/group.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import {
  RECORD_ENV,
  expectBadRequest,
  expectForbidden,
  expectNotFound,
  expectSigned,
  groupDoc,
} from './support';

describe('PATCH /v1/accounts/:account/groups/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const update = (id: string, body: unknown, auth: Record<string, string>) =>
    t.http
      .patch(`${a.base}/groups/${id}`)
      .set(auth)
      .send(body as object);
  const stored = async (id: string): Promise<Group> =>
    (await t.ds.getRepository(Group).findOneBy({ id }))!;
  const updated = () => t.events.named('group.updated', a.id).length;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('updates limits and metadata, bumps updated, emits group.updated', async () => {
      const group = await g.group(a.account, { name: 'Before' });
      const before = updated();
      t.clock.advance(5000);
      try {
        const res = await update(
          group.id,
          groupDoc({ maxMachines: 100, metadata: { namespace: 'Keygen' } }, { id: group.id }),
          a.auth,
        ).expect(200);
        expectSigned(res);
        expect(res.body.data.attributes).toMatchObject({
          name: 'Before',
          maxMachines: 100,
          metadata: { namespace: 'Keygen' },
          created: group.createdAt.toISOString(),
        });
        expect(new Date(res.body.data.attributes.updated).getTime()).toBeGreaterThanOrEqual(
          group.updatedAt.getTime() + 5000,
        );
      } finally {
        t.clock.reset();
      }
      expect(await stored(group.id)).toMatchObject({
        maxMachines: 100,
        metadata: { namespace: 'Keygen' },
      });
      expect(updated()).toBe(before + 1);
    });

    it('removes a limit with null', async () => {
      const group = await g.group(a.account, { maxMachines: 1, maxUsers: 2 });
      const res = await update(group.id, groupDoc({ maxMachines: null }), a.auth).expect(200);
      expect(res.body.data.attributes).toMatchObject({ maxMachines: null, maxUsers: 2 });
    });

    it('leaves updated alone when nothing changes, but still emits', async () => {
      const group = await g.group(a.account, { name: 'Same' });
      const before = updated();
      t.clock.advance(5000);
      try {
        const res = await update(group.id, groupDoc({ name: 'Same' }), a.auth).expect(200);
        expect(res.body.data.attributes.updated).toBe(group.updatedAt.toISOString());
      } finally {
        t.clock.reset();
      }
      expect(updated()).toBe(before + 1);
    });

    it('ignores a null name (optional, not nullable)', async () => {
      const group = await g.group(a.account, { name: 'Kept' });
      const res = await update(group.id, groupDoc({ name: null }), a.auth).expect(200);
      expect(res.body.data.attributes.name).toBe('Kept');
    });

    it('ignores a null metadata', async () => {
      const group = await g.group(a.account, { metadata: { keep: true } });
      const res = await update(group.id, groupDoc({ metadata: null }), a.auth).expect(200);
      expect(res.body.data.attributes.metadata).toEqual({ keep: true });
    });

    it('lets a developer rename a group', async () => {
      const group = await g.group(a.account);
      const dev = await g.user(a.account, { role: 'developer' });
      const res = await update(
        group.id,
        groupDoc({ name: 'Updated Group' }, { type: 'group' }),
        dev.auth,
      ).expect(200);
      expect(res.body.data.attributes.name).toBe('Updated Group');
    });

    it('lets a product update a group', async () => {
      const group = await g.group(a.account);
      const p = await g.product(a.account);
      await update(group.id, groupDoc({ name: 'Product Group' }), p.auth).expect(200);
    });

    it('lets an environment update its own group', async () => {
      const env = await g.environment(a.account);
      const group = await g.group(a.account, { environment: env.environment });
      await update(group.id, groupDoc({ name: 'Isolated Group' }), env.auth).expect(200);
    });
  });

  describe('400', () => {
    it.each([
      ['no attributes', groupDoc(undefined), 'is missing', '/data/attributes'],
      ['a blank name', groupDoc({ name: ' ' }), 'cannot be blank', '/data/attributes/name'],
      [
        'a string limit',
        groupDoc({ maxUsers: 'x' }),
        'type mismatch (received string expected integer)',
        '/data/attributes/maxUsers',
      ],
      [
        'relationships',
        groupDoc({ name: 'x' }, { relationships: { environment: { data: null } } }),
        'unpermitted parameter',
        '/data/relationships',
      ],
    ])('rejects %s', async (_, body, detail, pointer) => {
      const group = await g.group(a.account);
      expectBadRequest(await update(group.id, body, a.auth), detail, pointer);
    });

    it('rejects a limit beyond a 32-bit integer and keeps the group', async () => {
      const group = await g.group(a.account, { maxUsers: 1 });
      const res = await update(group.id, groupDoc({ maxUsers: -(2 ** 31) - 1 }), a.auth).expect(
        400,
      );
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail: 'integer is too large' }]);
      expect((await stored(group.id)).maxUsers).toBe(1);
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const group = await g.group(a.account);
      await t.http
        .patch(`${a.base}/groups/${group.id}`)
        .send(groupDoc({ name: 'x' }))
        .expect(401);
    });
  });

  describe('403', () => {
    it.each(['sales-agent', 'support-agent'] as const)('forbids a %s', async (role) => {
      const group = await g.group(a.account);
      const u = await g.user(a.account, { role });
      const before = updated();
      expectForbidden(await update(group.id, groupDoc({ name: 'Nope' }), u.auth));
      expect(updated()).toBe(before);
      expect((await stored(group.id)).name).toBe(group.name);
    });

    it.each([
      ['read-only', 'read only'],
      ['user', 'user'],
    ] as const)('forbids a %s, which lacks group.update', async (role, words) => {
      const group = await g.group(a.account);
      const u = await g.user(a.account, { role });
      expectForbidden(
        await update(group.id, groupDoc({ name: 'Nope' }), u.auth),
        `You do not have permission to complete the request (${words} lacks permission to perform action)`,
      );
    });

    it('authorizes before validating the body (403 beats 400)', async () => {
      const group = await g.group(a.account);
      const u = await g.user(a.account, { role: 'sales-agent' });
      expectForbidden(await update(group.id, {}, u.auth));
    });

    it('forbids an environment writing a global group', async () => {
      const group = await g.group(a.account);
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      expectForbidden(await update(group.id, groupDoc({ name: 'x' }), env.auth), RECORD_ENV);
    });

    it('forbids the global environment writing an environment group', async () => {
      const env = await g.environment(a.account);
      const group = await g.group(a.account, { environment: env.environment });
      expectForbidden(await update(group.id, groupDoc({ name: 'x' }), a.auth), RECORD_ENV);
    });
  });

  describe('404', () => {
    it('reports an unknown group before validating the body', async () => {
      const id = uuidv4();
      expectNotFound(await update(id, {}, a.auth), 'group', id);
    });
  });

  describe('422', () => {
    it('rejects a name over 255 characters and keeps the group', async () => {
      const group = await g.group(a.account, { name: 'Keep' });
      const before = updated();
      const res = await update(group.id, groupDoc({ name: 'y'.repeat(256) }), a.auth).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'is too long (maximum is 255 characters)',
          code: 'NAME_TOO_LONG',
          source: { pointer: '/data/attributes/name' },
          links: { about: 'https://keygen.sh/docs/api/groups/#groups-object-attrs-name' },
        },
      ]);
      expect((await stored(group.id)).name).toBe('Keep');
      expect(updated()).toBe(before);
    });
  });
});
