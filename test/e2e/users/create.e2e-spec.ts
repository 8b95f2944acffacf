import { verifyPassword } from '@libs/crypto';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { uuidv4 } from '@app/common/ids';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import {
  FORBIDDEN,
  FORBIDDEN_ANON,
  FORBIDDEN_BEARER,
  email,
  expectSigned,
  userDoc,
} from './support';

describe('POST /v1/accounts/:account/users', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let locked: GivenAccount;

  const post = (acct: GivenAccount, body: unknown, auth: Record<string, string> = {}) =>
    t.http
      .post(`${acct.base}/users`)
      .set(auth)
      .send(body as object);
  const stored = (id: string): Promise<User | null> => t.ds.getRepository(User).findOneBy({ id });
  const countByEmail = (address: string): Promise<number> =>
    t.ds.getRepository(User).countBy({ email: address });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    locked = await g.account({ protected: true });
  });
  afterAll(() => t.close());

  describe('201', () => {
    it('lets anonymous create a user on an unprotected account', async () => {
      const address = email('Clark');
      const before = t.events.named('user.created', a.id).length;
      const res = await post(
        a,
        userDoc({
          firstName: 'Clark',
          lastName: 'Kent',
          email: `  ${address.toUpperCase()} `,
          password: 'kent <3 lois',
        }),
      ).expect(201);
      expectSigned(res);
      const id = res.body.data.id as string;
      expect(res.headers.location).toBe(`https://api.keyward.test/v1/accounts/${a.id}/users/${id}`);
      expect(res.headers['keygen-bearer']).toBeUndefined();
      expect(res.body.data).toMatchObject({
        type: 'users',
        attributes: {
          fullName: 'Clark Kent',
          firstName: 'Clark',
          lastName: 'Kent',
          email: address.toLowerCase(),
          status: 'ACTIVE',
          role: 'user',
          permissions: [...DEFAULT_PERMISSIONS.user].sort(),
          metadata: {},
        },
        relationships: {
          environment: { links: { related: null }, data: null },
          group: { data: null },
        },
        links: { self: `/v1/accounts/${a.id}/users/${id}` },
      });
      expect(res.body.data.attributes.permissions).toHaveLength(54);
      const row = await stored(id);
      expect(await verifyPassword('kent <3 lois', row!.passwordDigest!)).toBe(true);
      const events = t.events.named('user.created', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'users', id });
    });

    it('keeps blank names and drops null names', async () => {
      const blank = await post(a, userDoc({ firstName: '', lastName: '', email: email() })).expect(
        201,
      );
      expect(blank.body.data.attributes).toMatchObject({
        firstName: '',
        lastName: '',
        fullName: ' ',
      });
      const nulls = await post(
        a,
        userDoc({ firstName: null, lastName: null, email: email() }),
      ).expect(201);
      expect(nulls.body.data.attributes).toMatchObject({
        firstName: null,
        lastName: null,
        fullName: null,
      });
    });

    it('creates a passwordless user when password is null', async () => {
      const res = await post(a, userDoc({ email: email(), password: null })).expect(201);
      expect((await stored(res.body.data.id))!.passwordDigest).toBeNull();
    });

    it('stores metadata keys snake_cased and renders them camelCased', async () => {
      const res = await post(
        a,
        userDoc({ email: email(), metadata: { customerId: 'c1', Nested: { innerKey: [1, 'x'] } } }),
      ).expect(201);
      expect(res.body.data.attributes.metadata).toEqual({
        customerId: 'c1',
        nested: { innerKey: [1, 'x'] },
      });
      expect((await stored(res.body.data.id))!.metadata).toEqual({
        customer_id: 'c1',
        nested: { inner_key: [1, 'x'] },
      });
    });

    it.each(['admin', 'developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets an admin create a %s with its default permissions',
      async (role) => {
        const res = await post(a, userDoc({ email: email(), role }), a.auth).expect(201);
        expect(res.body.data.attributes.role).toBe(role);
        expect(res.body.data.attributes.permissions).toEqual([...DEFAULT_PERMISSIONS[role]].sort());
      },
    );

    it('lets an admin create an admin with custom or wildcard permissions', async () => {
      const custom = await post(
        a,
        userDoc({
          email: email(),
          role: 'admin',
          permissions: ['product.create', 'policy.create'],
        }),
        a.auth,
      ).expect(201);
      expect(custom.body.data.attributes.permissions).toEqual(['policy.create', 'product.create']);
      const wild = await post(
        a,
        userDoc({ email: email(), role: 'admin', permissions: ['*'] }),
        a.auth,
      ).expect(201);
      expect(wild.body.data.attributes.permissions).toEqual(['*']);
    });

    it('lets a limited admin create an admin with permissions it holds', async () => {
      const limited = await g.user(a.account, {
        role: 'admin',
        permissions: ['admin.create', 'admin.read', 'user.create', 'user.read'],
      });
      const res = await post(
        a,
        userDoc({ email: email(), role: 'admin', permissions: ['user.create', 'user.read'] }),
        limited.auth,
      ).expect(201);
      expect(res.body.data.attributes).toMatchObject({
        role: 'admin',
        permissions: ['user.create', 'user.read'],
      });
    });

    it('accepts an empty permission set', async () => {
      const res = await post(a, userDoc({ email: email(), permissions: [] }), a.auth).expect(201);
      expect(res.body.data.attributes.permissions).toEqual([]);
    });

    it.each(['admin', 'developer', 'sales-agent'] as const)(
      'lets a %s create users on a protected account',
      async (role) => {
        const staff = await g.user(locked.account, { role });
        const res = await post(
          locked,
          userDoc({ email: email(), password: 'secret123' }),
          staff.auth,
        ).expect(201);
        expect(res.body.data.attributes.role).toBe('user');
      },
    );

    it('lets a developer set permissions', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      const res = await post(
        a,
        userDoc({ email: email(), permissions: ['license.validate', 'license.read'] }),
        dev.auth,
      ).expect(201);
      expect(res.body.data.attributes.permissions).toEqual(['license.read', 'license.validate']);
    });

    it('creates users inside the current environment for an environment bearer', async () => {
      const env = await g.environment(a.account);
      const res = await post(
        a,
        userDoc({ email: email(), permissions: ['license.read'] }),
        env.auth,
      ).expect(201);
      expect(res.body.data.relationships.environment).toEqual({
        links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
        data: { type: 'environments', id: env.environment.id },
      });
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
      expect((await stored(res.body.data.id))!.environmentId).toBe(env.environment.id);
    });

    it('accepts an explicit environment relationship matching the current environment', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await post(
        a,
        userDoc(
          { email: email() },
          {
            relationships: {
              environment: { data: { type: 'environments', id: env.environment.id } },
            },
          },
        ),
        { ...a.auth, 'Keygen-Environment': env.environment.code },
      ).expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });

    it('accepts a null group', async () => {
      const res = await post(
        a,
        userDoc({ email: email() }, { relationships: { group: { data: null } } }),
        a.auth,
      ).expect(201);
      expect(res.body.data.relationships.group).toEqual({
        links: { related: `/v1/accounts/${a.id}/users/${res.body.data.id}/group` },
        data: null,
      });
    });

    it("uses the account's default_user_permissions setting", async () => {
      const acct = await g.account();
      const now = new Date();
      await t.ds.query(
        `INSERT INTO account_settings (id, account_id, key, value, created_at, updated_at) VALUES ($1, $2, 'default_user_permissions', $3, $4, $4)`,
        [uuidv4(), acct.id, JSON.stringify(['user.read', 'license.validate', 'license.read']), now],
      );
      const res = await post(acct, userDoc({ email: email() })).expect(201);
      expect(res.body.data.attributes.permissions).toEqual([
        'license.read',
        'license.validate',
        'user.read',
      ]);
      const admin = await post(acct, userDoc({ email: email(), role: 'admin' }), acct.auth).expect(
        201,
      );
      expect(admin.body.data.attributes.permissions).toHaveLength(144);
    });
  });

  describe('400', () => {
    it.each<[string, unknown, string, string]>([
      [
        'an unknown attribute',
        userDoc({ email: 'x@keyward.example', nickname: 'x' }),
        'unpermitted parameter',
        '/data/attributes/nickname',
      ],
      [
        'a wrong type',
        userDoc({ email: 42 }),
        'type mismatch (received integer expected string)',
        '/data/attributes/email',
      ],
      ['a missing e-mail', userDoc({ firstName: 'Clark' }), 'is missing', '/data/attributes/email'],
      ['a null e-mail', userDoc({ email: null }), 'cannot be null', '/data/attributes/email'],
      ['a blank e-mail', userDoc({ email: '' }), 'cannot be blank', '/data/attributes/email'],
      [
        'a blank password',
        userDoc({ email: 'x@keyward.example', password: '' }),
        'cannot be blank',
        '/data/attributes/password',
      ],
      [
        'a wrong data.type',
        userDoc({ email: 'x@keyward.example' }, { type: 'licenses' }),
        'is invalid',
        '/data/type',
      ],
      [
        'a data.id',
        userDoc({ email: 'x@keyward.example' }, { id: uuidv4() }),
        'unpermitted parameter',
        '/data/id',
      ],
      [
        'a role from anonymous',
        userDoc({ email: 'x@keyward.example', role: 'user' }),
        'unpermitted parameter',
        '/data/attributes/role',
      ],
      [
        'a role in odd casing',
        userDoc({ email: 'x@keyward.example', RoLe: 'admin' }),
        'unpermitted parameter',
        '/data/attributes/roLe',
      ],
      [
        'permissions from anonymous',
        userDoc({ email: 'x@keyward.example', permissions: ['*'] }),
        'unpermitted parameter',
        '/data/attributes/permissions',
      ],
      [
        'a group from anonymous',
        userDoc({ email: 'x@keyward.example' }, { relationships: { group: { data: null } } }),
        'unpermitted parameter',
        '/data/relationships/group',
      ],
      ['missing data', { meta: {} }, 'unpermitted parameter', '/meta'],
      ['no body', {}, 'is missing', '/data'],
      ['missing attributes', { data: { type: 'users' } }, 'is missing', '/data/attributes'],
      [
        'too deep metadata',
        userDoc({
          email: 'x@keyward.example',
          metadata: { object: { nested: [{ key: 'value' }] } },
        }),
        'maximum depth of 2 exceeded',
        '/data/attributes/metadata/object/nested/0',
      ],
      [
        'an environment linkage of the wrong type',
        userDoc(
          { email: 'x@keyward.example' },
          { relationships: { environment: { data: { type: 'users', id: uuidv4() } } } },
        ),
        'is invalid',
        '/data/relationships/environment/data/type',
      ],
      [
        'an environment linkage with a bad id',
        userDoc(
          { email: 'x@keyward.example' },
          { relationships: { environment: { data: { type: 'environments', id: 'nope' } } } },
        ),
        'type mismatch (received string expected UUID string)',
        '/data/relationships/environment/data/id',
      ],
    ])('rejects %s', async (_name, body, detail, pointer) => {
      const res = await post(a, body).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
      expectSigned(res);
      expect(await countByEmail('x@keyward.example')).toBe(0);
    });

    it.each(['developer', 'sales-agent'] as const)('rejects a role from a %s', async (role) => {
      const staff = await g.user(a.account, { role });
      const res = await post(a, userDoc({ email: email(), role: 'admin' }), staff.auth).expect(400);
      expect(res.body.errors[0]).toMatchObject({
        detail: 'unpermitted parameter',
        source: { pointer: '/data/attributes/role' },
      });
    });

    it('rejects a role from an environment', async () => {
      const env = await g.environment(a.account);
      const res = await post(a, userDoc({ email: email(), role: 'admin' }), env.auth).expect(400);
      expect(res.body.errors[0].source).toEqual({ pointer: '/data/attributes/role' });
    });

    it('rejects permissions from a sales agent', async () => {
      const sales = await g.user(a.account, { role: 'sales-agent' });
      const res = await post(
        a,
        userDoc({ email: email(), permissions: ['license.read'] }),
        sales.auth,
      ).expect(400);
      expect(res.body.errors[0].source).toEqual({ pointer: '/data/attributes/permissions' });
    });

    it.each(['spider', 'product', 'license', 'sales_agent', 'Admin'])(
      'rejects the role %s',
      async (role) => {
        const res = await post(a, userDoc({ email: email(), role }), a.auth).expect(400);
        expect(res.body.errors).toEqual([
          {
            title: 'Bad request',
            detail: 'is invalid',
            source: { pointer: '/data/attributes/role' },
          },
        ]);
      },
    );

    it('validates params before authorizing (400 beats 403)', async () => {
      const res = await post(locked, userDoc({ email: email(), role: 'admin' })).expect(400);
      expect(res.body.errors[0].source).toEqual({ pointer: '/data/attributes/role' });
    });
  });

  describe('401', () => {
    it('rejects invalid credentials even though anonymous is allowed', async () => {
      const res = await post(a, userDoc({ email: email() }), {
        Authorization: 'Bearer user-deadbeefv3',
      }).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });

    it('rejects an expired token', async () => {
      const expired = await g.user(a.account, {
        role: 'admin',
        tokenExpiry: new Date(Date.now() - 1000),
      });
      const res = await post(a, userDoc({ email: email() }), expired.auth).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_EXPIRED');
    });
  });

  describe('403', () => {
    it('refuses anonymous on a protected account', async () => {
      const before = t.events.named('user.created', locked.id).length;
      const address = email();
      const res = await post(locked, userDoc({ email: address, password: 'superman+lois' })).expect(
        403,
      );
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: FORBIDDEN_ANON }]);
      expectSigned(res);
      expect(await countByEmail(address)).toBe(0);
      expect(t.events.named('user.created', locked.id)).toHaveLength(before);
    });

    it('refuses a support agent', async () => {
      const support = await g.user(a.account, { role: 'support-agent' });
      const res = await post(a, userDoc({ email: email() }), support.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: FORBIDDEN_BEARER }]);
    });

    it.each<[string, 'read-only' | 'user']>([
      ['read only', 'read-only'],
      ['user', 'user'],
    ])('refuses a %s (no user.create)', async (words, role) => {
      const bearer = await g.user(a.account, { role });
      const res = await post(a, userDoc({ email: email() }), bearer.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (${words} lacks permission to perform action)`,
      );
    });

    it('refuses a token lacking user.create', async () => {
      const tok = await g.token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await post(a, userDoc({ email: email() }), {
        Authorization: `Bearer ${tok.raw}`,
      }).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (token lacks permission to perform action)`,
      );
    });

    it('refuses an admin without admin.create creating an admin', async () => {
      const limited = await g.user(a.account, { role: 'admin', permissions: ['user.create'] });
      const res = await post(a, userDoc({ email: email(), role: 'admin' }), limited.auth).expect(
        403,
      );
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (admin lacks permission to perform action)`,
      );
    });

    it('refuses a limited admin granting permissions it lacks', async () => {
      const limited = await g.user(a.account, {
        role: 'admin',
        permissions: ['admin.create', 'admin.read', 'user.create', 'user.read'],
      });
      const res = await post(a, userDoc({ email: email(), role: 'admin' }), limited.auth).expect(
        403,
      );
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (admin lacks privileges to perform action on user)`,
      );
    });

    it('refuses a user in another environment than the current one', async () => {
      const env = await g.environment(a.account);
      const res = await post(
        a,
        userDoc(
          { email: email() },
          {
            relationships: {
              environment: { data: { type: 'environments', id: env.environment.id } },
            },
          },
        ),
        a.auth,
      ).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (record environment is not compatible with the current environment)`,
      );
    });

    it('refuses a global user from inside an environment', async () => {
      const env = await g.environment(a.account);
      const envAdmin = await g.user(a.account, { role: 'admin', environment: env.environment });
      const res = await post(
        a,
        userDoc({ email: email() }, { relationships: { environment: { data: null } } }),
        { ...envAdmin.auth, 'Keygen-Environment': env.environment.code },
      ).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (record environment is not compatible with the current environment)`,
      );
    });
  });

  describe('422', () => {
    const one = async (attributes: Record<string, unknown>, auth: Record<string, string> = {}) => {
      const res = await post(a, userDoc(attributes), auth).expect(422);
      expectSigned(res);
      return res.body.errors as Array<Record<string, unknown>>;
    };

    it('rejects an invalid e-mail', async () => {
      expect(await one({ email: 'foo.com' })).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'is invalid',
          code: 'EMAIL_INVALID',
          source: { pointer: '/data/attributes/email' },
          links: { about: 'https://keygen.sh/docs/api/users/#users-object-attrs-email' },
        },
      ]);
    });

    it('rejects an e-mail taken in any environment, whatever its case', async () => {
      const env = await g.environment(a.account);
      const existing = await g.user(a.account, { environment: env.environment });
      const errors = await one({ email: existing.user.email.toUpperCase() });
      expect(errors).toEqual([
        expect.objectContaining({
          code: 'EMAIL_TAKEN',
          detail: 'has already been taken',
          source: { pointer: '/data/attributes/email' },
        }),
      ]);
    });

    it('rejects short and long passwords', async () => {
      expect(await one({ email: email(), password: 'short' })).toEqual([
        expect.objectContaining({
          code: 'PASSWORD_TOO_SHORT',
          detail: 'is too short (minimum is 6 characters)',
          source: { pointer: '/data/attributes/password' },
        }),
      ]);
      expect(await one({ email: email(), password: 'x'.repeat(73) })).toEqual([
        expect.objectContaining({
          code: 'PASSWORD_TOO_LONG',
          detail: 'is too long (maximum is 72 characters)',
        }),
      ]);
    });

    it('rejects long names and e-mails', async () => {
      const errors = await one({
        email: `${'e'.repeat(250)}@keyward.example`,
        firstName: 'f'.repeat(256),
        lastName: 'l'.repeat(256),
      });
      expect(errors.map((e) => [e.code, e.detail])).toEqual([
        ['EMAIL_TOO_LONG', 'is too long (maximum is 255 characters)'],
        ['FIRST_NAME_TOO_LONG', 'is too long (maximum is 255 characters)'],
        ['LAST_NAME_TOO_LONG', 'is too long (maximum is 255 characters)'],
      ]);
    });

    it('rejects too much metadata', async () => {
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`key${i}`, i]));
      expect(await one({ email: email(), metadata })).toEqual([
        expect.objectContaining({
          code: 'METADATA_TOO_LONG',
          detail: 'too many keys (exceeded limit of 64 keys)',
          source: { pointer: '/data/attributes/metadata' },
        }),
      ]);
    });

    it.each<[string, string[]]>([
      ['unknown', ['foo.bar']],
      ['outside the role', ['product.create']],
      ['duplicated', ['license.read', 'license.read']],
    ])('rejects %s permissions', async (_name, permissions) => {
      const dev = await g.user(a.account, { role: 'developer' });
      expect(await one({ email: email(), permissions }, dev.auth)).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'unsupported permissions',
          code: 'PERMISSIONS_NOT_ALLOWED',
          source: { pointer: '/data/attributes/permissions' },
          links: { about: 'https://keygen.sh/docs/api/users/#users-object-attrs-permissions' },
        },
      ]);
    });

    it('rejects an unknown group', async () => {
      const res = await post(
        a,
        userDoc(
          { email: email() },
          { relationships: { group: { data: { type: 'groups', id: uuidv4() } } } },
        ),
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
    });

    it('reports every failing rule at once and fires no event', async () => {
      const before = t.events.named('user.created', a.id).length;
      const errors = await one({ email: 'nope', password: '123', firstName: 'f'.repeat(300) });
      expect(errors.map((e) => e.code)).toEqual([
        'EMAIL_INVALID',
        'PASSWORD_TOO_SHORT',
        'FIRST_NAME_TOO_LONG',
      ]);
      expect(t.events.named('user.created', a.id)).toHaveLength(before);
    });
  });
});
