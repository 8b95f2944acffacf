import { verifyPassword } from '@libs/crypto';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { Environment } from '@app/modules/environments/environment.entity';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const GENERIC_403 =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';
const forbidden = (reason: string) =>
  `You do not have permission to complete the request (${reason})`;

let seq = 0;
const code = (prefix = 'env'): string => `${prefix}-${Date.now().toString(36)}-${seq++}`;

interface AdminInput {
  type?: string;
  attributes: Record<string, unknown>;
}

const body = (attributes: Record<string, unknown>, admins?: AdminInput[]) => ({
  data: {
    type: 'environments',
    attributes,
    ...(admins
      ? { relationships: { admins: { data: admins.map((a) => ({ type: 'user', ...a })) } } }
      : {}),
  },
});

describe('POST /v1/accounts/:account/environments', () => {
  let t: TestApp;
  let a: GivenAccount;
  const path = () => `${a.base}/environments`;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const countAdmins = () => t.ds.getRepository(User).countBy({ accountId: a.id, role: 'admin' });

  describe('201', () => {
    it('creates an isolated environment by default, with Location and the created event', async () => {
      const c = code();
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'Test Environment', code: c }))
        .expect(201);
      const id = res.body.data.id as string;
      expect(res.body).toEqual({
        data: {
          id,
          type: 'environments',
          attributes: {
            name: 'Test Environment',
            code: c,
            isolationStrategy: 'ISOLATED',
            created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
            updated: res.body.data.attributes.created,
          },
          relationships: {
            account: {
              links: { related: `/v1/accounts/${a.id}` },
              data: { type: 'accounts', id: a.id },
            },
          },
          links: { self: `/v1/accounts/${a.id}/environments/${id}` },
        },
      });
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/environments/${id}`,
      );
      expect(res.headers['keygen-environment']).toBeUndefined();
      const events = t.events.named('environment.created', a.id);
      expect(events.map((e) => e.resource.id)).toContain(id);
      expect(await t.ds.getRepository(Environment).findOneBy({ id })).toMatchObject({
        code: c,
        accountId: a.id,
      });
    });

    it('creates a shared environment', async () => {
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'Shared', code: code(), isolationStrategy: 'SHARED' }))
        .expect(201);
      expect(res.body.data.attributes.isolationStrategy).toBe('SHARED');
    });

    it('accepts the singular type and an explicit ISOLATED strategy', async () => {
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send({
          data: {
            type: 'environment',
            attributes: { name: 'Iso', code: 'ISOLATED-X', isolationStrategy: 'ISOLATED' },
          },
        })
        .expect(201);
      expect(res.body.data.attributes).toMatchObject({
        code: 'ISOLATED-X',
        isolationStrategy: 'ISOLATED',
      });
    });

    it('lets a developer create one', async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      await t.http
        .post(path())
        .set(dev.auth)
        .send(body({ name: 'Dev', code: code() }))
        .expect(201);
    });

    it('creates the embedded admins as admin users of the new environment', async () => {
      const before = await countAdmins();
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(
          body({ name: 'With admins', code: code(), isolationStrategy: 'SHARED' }, [
            {
              type: 'users',
              attributes: {
                email: ' Admin@Shared.Example ',
                password: '$ecr3t',
                firstName: 'Ada',
                metadata: { teamName: 'ops' },
              },
            },
            { type: 'users', attributes: { email: `dev-${seq++}@shared.example`, role: 'admin' } },
          ]),
        )
        .expect(201);
      const envId = res.body.data.id as string;
      expect(await countAdmins()).toBe(before + 2);
      const [first, second] = await t.ds
        .getRepository(User)
        .find({ where: { accountId: a.id, environmentId: envId }, order: { email: 'ASC' } });
      expect(first).toMatchObject({
        email: 'admin@shared.example',
        role: 'admin',
        firstName: 'Ada',
        lastName: null,
        metadata: { team_name: 'ops' },
        environmentId: envId,
      });
      expect([...first.permissions].sort()).toEqual([...DEFAULT_PERMISSIONS.admin].sort());
      expect(await verifyPassword('$ecr3t', first.passwordDigest!)).toBe(true);
      expect(second).toMatchObject({ role: 'admin', passwordDigest: null });
      // Founding admins are not announced separately.
      expect(
        t.events.named('user.created', a.id).filter((e) => e.resource.id === first.id),
      ).toHaveLength(0);
    });

    it('accepts exactly 10 admins', async () => {
      const admins = Array.from({ length: 10 }, (_, i) => ({
        attributes: { email: `ten-${seq}-${i}@example.com` },
      }));
      seq++;
      await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'Ten', code: code() }, admins))
        .expect(201);
    });

    it('treats a blank admin password as passwordless', async () => {
      const email = `blank-${seq++}@example.com`;
      await t.http
        .post(path())
        .set(a.auth)
        .send(
          body({ name: 'Blank', code: code() }, [
            { attributes: { email, password: '', firstName: null } },
          ]),
        )
        .expect(201);
      expect(await t.ds.getRepository(User).findOneBy({ accountId: a.id, email })).toMatchObject({
        passwordDigest: null,
      });
    });
  });

  describe('400', () => {
    const cases: Array<[string, unknown, string, string]> = [
      ['a missing code', body({ name: 'CI/CD' }), 'is missing', '/data/attributes/code'],
      ['a missing name', body({ code: 'x1' }), 'is missing', '/data/attributes/name'],
      ['missing attributes', { data: { type: 'environments' } }, 'is missing', '/data/attributes'],
      ['a missing data', {}, 'is missing', '/data'],
      [
        'an empty code',
        body({ name: 'Empty', code: '' }),
        'cannot be blank',
        '/data/attributes/code',
      ],
      [
        'a blank name',
        body({ name: '  ', code: 'blank-name' }),
        'cannot be blank',
        '/data/attributes/name',
      ],
      [
        'a non-string code',
        body({ name: 'N', code: 42 }),
        'type mismatch (received integer expected string)',
        '/data/attributes/code',
      ],
      [
        'a wrong type',
        { data: { type: 'users', attributes: { name: 'N', code: 'n' } } },
        'is invalid',
        '/data/type',
      ],
      [
        'a client id',
        {
          data: {
            type: 'environments',
            id: '4d4b1ac1-8f4c-4e0c-9b59-0f0b9d6c1c2a',
            attributes: { name: 'N', code: 'n' },
          },
        },
        'unpermitted parameter',
        '/data/id',
      ],
      [
        'an unknown attribute',
        body({ name: 'N', code: 'n', color: 'red' }),
        'unpermitted parameter',
        '/data/attributes/color',
      ],
      [
        'an empty isolation strategy',
        body({ name: 'N', code: 'n', isolationStrategy: '' }),
        'cannot be blank',
        '/data/attributes/isolationStrategy',
      ],
      [
        'relationships without admins',
        { data: { type: 'environments', attributes: { name: 'N', code: 'n' }, relationships: {} } },
        'is missing',
        '/data/relationships/admins',
      ],
      [
        'an admin without an email',
        body({ name: 'N', code: 'n' }, [{ attributes: { password: 'secret1' } }]),
        'is missing',
        '/data/relationships/admins/data/0/attributes/email',
      ],
      [
        'an admin with a non-admin role',
        body({ name: 'N', code: 'n' }, [{ attributes: { email: 'r@example.com', role: 'user' } }]),
        'is invalid',
        '/data/relationships/admins/data/0/attributes/role',
      ],
      [
        'an admin of the wrong type',
        body({ name: 'N', code: 'n' }, [
          { type: 'products', attributes: { email: 'p@example.com' } },
        ]),
        'is invalid',
        '/data/relationships/admins/data/0/type',
      ],
      [
        'an unknown relationship',
        {
          data: {
            type: 'environments',
            attributes: { name: 'N', code: 'n' },
            relationships: { account: { data: null } },
          },
        },
        'unpermitted parameter',
        '/data/relationships/account',
      ],
    ];

    it.each(cases)('rejects %s', async (_label, payload, detail, pointer) => {
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(payload as object)
        .expect(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [{ title: 'Bad request', detail, source: { pointer } }],
      });
    });

    it('validates the body before authorizing (400 beats 403 on create)', async () => {
      const sales = await given(t).user(a.account, { role: 'sales-agent' });
      const res = await t.http
        .post(path())
        .set(sales.auth)
        .send(body({ name: 'N' }))
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({
        detail: 'is missing',
        source: { pointer: '/data/attributes/code' },
      });
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http
        .post(path())
        .send(body({ name: 'Oof', code: 'oof' }))
        .expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_MISSING' });
    });

    it("rejects another account's admin", async () => {
      const other = await given(t).account();
      const res = await t.http
        .post(path())
        .set(other.auth)
        .send(body({ name: 'P', code: 'production' }))
        .expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_INVALID' });
    });
  });

  describe('403', () => {
    it.each([
      ['sales-agent', GENERIC_403],
      ['support-agent', GENERIC_403],
      ['read-only', forbidden('read only lacks permission to perform action')],
      ['user', forbidden('user lacks permission to perform action')],
    ] as const)('denies a %s', async (role, detail) => {
      const u = await given(t).user(a.account, { role });
      const c = code();
      const res = await t.http
        .post(path())
        .set(u.auth)
        .send(body({ name: 'Nope', code: c }))
        .expect(403);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [{ title: 'Access denied', detail }],
      });
      expect(await t.ds.getRepository(Environment).countBy({ accountId: a.id, code: c })).toBe(0);
    });

    it('denies an environment bearer (it lacks environment.create)', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http
        .post(path())
        .set(env.auth)
        .send(body({ name: 'Other', code: code() }))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        forbidden('environment lacks permission to perform action'),
      );
    });

    it("denies an isolated environment's own admin (not from the global environment)", async () => {
      const env = await given(t).environment(a.account);
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      const res = await t.http
        .post(path())
        .set({ ...admin.auth, 'Keygen-Environment': env.environment.code })
        .send(body({ name: 'Nested', code: code() }))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        forbidden('record is not compatible with the current environment'),
      );
    });

    it('denies a global admin working inside a shared environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .post(path())
        .set({ ...a.auth, 'Keygen-Environment': env.environment.code })
        .send(body({ name: 'Nested', code: code() }))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        forbidden('record is not compatible with the current environment'),
      );
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
    });

    it('denies a token without environment.create', async () => {
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['environment.read'] },
      );
      const res = await t.http
        .post(path())
        .set('Authorization', `Bearer ${tok.raw}`)
        .send(body({ name: 'T', code: code() }))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(forbidden('token lacks permission to perform action'));
    });
  });

  describe('409', () => {
    it('conflicts when two embedded admins share an email', async () => {
      const email = `twin-${seq++}@example.com`;
      const c = code();
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(
          body({ name: 'Twins', code: c }, [
            { attributes: { email } },
            { attributes: { email: email.toUpperCase() } },
          ]),
        )
        .expect(409);
      expect(res.body.errors).toEqual([
        { title: 'Conflict', detail: 'The request could not be completed because of a conflict' },
      ]);
      expect(await t.ds.getRepository(Environment).countBy({ accountId: a.id, code: c })).toBe(0);
    });
  });

  describe('422', () => {
    const about = (hash: string) => ({
      about: `https://keygen.sh/docs/api/environments/#environments-object-${hash}`,
    });
    const attrError = (attr: string, errCode: string, detail: string) => ({
      title: 'Unprocessable resource',
      detail,
      code: errCode,
      source: { pointer: `/data/attributes/${attr}` },
      links: about(`attrs-${attr}`),
    });

    it('rejects a code taken by another environment of the account, case-insensitively', async () => {
      const existing = await given(t).environment(a.account, { code: `Taken-${seq++}` });
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'Dup', code: existing.environment.code.toLowerCase() }))
        .expect(422);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [attrError('code', 'CODE_TAKEN', 'has already been taken')],
      });
    });

    it('allows a code used by another account', async () => {
      const other = await given(t).account();
      const theirs = await given(t).environment(other.account);
      await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'Same', code: theirs.environment.code }))
        .expect(201);
    });

    it.each(['action', 'actions'])('reserves the code %p', async (reserved) => {
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'R', code: reserved }))
        .expect(422);
      expect(res.body.errors).toEqual([attrError('code', 'CODE_NOT_ALLOWED', 'is reserved')]);
    });

    it.each(['4d4b1ac1-8f4c-4e0c-9b59-0f0b9d6c1c2a', '4D4B1AC18F4C4E0C9B590F0B9D6C1C2A'])(
      'rejects the UUID-looking code %p',
      async (uuid) => {
        const res = await t.http
          .post(path())
          .set(a.auth)
          .send(body({ name: 'U', code: uuid }))
          .expect(422);
        expect(res.body.errors).toEqual([attrError('code', 'CODE_INVALID', 'is invalid')]);
      },
    );

    it('rejects an unsupported isolation strategy (case-sensitive)', async () => {
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'I', code: code(), isolationStrategy: 'isolated' }))
        .expect(422);
      expect(res.body.errors).toEqual([
        attrError(
          'isolationStrategy',
          'ISOLATION_STRATEGY_NOT_ALLOWED',
          'unsupported isolation strategy',
        ),
      ]);
    });

    it('reports every invalid attribute, in model order', async () => {
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'n'.repeat(256), code: 'actions', isolationStrategy: 'NOPE' }))
        .expect(422);
      expect(res.body.errors).toEqual([
        attrError('code', 'CODE_NOT_ALLOWED', 'is reserved'),
        attrError('name', 'NAME_TOO_LONG', 'is too long (maximum is 255 characters)'),
        attrError(
          'isolationStrategy',
          'ISOLATION_STRATEGY_NOT_ALLOWED',
          'unsupported isolation strategy',
        ),
      ]);
    });

    it('rejects a code longer than 255 characters', async () => {
      const res = await t.http
        .post(path())
        .set(a.auth)
        .send(body({ name: 'L', code: 'c'.repeat(256) }))
        .expect(422);
      expect(res.body.errors).toEqual([
        attrError('code', 'CODE_TOO_LONG', 'is too long (maximum is 255 characters)'),
      ]);
    });

    describe('embedded admins', () => {
      const adminError = (attr: string, errCode: string, detail: string) => ({
        title: 'Unprocessable resource',
        detail,
        code: errCode,
        source: { pointer: `/data/relationships/users/data/attributes/${attr}` },
        links: about('relationships-users'),
      });

      it('rejects more than 10 admins as too many records (before authorizing)', async () => {
        const admins = Array.from({ length: 11 }, (_, i) => ({
          attributes: { email: `many-${i}@example.com` },
        }));
        const sales = await given(t).user(a.account, { role: 'sales-agent' });
        for (const auth of [a.auth, sales.auth]) {
          const res = await t.http
            .post(path())
            .set(auth)
            .send(body({ name: 'Many', code: code() }, admins))
            .expect(422);
          expect(res.body).toEqual({
            meta: { id: res.headers['x-request-id'] },
            errors: [{ title: 'Unprocessable entity', detail: 'too many records' }],
          });
        }
      });

      it('rejects an email already used in the account (any environment)', async () => {
        const env = await given(t).environment(a.account);
        const existing = await given(t).user(a.account, { environment: env.environment });
        const c = code();
        const res = await t.http
          .post(path())
          .set(a.auth)
          .send(
            body({ name: 'Taken', code: c }, [
              { attributes: { email: existing.user.email.toUpperCase() } },
            ]),
          )
          .expect(422);
        expect(res.body.errors).toEqual([
          adminError('email', 'USERS_EMAIL_TAKEN', 'has already been taken'),
        ]);
        expect(await t.ds.getRepository(Environment).countBy({ accountId: a.id, code: c })).toBe(0);
      });

      it('rejects invalid admin attributes before the environment errors, collapsing duplicates', async () => {
        const res = await t.http
          .post(path())
          .set(a.auth)
          .send(
            body({ name: 'Bad', code: 'action' }, [
              { attributes: { email: 'not-an-email', password: 'short' } },
              { attributes: { email: 'also bad', lastName: 'l'.repeat(256) } },
            ]),
          )
          .expect(422);
        expect(res.body.errors).toEqual([
          adminError('email', 'USERS_EMAIL_INVALID', 'is invalid'),
          adminError(
            'password',
            'USERS_PASSWORD_TOO_SHORT',
            'is too short (minimum is 6 characters)',
          ),
          adminError(
            'lastName',
            'USERS_LAST_NAME_TOO_LONG',
            'is too long (maximum is 255 characters)',
          ),
          attrError('code', 'CODE_NOT_ALLOWED', 'is reserved'),
        ]);
      });
    });
  });
});
