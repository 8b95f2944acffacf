import { uuidv4 } from '@app/common/ids';
import { Group } from '@app/modules/groups/group.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import {
  RECORD_ENV,
  expectBadRequest,
  expectForbidden,
  expectSigned,
  groupDoc,
  groupResource,
} from './support';

describe('POST /v1/accounts/:account/groups', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const create = (body: unknown, auth: Record<string, string>, acct: GivenAccount = a) =>
    t.http
      .post(`${acct.base}/groups`)
      .set(auth)
      .send(body as object);
  const stored = (id: string) => t.ds.getRepository(Group).findOneBy({ id });
  const created = () => t.events.named('group.created', a.id).length;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('201', () => {
    it('creates a group with limits and metadata, emits group.created', async () => {
      const before = created();
      const res = await create(
        groupDoc({
          name: 'Test Group',
          maxUsers: 10,
          maxLicenses: 10,
          maxMachines: 10,
          metadata: { fooBar: 'baz' },
        }),
        a.auth,
      ).expect(201);
      expectSigned(res);
      const row = (await stored(res.body.data.id))!;
      expect(row).toMatchObject({
        accountId: a.id,
        environmentId: null,
        name: 'Test Group',
        maxUsers: 10,
        metadata: { foo_bar: 'baz' },
      });
      expect(res.body).toEqual({
        data: {
          ...groupResource(row),
          attributes: { ...(groupResource(row).attributes as object), metadata: { fooBar: 'baz' } },
        },
      });
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/groups/${row.id}`,
      );
      const events = t.events.named('group.created', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'groups', id: row.id });
    });

    it('creates a minimal group with the singular type', async () => {
      const res = await create(groupDoc({ name: 'ACME' }, { type: 'group' }), a.auth).expect(201);
      expect(res.body.data.attributes).toMatchObject({
        name: 'ACME',
        maxUsers: null,
        maxLicenses: null,
        maxMachines: null,
        metadata: {},
      });
    });

    it('drops null limits and metadata (optional, not nullable on create)', async () => {
      const res = await create(
        groupDoc({ name: 'Nulls', maxUsers: null, metadata: null }),
        a.auth,
      ).expect(201);
      expect(res.body.data.attributes).toMatchObject({ maxUsers: null, metadata: {} });
    });

    it('accepts negative limits (Keygen does not validate the sign)', async () => {
      const res = await create(groupDoc({ name: 'Neg', maxUsers: -1 }), a.auth).expect(201);
      expect(res.body.data.attributes.maxUsers).toBe(-1);
    });

    it('lets a developer create a group', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await create(groupDoc({ name: 'Dev' }), dev.auth).expect(201);
    });

    it('lets a product create a group', async () => {
      const p = await g.product(a.account);
      await create(groupDoc({ name: 'Product Group' }, { type: 'group' }), p.auth).expect(201);
    });

    it('puts an environment’s group in its environment', async () => {
      const env = await g.environment(a.account);
      const res = await create(groupDoc({ name: 'Isolated Group' }), env.auth).expect(201);
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
      expect(res.body.data.relationships.environment).toEqual({
        links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
        data: { type: 'environments', id: env.environment.id },
      });
      expect((await stored(res.body.data.id))!.environmentId).toBe(env.environment.id);
    });

    it('accepts an explicit environment matching the current one', async () => {
      const env = await g.environment(a.account);
      const res = await create(
        groupDoc(
          { name: 'Explicit' },
          {
            relationships: {
              environment: { data: { type: 'environments', id: env.environment.id } },
            },
          },
        ),
        env.auth,
      ).expect(201);
      expect(res.body.data.relationships.environment.data.id).toBe(env.environment.id);
    });
  });

  describe('400', () => {
    it.each([
      ['no name', groupDoc({ metadata: {} }), 'is missing', '/data/attributes/name'],
      ['no attributes', groupDoc(undefined), 'is missing', '/data/attributes'],
      ['no data', {}, 'is missing', '/data'],
      ['a blank name', groupDoc({ name: '' }), 'cannot be blank', '/data/attributes/name'],
      ['a null name', groupDoc({ name: null }), 'cannot be null', '/data/attributes/name'],
      [
        'a numeric name',
        groupDoc({ name: 1 }),
        'type mismatch (received integer expected string)',
        '/data/attributes/name',
      ],
      [
        'a string limit',
        groupDoc({ name: 'x', maxUsers: '10' }),
        'type mismatch (received string expected integer)',
        '/data/attributes/maxUsers',
      ],
      [
        'a float limit',
        groupDoc({ name: 'x', maxMachines: 1.5 }),
        'type mismatch (received float expected integer)',
        '/data/attributes/maxMachines',
      ],
      [
        'an unknown attribute',
        groupDoc({ name: 'x', maxProcesses: 1 }),
        'unpermitted parameter',
        '/data/attributes/maxProcesses',
      ],
      [
        'an unknown relationship',
        groupDoc({ name: 'x' }, { relationships: { users: { data: [] } } }),
        'unpermitted parameter',
        '/data/relationships/users',
      ],
      [
        'a client id',
        groupDoc({ name: 'x' }, { id: uuidv4() }),
        'unpermitted parameter',
        '/data/id',
      ],
      ['a wrong type', groupDoc({ name: 'x' }, { type: 'users' }), 'is invalid', '/data/type'],
      [
        'too deep metadata',
        groupDoc({ name: 'x', metadata: { a: { b: { c: { d: 1 } } } } }),
        'maximum depth of 2 exceeded',
        '/data/attributes/metadata/a/b/c',
      ],
    ])('rejects %s', async (_, body, detail, pointer) => {
      const before = created();
      expectBadRequest(await create(body, a.auth), detail, pointer);
      expect(created()).toBe(before);
    });

    it('validates the body before authorizing (400 beats 403)', async () => {
      const u = await g.user(a.account);
      expectBadRequest(await create(groupDoc({}), u.auth), 'is missing', '/data/attributes/name');
    });

    it('rejects a limit beyond a 32-bit integer', async () => {
      const res = await create(groupDoc({ name: 'Big', maxUsers: 2 ** 31 }), a.auth).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail: 'integer is too large' }]);
    });
  });

  describe('401', () => {
    it('requires authentication', async () => {
      const res = await t.http
        .post(`${a.base}/groups`)
        .send(groupDoc({ name: 'Anon' }))
        .expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_MISSING' });
    });

    it("rejects another account's admin", async () => {
      const other = await g.account();
      await create(groupDoc({ name: 'Space X' }), other.auth).expect(401);
    });
  });

  describe('403', () => {
    it.each(['sales-agent', 'support-agent'] as const)('forbids a %s', async (role) => {
      const u = await g.user(a.account, { role });
      const before = created();
      expectForbidden(await create(groupDoc({ name: 'Nope' }), u.auth));
      expect(created()).toBe(before);
    });

    it.each([
      ['read-only', 'read only'],
      ['user', 'user'],
    ] as const)('forbids a %s, which lacks group.create', async (role, words) => {
      const u = await g.user(a.account, { role });
      expectForbidden(
        await create(groupDoc({ name: 'Nope' }), u.auth),
        `You do not have permission to complete the request (${words} lacks permission to perform action)`,
      );
    });

    it('names a missing group.create permission', async () => {
      const dev = await g.user(a.account, { role: 'developer', permissions: ['group.read'] });
      expectForbidden(
        await create(groupDoc({ name: 'x' }), dev.auth),
        'You do not have permission to complete the request (developer lacks permission to perform action)',
      );
    });

    it('forbids a global group from inside an environment', async () => {
      const env = await g.environment(a.account);
      expectForbidden(
        await create(
          groupDoc({ name: 'x' }, { relationships: { environment: { data: null } } }),
          env.auth,
        ),
        RECORD_ENV,
      );
    });

    it('forbids an environment group from the global environment', async () => {
      const env = await g.environment(a.account);
      expectForbidden(
        await create(
          groupDoc(
            { name: 'x' },
            {
              relationships: {
                environment: { data: { type: 'environments', id: env.environment.id } },
              },
            },
          ),
          a.auth,
        ),
        RECORD_ENV,
      );
    });
  });

  describe('422', () => {
    it('rejects a name over 255 characters', async () => {
      const res = await create(groupDoc({ name: 'x'.repeat(256) }), a.auth).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'is too long (maximum is 255 characters)',
          code: 'NAME_TOO_LONG',
          source: { pointer: '/data/attributes/name' },
          links: { about: 'https://keygen.sh/docs/api/groups/#groups-object-attrs-name' },
        },
      ]);
    });

    it('rejects metadata with too many keys', async () => {
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
      const res = await create(groupDoc({ name: 'x', metadata }), a.auth).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'too many keys (exceeded limit of 64 keys)',
          code: 'METADATA_TOO_LONG',
          source: { pointer: '/data/attributes/metadata' },
          links: { about: 'https://keygen.sh/docs/api/groups/#groups-object-attrs-metadata' },
        },
      ]);
    });
  });
});
