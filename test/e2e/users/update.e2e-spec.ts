import { verifyPassword } from '@libs/crypto';
import { ALL_PERMISSIONS, DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../support/factories';
import { FORBIDDEN, FORBIDDEN_BEARER, email, expectSigned, userDoc } from './support';

describe('PATCH /v1/accounts/:account/users/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const patch = (acct: GivenAccount, id: string, body: unknown, auth: Record<string, string>) =>
    t.http
      .patch(`${acct.base}/users/${id}`)
      .set(auth)
      .send(body as object);
  const stored = async (id: string): Promise<User> =>
    (await t.ds.getRepository(User).findOneBy({ id }))!;
  const tokenCount = async (userId: string): Promise<number> =>
    Number(
      (await t.ds.query(`SELECT count(*)::int AS n FROM tokens WHERE bearer_id = $1`, [userId]))[0]
        .n,
    );
  const adminsRequired = (detail: string) => ({
    title: 'Unprocessable resource',
    detail,
    code: 'ACCOUNT_ADMINS_REQUIRED',
    source: { pointer: '/data/relationships/account' },
    links: { about: 'https://keygen.sh/docs/api/users/#users-object-relationships-account' },
  });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('updates names and fires user.updated', async () => {
      const u = await g.user(a.account);
      const before = t.events.named('user.updated', a.id).length;
      t.clock.advance(5000);
      try {
        const res = await patch(
          a,
          u.user.id,
          userDoc({ firstName: 'Mr.', lastName: 'Robot' }, { id: u.user.id }),
          a.auth,
        ).expect(200);
        expectSigned(res);
        expect(res.body.data.attributes).toMatchObject({
          fullName: 'Mr. Robot',
          firstName: 'Mr.',
          lastName: 'Robot',
        });
        expect(new Date(res.body.data.attributes.updated).getTime()).toBeGreaterThan(
          u.user.updatedAt.getTime(),
        );
        expect(res.body.data.attributes.created).toBe(u.user.createdAt.toISOString());
      } finally {
        t.clock.reset();
      }
      const events = t.events.named('user.updated', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource.id).toBe(u.user.id);
    });

    it('looks the user up by e-mail, case-insensitively', async () => {
      const u = await g.user(a.account);
      const res = await patch(
        a,
        u.user.email.toUpperCase(),
        userDoc({ lastName: 'Upper' }),
        a.auth,
      ).expect(200);
      expect(res.body.data.id).toBe(u.user.id);
    });

    it('normalises a new e-mail and allows re-casing your own', async () => {
      const u = await g.user(a.account);
      const res = await patch(
        a,
        u.user.id,
        userDoc({ email: `  ${u.user.email.toUpperCase()} ` }),
        a.auth,
      ).expect(200);
      expect(res.body.data.attributes.email).toBe(u.user.email);
      const fresh = email('New');
      const res2 = await patch(a, u.user.id, userDoc({ email: fresh }), a.auth).expect(200);
      expect(res2.body.data.attributes.email).toBe(fresh.toLowerCase());
    });

    it('lets an admin update itself', async () => {
      const admin = await g.user(a.account, { role: 'admin' });
      const res = await patch(
        a,
        admin.user.id,
        userDoc({ firstName: 'Elliot' }),
        admin.auth,
      ).expect(200);
      expect(res.body.data.attributes.firstName).toBe('Elliot');
    });

    it.each(['developer', 'sales-agent'] as const)('lets a %s update a user', async (role) => {
      const staff = await g.user(a.account, { role });
      const u = await g.user(a.account);
      await patch(a, u.user.id, userDoc({ firstName: 'Staffed' }), staff.auth).expect(200);
    });

    it('lets a user update its own names and e-mail', async () => {
      const u = await g.user(a.account);
      const res = await patch(
        a,
        u.user.id,
        userDoc({ firstName: 'Self', email: email('self') }),
        u.auth,
      ).expect(200);
      expect(res.body.data.attributes.firstName).toBe('Self');
    });

    it('lets an environment update a user of its environment', async () => {
      const env = await g.environment(a.account);
      const u = await g.user(a.account, { environment: env.environment });
      const res = await patch(
        a,
        u.user.id,
        userDoc({ firstName: 'Isolated Robot', metadata: { a: 1 } }),
        env.auth,
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        firstName: 'Isolated Robot',
        metadata: { a: 1 },
      });
    });

    it('clears names with null and ignores a null metadata', async () => {
      const u = await g.user(a.account, {
        firstName: 'A',
        lastName: 'B',
        metadata: { keep: true },
      });
      const res = await patch(
        a,
        u.user.id,
        userDoc({ firstName: null, metadata: null }),
        a.auth,
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        firstName: null,
        lastName: 'B',
        fullName: null,
        metadata: { keep: true },
      });
    });

    it('replaces metadata as a whole', async () => {
      const u = await g.user(a.account, { metadata: { old: 1 } });
      const res = await patch(
        a,
        u.user.id,
        userDoc({ metadata: { customerId: 'cust_1', array: ['foo', { key: 'value' }] } }),
        a.auth,
      ).expect(200);
      expect(res.body.data.attributes.metadata).toEqual({
        customerId: 'cust_1',
        array: ['foo', { key: 'value' }],
      });
      const sixtyFour = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`key${i}`, i]));
      await patch(a, u.user.id, userDoc({ metadata: sixtyFour }), a.auth).expect(200);
    });

    it('lets an admin set and remove a password', async () => {
      const u = await g.user(a.account);
      await patch(a, u.user.id, userDoc({ password: 'new-password' }), a.auth).expect(200);
      expect(await verifyPassword('new-password', (await stored(u.user.id)).passwordDigest!)).toBe(
        true,
      );
      await patch(a, u.user.id, userDoc({ password: null }), a.auth).expect(200);
      expect((await stored(u.user.id)).passwordDigest).toBeNull();
    });

    it('sets permissions, including none', async () => {
      const u = await g.user(a.account);
      const res = await patch(
        a,
        u.user.id,
        userDoc({ permissions: ['license.validate'] }),
        a.auth,
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        permissions: ['license.validate'],
        role: 'user',
      });
      const res2 = await patch(a, u.user.id, userDoc({ permissions: [] }), a.auth).expect(200);
      expect(res2.body.data.attributes.permissions).toEqual([]);
    });

    it.each(['admin', 'developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'promotes a user to %s keeping only permissions the role grants by default',
      async (role) => {
        const u = await g.user(a.account, {
          permissions: ['license.read', 'policy.read', 'user.read'],
        });
        const res = await patch(a, u.user.id, userDoc({ role }), a.auth).expect(200);
        const keep = ['license.read', 'policy.read', 'user.read'].filter((p) =>
          DEFAULT_PERMISSIONS[role].includes(p),
        );
        expect(res.body.data.attributes).toMatchObject({ role, permissions: keep });
        expect(await tokenCount(u.user.id)).toBe(0);
      },
    );

    it('keeps the wildcard across a role change and lets explicit permissions win', async () => {
      const u = await g.user(a.account, { permissions: ['*', 'license.read'] });
      const res = await patch(a, u.user.id, userDoc({ role: 'developer' }), a.auth).expect(200);
      expect(res.body.data.attributes.permissions).toEqual(['*']);
      const res2 = await patch(
        a,
        u.user.id,
        userDoc({ role: 'user', permissions: ['machine.read'] }),
        a.auth,
      ).expect(200);
      expect(res2.body.data.attributes).toMatchObject({
        role: 'user',
        permissions: ['machine.read'],
      });
    });

    it('narrows permissions when the same role is re-assigned, without revoking tokens', async () => {
      const u = await g.user(a.account, { permissions: ['license.read', 'policy.read'] });
      const res = await patch(a, u.user.id, userDoc({ role: 'user' }), a.auth).expect(200);
      expect(res.body.data.attributes.permissions).toEqual(['license.read']);
      expect(await tokenCount(u.user.id)).toBe(1);
    });

    it("demotes another admin, revoking that admin's tokens only", async () => {
      const other = await g.user(a.account, { role: 'admin' });
      await g.token(a.account, {
        type: 'users',
        id: other.user.id,
        role: 'admin',
        environmentId: null,
      });
      const mine = await tokenCount(a.admin.id);
      const res = await patch(a, other.user.id, userDoc({ role: 'user' }), a.auth).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        role: 'user',
        permissions: [...DEFAULT_PERMISSIONS.user].sort(),
      });
      expect(await tokenCount(other.user.id)).toBe(0);
      expect(await tokenCount(a.admin.id)).toBe(mine);
    });

    it('demotes yourself when another admin exists, keeping the current token', async () => {
      const self = await g.user(a.account, { role: 'admin' });
      await g.token(a.account, {
        type: 'users',
        id: self.user.id,
        role: 'admin',
        environmentId: null,
      });
      expect(await tokenCount(self.user.id)).toBe(2);
      await patch(a, self.user.id, userDoc({ role: 'user' }), self.auth).expect(200);
      expect(await tokenCount(self.user.id)).toBe(1);
      await t.http.get(`${a.base}/users/${self.user.id}`).set(self.auth).expect(200);
    });

    it('counts admins account-wide: the sole admin of an environment may demote itself', async () => {
      const env = await g.environment(a.account);
      const envAdmin = await g.user(a.account, { role: 'admin', environment: env.environment });
      const res = await patch(a, envAdmin.user.id, userDoc({ role: 'user' }), {
        ...envAdmin.auth,
        'Keygen-Environment': env.environment.code,
      }).expect(200);
      expect(res.body.data.attributes.role).toBe('user');
    });

    it("updates an admin's permissions with admin.update", async () => {
      const limited = await g.user(a.account, {
        role: 'admin',
        permissions: [
          'admin.update',
          'admin.read',
          'user.update',
          'user.read',
          'license.read',
          'license.validate',
          'machine.read',
        ],
      });
      const target = await g.user(a.account, { role: 'admin' });
      const res = await patch(
        a,
        target.user.id,
        userDoc({ permissions: ['license.read', 'machine.read'] }),
        limited.auth,
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        role: 'admin',
        permissions: ['license.read', 'machine.read'],
      });
    });

    it('narrows your own admin permissions when another full admin exists, or widens them to *', async () => {
      const self = await g.user(a.account, { role: 'admin' });
      const res = await patch(a, self.user.id, userDoc({ permissions: ['*'] }), self.auth).expect(
        200,
      );
      expect(res.body.data.attributes.permissions).toEqual(['*']);
      const res2 = await patch(
        a,
        self.user.id,
        userDoc({ permissions: ['license.read', 'machine.read'] }),
        self.auth,
      ).expect(200);
      expect(res2.body.data.attributes.permissions).toEqual(['license.read', 'machine.read']);
    });

    it('drops a null role and accepts (ignores) data.id', async () => {
      const u = await g.user(a.account);
      const res = await patch(
        a,
        u.user.id,
        userDoc({ role: null }, { id: 'anything' }),
        a.auth,
      ).expect(200);
      expect(res.body.data.attributes.role).toBe('user');
    });
  });

  describe('400', () => {
    let u: GivenUser;
    beforeAll(async () => {
      u = await g.user(a.account);
    });

    it.each<[string, Record<string, unknown>]>([
      ['role', { role: 'admin' }],
      ['password', { password: '1n53cur3!' }],
      ['metadata', { metadata: { customerId: 'x' } }],
      ['permissions', { permissions: ['license.read'] }],
      ['an empty role', { role: '' }],
    ])('refuses %s from a user updating itself', async (_name, attrs) => {
      const res = await patch(a, u.user.id, userDoc(attrs), u.auth).expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'unpermitted parameter',
          source: { pointer: `/data/attributes/${Object.keys(attrs)[0]}` },
        },
      ]);
    });

    it.each(['mod', 'product', 'license', 'read_only'])('refuses the role %s', async (role) => {
      const res = await patch(a, u.user.id, userDoc({ role }), a.auth).expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'is invalid',
          source: { pointer: '/data/attributes/role' },
        },
      ]);
    });

    it('refuses a role from a developer and a password from a sales agent', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      const r1 = await patch(a, u.user.id, userDoc({ role: 'admin' }), dev.auth).expect(400);
      expect(r1.body.errors[0].source).toEqual({ pointer: '/data/attributes/role' });
      const sales = await g.user(a.account, { role: 'sales-agent' });
      const r2 = await patch(
        a,
        u.user.id,
        userDoc({ password: 'new-password' }),
        sales.auth,
      ).expect(400);
      expect(r2.body.errors[0].source).toEqual({ pointer: '/data/attributes/password' });
    });

    it.each<[string, unknown, string, string]>([
      [
        'an unknown attribute',
        userDoc({ nickname: 'x' }),
        'unpermitted parameter',
        '/data/attributes/nickname',
      ],
      [
        'a wrong type',
        userDoc({ email: ['x'] }),
        'type mismatch (received array expected string)',
        '/data/attributes/email',
      ],
      ['a blank e-mail', userDoc({ email: '' }), 'cannot be blank', '/data/attributes/email'],
      [
        'relationships',
        userDoc({}, { relationships: { group: { data: null } } }),
        'unpermitted parameter',
        '/data/relationships',
      ],
      [
        'a wrong data.type',
        userDoc({ firstName: 'x' }, { type: 'user-things' }),
        'is invalid',
        '/data/type',
      ],
      ['a missing data', {}, 'is missing', '/data'],
      [
        'permissions that are not strings',
        userDoc({ permissions: [1] }),
        'type mismatch (received integer expected string)',
        '/data/attributes/permissions/0',
      ],
      [
        'too deep metadata',
        userDoc({ metadata: { array: [{ foo: 1 }, { baz: [3] }] } }),
        'maximum depth of 2 exceeded',
        '/data/attributes/metadata/array/1/baz',
      ],
    ])('rejects %s', async (_name, body, detail, pointer) => {
      const res = await patch(a, u.user.id, body, a.auth).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
    });
  });

  describe('401', () => {
    it("rejects another account's admin", async () => {
      const other = await g.account();
      const u = await g.user(a.account);
      const res = await patch(a, u.user.id, userDoc({ lastName: 'x' }), other.auth).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });
  });

  describe('403', () => {
    it('refuses a support agent', async () => {
      const support = await g.user(a.account, { role: 'support-agent' });
      const u = await g.user(a.account);
      const res = await patch(a, u.user.id, userDoc({ firstName: 'x' }), support.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: FORBIDDEN_BEARER }]);
    });

    it('refuses a read-only user', async () => {
      const ro = await g.user(a.account, { role: 'read-only' });
      const u = await g.user(a.account);
      const res = await patch(a, u.user.id, userDoc({ firstName: 'x' }), ro.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (read only lacks permission to perform action)`,
      );
    });

    it('refuses a sales agent updating an admin', async () => {
      const sales = await g.user(a.account, { role: 'sales-agent' });
      const res = await patch(a, a.admin.id, userDoc({ firstName: 'x' }), sales.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (sales agent lacks privileges to perform action on user)`,
      );
    });

    it('refuses an environment updating staff of its environment', async () => {
      const env = await g.environment(a.account);
      const dev = await g.user(a.account, { role: 'developer', environment: env.environment });
      const res = await patch(a, dev.user.id, userDoc({ firstName: 'x' }), env.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(FORBIDDEN_BEARER);
    });

    it('refuses an admin without admin.update updating an admin', async () => {
      const limited = await g.user(a.account, {
        role: 'admin',
        permissions: ['user.update', 'user.read', 'license.read', 'machine.read'],
      });
      const target = await g.user(a.account, { role: 'admin' });
      const res = await patch(
        a,
        target.user.id,
        userDoc({ permissions: ['license.read'] }),
        limited.auth,
      ).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (admin lacks permission to perform action)`,
      );
    });

    it('refuses a limited admin escalating itself or another admin', async () => {
      const limited = await g.user(a.account, {
        role: 'admin',
        permissions: ['admin.read', 'admin.update', 'user.create', 'user.update'],
      });
      const target = await g.user(a.account, { role: 'admin' });
      const wanted = ['admin.create', 'admin.read', 'admin.update', 'admin.delete'];
      for (const id of [limited.user.id, target.user.id]) {
        const res = await patch(a, id, userDoc({ permissions: wanted }), limited.auth).expect(403);
        expect(res.body.errors[0].detail).toBe(
          `${FORBIDDEN} (admin lacks privileges to perform action on user)`,
        );
      }
      expect((await stored(limited.user.id)).permissions).toHaveLength(4);
    });

    it('refuses writes to global users from a shared environment', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const u = await g.user(a.account);
      const res = await patch(a, u.user.id, userDoc({ firstName: 'x' }), env.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        `${FORBIDDEN} (record environment is not compatible with the current environment)`,
      );
    });
  });

  describe('404', () => {
    it('hides other users from a user (before validating the body)', async () => {
      const u = await g.user(a.account);
      const other = await g.user(a.account);
      const res = await patch(a, other.user.id, userDoc({ password: 'h4ck3d!' }), u.auth).expect(
        404,
      );
      expect(res.body.errors).toEqual([
        {
          title: 'Not found',
          detail: `The requested user '${other.user.id}' was not found`,
          code: 'NOT_FOUND',
        },
      ]);
    });

    it("does not find another account's user", async () => {
      const other = await g.account();
      await patch(a, other.admin.id, userDoc({ firstName: 'x' }), a.auth).expect(404);
    });
  });

  describe('422', () => {
    it('refuses demoting the last admin and keeps its tokens', async () => {
      const solo = await g.account();
      const res = await patch(solo, solo.admin.id, userDoc({ role: 'user' }), solo.auth).expect(
        422,
      );
      expectSigned(res);
      expect(res.body.errors).toEqual([adminsRequired('account must have at least 1 admin user')]);
      expect((await stored(solo.admin.id)).role).toBe('admin');
      expect(await tokenCount(solo.admin.id)).toBe(1);
    });

    it('refuses narrowing the permissions of the only admin', async () => {
      const solo = await g.account();
      const res = await patch(
        solo,
        solo.admin.id,
        userDoc({ permissions: ['license.read', 'machine.read'] }),
        solo.auth,
      ).expect(422);
      expect(res.body.errors).toEqual([
        adminsRequired('account must have at least 1 admin user with a full permission set'),
      ]);
    });

    it('refuses narrowing your permissions when no other admin holds a full set', async () => {
      const acct = await g.account();
      await t.ds
        .getRepository(User)
        .update({ id: acct.admin.id }, { permissions: ['user.read', 'license.read'] });
      const me = await g.user(acct.account, { role: 'admin' });
      const res = await patch(
        acct,
        me.user.id,
        userDoc({ permissions: ['license.read', 'machine.read'] }),
        me.auth,
      ).expect(422);
      expect(res.body.errors[0].detail).toBe(
        'account must have at least 1 admin user with a full permission set',
      );
    });

    it('validates attributes', async () => {
      const u = await g.user(a.account);
      const taken = await g.user(a.account);
      const res = await patch(
        a,
        u.user.id,
        userDoc({ email: taken.user.email, password: 'short', lastName: 'l'.repeat(256) }),
        a.auth,
      ).expect(422);
      expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual([
        'EMAIL_TAKEN',
        'PASSWORD_TOO_SHORT',
        'LAST_NAME_TOO_LONG',
      ]);
      const res2 = await patch(a, u.user.id, userDoc({ email: 'nope' }), a.auth).expect(422);
      expect(res2.body.errors[0]).toMatchObject({
        code: 'EMAIL_INVALID',
        source: { pointer: '/data/attributes/email' },
      });
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`key${i}`, i]));
      const res3 = await patch(a, u.user.id, userDoc({ metadata }), a.auth).expect(422);
      expect(res3.body.errors[0].code).toBe('METADATA_TOO_LONG');
    });

    it('refuses permissions outside the role or unknown', async () => {
      const u = await g.user(a.account);
      for (const permissions of [['admin.create'], ['foo.bar'], ['license.read', 'license.read']]) {
        const res = await patch(a, u.user.id, userDoc({ permissions }), a.auth).expect(422);
        expect(res.body.errors).toEqual([
          {
            title: 'Unprocessable resource',
            detail: 'unsupported permissions',
            code: 'PERMISSIONS_NOT_ALLOWED',
            source: { pointer: '/data/attributes/permissions' },
            links: { about: 'https://keygen.sh/docs/api/users/#users-object-attrs-permissions' },
          },
        ]);
      }
      expect((await stored(u.user.id)).permissions).toHaveLength(DEFAULT_PERMISSIONS.user.length);
      expect(ALL_PERMISSIONS).toContain('admin.create');
    });
  });
});
