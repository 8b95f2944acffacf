import { DEFAULT_PERMISSIONS, renderPermissions } from '@app/common/auth/permissions';
import type { TokenView } from '@app/modules/tokens/token.entity';
import { bootApp, type TestApp } from '../../support/app';
import { basic, given, type GivenAccount } from '../../support/factories';
import { DAY_MS, ISO_MS, bearer, tokenBody, tokenPattern } from './helpers';

describe('POST /v1/accounts/:account/tokens', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp({ NO_RACK_ATTACK: '1' });
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const url = (): string => `${a.base}/tokens`;

  describe('201', () => {
    it('generates an admin token via basic email:password with Location and the raw value once', async () => {
      const res = await t.http
        .post(url())
        .set('Authorization', basic(a.admin.email, a.adminPassword))
        .expect(201);
      const { data } = res.body;
      expect(data.type).toBe('tokens');
      expect(data.attributes.token).toMatch(tokenPattern('admin'));
      expect(data.attributes.token).toHaveLength(72);
      expect(Object.keys(data.attributes)).toEqual([
        'kind',
        'token',
        'expiry',
        'name',
        'permissions',
        'created',
        'updated',
      ]);
      expect(data.attributes).toMatchObject({
        kind: 'admin-token',
        expiry: null,
        name: null,
        permissions: renderPermissions(DEFAULT_PERMISSIONS.admin),
      });
      expect(data.attributes.created).toMatch(ISO_MS);
      expect(data.relationships).toEqual({
        account: {
          links: { related: `/v1/accounts/${a.id}` },
          data: { type: 'accounts', id: a.id },
        },
        environment: { links: { related: null }, data: null },
        bearer: {
          links: { related: `/v1/accounts/${a.id}/users/${a.admin.id}` },
          data: { type: 'users', id: a.admin.id },
        },
      });
      expect(data.links).toEqual({ self: `/v1/accounts/${a.id}/tokens/${data.id}` });
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/tokens/${data.id}`,
      );
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
      expect(res.headers['keygen-token']).toBeUndefined();

      // the raw value authenticates; reads never show it again
      const show = await t.http
        .get(`${url()}/${data.id}`)
        .set(bearer(data.attributes.token))
        .expect(200);
      expect(show.body.data.attributes.token).toBeUndefined();
      expect(show.headers['keygen-token']).toBe(data.id);
    });

    it('generates a token via token authentication and emits token.generated without the raw value', async () => {
      const res = await t.http.post(url()).set(a.auth).expect(201);
      expect(res.body.data.attributes).toMatchObject({ kind: 'admin-token', expiry: null });
      const events = t.events
        .named('token.generated', a.id)
        .filter((e) => e.resource.id === res.body.data.id);
      expect(events).toHaveLength(1);
      expect(events[0].resource.type).toBe('tokens');
      expect((events[0].resource.record as TokenView).raw).toBeUndefined();
    });

    it('accepts a name and an explicit expiry as an ISO string', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(
          tokenBody({ attributes: { name: 'Client Token', expiry: '2531-01-01T00:00:00.000Z' } }),
        )
        .expect(201);
      expect(res.body.data.attributes).toMatchObject({
        name: 'Client Token',
        expiry: '2531-01-01T00:00:00.000Z',
      });
    });

    it('accepts an expiry as epoch seconds and past values', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ attributes: { expiry: 946684800 } }))
        .expect(201);
      expect(res.body.data.attributes.expiry).toBe('2000-01-01T00:00:00.000Z');
    });

    it('accepts the singular type and camelCase keys', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send({ data: { type: 'token', attributes: { name: 'x' } } })
        .expect(201);
      expect(res.body.data.attributes.name).toBe('x');
    });

    it('gives user tokens a 14 day expiry by default', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url())
        .set('Authorization', basic(u.user.email, u.password))
        .expect(201);
      expect(res.body.data.attributes.kind).toBe('user-token');
      expect(res.body.data.attributes.token).toMatch(tokenPattern('user'));
      const expiry = Date.parse(res.body.data.attributes.expiry);
      expect(Math.abs(expiry - (t.clock.now().getTime() + 14 * DAY_MS))).toBeLessThan(5_000);
      expect(res.body.data.attributes.permissions).toEqual(
        renderPermissions(DEFAULT_PERMISSIONS.user),
      );
    });

    it('lets a user opt out of the default expiry with null', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url())
        .set('Authorization', basic(u.user.email, u.password))
        .send(tokenBody({ attributes: { expiry: null } }))
        .expect(201);
      expect(res.body.data.attributes.expiry).toBeNull();
    });

    it.each([
      ['developer', 'developer-token', 'dev'],
      ['sales-agent', 'sales-token', 'sales'],
      ['support-agent', 'support-token', 'spprt'],
      ['read-only', 'read-only-token', 'read'],
    ] as const)(
      'lets a %s generate a %s with the %s prefix and no expiry',
      async (role, kind, prefix) => {
        const u = await given(t).user(a.account, { role });
        const res = await t.http
          .post(url())
          .set('Authorization', basic(u.user.email, u.password))
          .expect(201);
        expect(res.body.data.attributes).toMatchObject({ kind, expiry: null });
        expect(res.body.data.attributes.token).toMatch(tokenPattern(prefix));
      },
    );

    it('shows the bearer permissions for a wildcard token of a user with custom permissions', async () => {
      const u = await given(t).user(a.account, {
        permissions: ['token.generate', 'license.read', 'license.validate'],
      });
      const res = await t.http
        .post(url())
        .set('Authorization', basic(u.user.email, u.password))
        .expect(201);
      expect(res.body.data.attributes.permissions).toEqual([
        'license.read',
        'license.validate',
        'token.generate',
      ]);
    });

    it('stores custom token permissions within the bearer set', async () => {
      const res = await t.http
        .post(url())
        .set('Authorization', basic(a.admin.email, a.adminPassword))
        .send({ data: { type: 'token', attributes: { permissions: ['license.validate'] } } })
        .expect(201);
      expect(res.body.data.attributes.permissions).toEqual(['license.validate']);
    });

    it('accepts an empty permission list', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ attributes: { permissions: [] } }))
        .expect(201);
      expect(res.body.data.attributes.permissions).toEqual([]);
    });

    it('lets a user ask for a subset of its permissions', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url())
        .set(u.auth)
        .send(tokenBody({ attributes: { permissions: ['license.validate'] } }))
        .expect(201);
      expect(res.body.data.attributes.permissions).toEqual(['license.validate']);
    });

    it('lets an admin generate a token for a user-role user, with the user default expiry', async () => {
      t.clock.freeze(new Date('2023-03-24T00:00:00.000Z'));
      try {
        const u = await given(t).user(a.account);
        const res = await t.http
          .post(url())
          .set(a.auth)
          .send(
            tokenBody({
              attributes: { name: 'User Token' },
              relationships: { bearer: { data: { type: 'user', id: u.user.id } } },
            }),
          )
          .expect(201);
        expect(res.body.data.attributes).toMatchObject({
          kind: 'user-token',
          name: 'User Token',
          expiry: '2023-04-07T00:00:00.000Z',
        });
        expect(res.body.data.relationships.bearer).toEqual({
          links: { related: `/v1/accounts/${a.id}/users/${u.user.id}` },
          data: { type: 'users', id: u.user.id },
        });
      } finally {
        t.clock.reset();
      }
    });

    it('lets a developer generate a token for a user and for itself', async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const u = await given(t).user(a.account);
      await t.http
        .post(url())
        .set(dev.auth)
        .send(tokenBody({ relationships: { bearer: { data: { type: 'users', id: u.user.id } } } }))
        .expect(201);
      const own = await t.http
        .post(url())
        .set(dev.auth)
        .send(
          tokenBody({ relationships: { bearer: { data: { type: 'users', id: dev.user.id } } } }),
        )
        .expect(201);
      expect(own.body.data.attributes.kind).toBe('developer-token');
    });

    it('lets an environment generate its own token and tokens for its users', async () => {
      const env = await given(t).environment(a.account);
      const own = await t.http.post(url()).set(env.auth).expect(201);
      expect(own.body.data.attributes).toMatchObject({ kind: 'environment-token', expiry: null });
      expect(own.body.data.attributes.token).toMatch(tokenPattern('env'));
      expect(own.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
      expect(own.headers['keygen-environment']).toBe(env.environment.code);

      const u = await given(t).user(a.account, { environment: env.environment });
      const forUser = await t.http
        .post(url())
        .set(env.auth)
        .send(tokenBody({ relationships: { bearer: { data: { type: 'users', id: u.user.id } } } }))
        .expect(201);
      expect(forUser.body.data.attributes.kind).toBe('user-token');
      expect(forUser.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });
  });

  describe('environments', () => {
    it('puts a token generated inside an isolated environment in that environment', async () => {
      const env = await given(t).environment(a.account);
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      const res = await t.http
        .post(url())
        .set('Authorization', basic(admin.user.email, admin.password))
        .set('Keygen-Environment', env.environment.code)
        .send(tokenBody({ attributes: { name: 'Isolated Token' } }))
        .expect(201);
      expect(res.body.data.relationships.environment).toEqual({
        links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
        data: { type: 'environments', id: env.environment.id },
      });
      expect(res.headers['keygen-environment']).toBe(env.environment.code);
    });

    it('lets a global admin log into an isolated environment and get a token there', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http
        .post(url())
        .set('Authorization', basic(a.admin.email, a.adminPassword))
        .set('Keygen-Environment', env.environment.code)
        .expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
      expect(res.body.data.relationships.bearer.data).toEqual({ type: 'users', id: a.admin.id });
    });

    it('lets a global admin target an environment from the global environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(
          tokenBody({
            relationships: {
              environment: { data: { type: 'environments', id: env.environment.id } },
            },
          }),
        )
        .expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
      expect(res.headers['keygen-environment']).toBeUndefined();
    });

    it('forbids a global token from inside a shared environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .post(url())
        .set(a.auth)
        .set('Keygen-Environment', env.environment.code)
        .send(tokenBody({ relationships: { environment: { data: null } } }))
        .expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (record environment is not compatible with the current environment)',
        },
      ]);
    });

    it('forbids a token for another environment from inside an isolated environment', async () => {
      const env = await given(t).environment(a.account);
      const other = await given(t).environment(a.account);
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      const res = await t.http
        .post(url())
        .set('Authorization', basic(admin.user.email, admin.password))
        .set('Keygen-Environment', env.environment.code)
        .send(
          tokenBody({
            relationships: {
              environment: { data: { type: 'environments', id: other.environment.id } },
            },
          }),
        )
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (record environment is not compatible with the current environment)',
      );
    });

    it('rejects a shared admin logging into an isolated environment', async () => {
      const isolated = await given(t).environment(a.account);
      const shared = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const admin = await given(t).user(a.account, {
        role: 'admin',
        environment: shared.environment,
      });
      const res = await t.http
        .post(url())
        .set('Authorization', basic(admin.user.email, admin.password))
        .set('Keygen-Environment', isolated.environment.code)
        .expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'EMAIL_INVALID' });
      expect(res.headers['keygen-environment']).toBe(isolated.environment.code);
    });

    it('reports an unknown environment id as ENVIRONMENT_NOT_FOUND', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(
          tokenBody({
            relationships: {
              environment: {
                data: { type: 'environments', id: '2845d39b-050f-417a-8f06-a50f31c2b792' },
              },
            },
          }),
        )
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'must exist',
          code: 'ENVIRONMENT_NOT_FOUND',
          source: { pointer: '/data/relationships/environment' },
          links: {
            about: 'https://keygen.sh/docs/api/tokens/#tokens-object-relationships-environment',
          },
        },
      ]);
    });

    it('rejects a global token for a user of an isolated environment', async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(
          tokenBody({
            relationships: {
              bearer: { data: { type: 'users', id: u.user.id } },
              environment: { data: null },
            },
          }),
        )
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'must be compatible with bearer environment',
          code: 'ENVIRONMENT_NOT_ALLOWED',
          source: { pointer: '/data/relationships/environment' },
          links: {
            about: 'https://keygen.sh/docs/api/tokens/#tokens-object-relationships-environment',
          },
        },
      ]);
    });
  });

  describe('400', () => {
    it('rejects a null bearer linkage', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(
          tokenBody({ attributes: { name: 'Token' }, relationships: { bearer: { data: null } } }),
        )
        .expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'cannot be null',
          source: { pointer: '/data/relationships/bearer/data' },
        },
      ]);
      expect(res.body.meta.id).toBe(res.headers['x-request-id']);
    });

    it('rejects an unknown bearer type', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ relationships: { bearer: { data: { type: 'accounts', id: a.id } } } }))
        .expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'is invalid',
          source: { pointer: '/data/relationships/bearer/data/type' },
        },
      ]);
    });

    it('rejects a bearer id that is not a UUID', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ relationships: { bearer: { data: { type: 'users', id: 'nope' } } } }))
        .expect(400);
      expect(res.body.errors[0]).toEqual({
        title: 'Bad request',
        detail: 'type mismatch (received string expected UUID string)',
        source: { pointer: '/data/relationships/bearer/data/id' },
      });
    });

    it('rejects an unknown data type', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send({ data: { type: 'users' } })
        .expect(400);
      expect(res.body.errors[0]).toEqual({
        title: 'Bad request',
        detail: 'is invalid',
        source: { pointer: '/data/type' },
      });
    });

    it('rejects unknown attributes', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ attributes: { maxActivations: 1 } }))
        .expect(400);
      expect(res.body.errors[0]).toEqual({
        title: 'Bad request',
        detail: 'unpermitted parameter',
        source: { pointer: '/data/attributes/maxActivations' },
      });
    });

    it('rejects an expiry that is not a time', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ attributes: { expiry: true } }))
        .expect(400);
      expect(res.body.errors[0].source).toEqual({ pointer: '/data/attributes/expiry' });
    });

    it('rejects permissions that are not an array of strings', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ attributes: { permissions: 'license.read' } }))
        .expect(400);
      expect(res.body.errors[0]).toEqual({
        title: 'Bad request',
        detail: 'type mismatch (received string expected array)',
        source: { pointer: '/data/attributes/permissions' },
      });
    });
  });

  describe('403', () => {
    it.each(['environments', 'products', 'licenses'])(
      'forbids an admin generating a %s token',
      async (type) => {
        const env = await given(t).environment(a.account);
        const id =
          type === 'environments' ? env.environment.id : '2845d39b-050f-417a-8f06-a50f31c2b792';
        const before = t.events.named('token.generated', a.id).length;
        const res = await t.http
          .post(url())
          .set(a.auth)
          .send(tokenBody({ relationships: { bearer: { data: { type, id } } } }))
          .expect(403);
        expect(res.body.errors).toEqual([
          {
            title: 'Access denied',
            detail:
              'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)',
          },
        ]);
        expect(t.events.named('token.generated', a.id)).toHaveLength(before);
      },
    );

    it('forbids an admin generating a token for another admin', async () => {
      const other = await given(t).user(a.account, { role: 'admin' });
      await t.http
        .post(url())
        .set(a.auth)
        .send(
          tokenBody({ relationships: { bearer: { data: { type: 'users', id: other.user.id } } } }),
        )
        .expect(403);
    });

    it('forbids a developer generating a token for an admin, without a reason', async () => {
      const dev = await given(t).user(a.account, { role: 'developer' });
      const res = await t.http
        .post(url())
        .set(dev.auth)
        .send(
          tokenBody({
            attributes: { name: 'Admin Token' },
            relationships: { bearer: { data: { type: 'user', id: a.admin.id } } },
          }),
        )
        .expect(403);
      expect(res.body.errors[0]).toEqual({
        title: 'Access denied',
        detail:
          'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)',
      });
    });

    it.each(['sales-agent', 'support-agent', 'read-only'] as const)(
      'forbids a %s generating a token for a user',
      async (role) => {
        const staff = await given(t).user(a.account, { role });
        const u = await given(t).user(a.account);
        await t.http
          .post(url())
          .set(staff.auth)
          .send(
            tokenBody({ relationships: { bearer: { data: { type: 'users', id: u.user.id } } } }),
          )
          .expect(403);
      },
    );

    it('forbids a user generating a token for another user or an admin', async () => {
      const u = await given(t).user(a.account);
      const other = await given(t).user(a.account);
      for (const id of [other.user.id, a.admin.id]) {
        await t.http
          .post(url())
          .set(u.auth)
          .send(tokenBody({ relationships: { bearer: { data: { type: 'users', id } } } }))
          .expect(403);
      }
    });

    it('forbids a token for an unknown user', async () => {
      await t.http
        .post(url())
        .set(a.auth)
        .send(
          tokenBody({
            relationships: {
              bearer: { data: { type: 'users', id: '2845d39b-050f-417a-8f06-a50f31c2b792' } },
            },
          }),
        )
        .expect(403);
    });

    it('forbids a banned user logging in with a password', async () => {
      const u = await given(t).user(a.account, { banned: true });
      const res = await t.http
        .post(url())
        .set('Authorization', basic(u.user.email, u.password))
        .expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail: 'You do not have permission to complete the request (user is banned)',
        },
      ]);
      expect(res.body.meta.id).toBeDefined();
    });

    it('forbids a user without token.generate', async () => {
      const u = await given(t).user(a.account, { permissions: [] });
      const res = await t.http
        .post(url())
        .set('Authorization', basic(u.user.email, u.password))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (user lacks permission to perform action)',
      );
    });

    it('forbids a token lacking token.generate', async () => {
      const { raw } = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await t.http.post(url()).set(bearer(raw)).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
    });
  });

  describe('422', () => {
    it('rejects permissions beyond the bearer set', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url())
        .set('Authorization', basic(u.user.email, u.password))
        .send({ data: { type: 'token', attributes: { permissions: ['admin.create'] } } })
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'unsupported permissions',
          code: 'PERMISSIONS_NOT_ALLOWED',
          source: { pointer: '/data/attributes/permissions' },
          links: { about: 'https://keygen.sh/docs/api/tokens/#tokens-object-attrs-permissions' },
        },
      ]);
    });

    it('rejects unknown permissions even before the target is authorized', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http
        .post(url())
        .set(u.auth)
        .send(
          tokenBody({
            attributes: { permissions: ['foo.bar'] },
            relationships: { bearer: { data: { type: 'users', id: a.admin.id } } },
          }),
        )
        .expect(422);
      expect(res.body.errors[0].code).toBe('PERMISSIONS_NOT_ALLOWED');
    });

    it('rejects duplicate permissions', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ attributes: { permissions: ['license.read', 'license.read'] } }))
        .expect(422);
      expect(res.body.errors[0].code).toBe('PERMISSIONS_NOT_ALLOWED');
    });

    it('rejects a name over 255 characters', async () => {
      const res = await t.http
        .post(url())
        .set(a.auth)
        .send(tokenBody({ attributes: { name: 'x'.repeat(256) } }))
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'is too long (maximum is 255 characters)',
          code: 'NAME_TOO_LONG',
          source: { pointer: '/data/attributes/name' },
          links: { about: 'https://keygen.sh/docs/api/tokens/#tokens-object-attrs-name' },
        },
      ]);
    });
  });

  describe('401', () => {
    it('requires credentials', async () => {
      const res = await t.http.post(url()).expect(401);
      expect(res.body.errors[0]).toMatchObject({ title: 'Unauthorized', code: 'TOKEN_MISSING' });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="keygen"');
    });

    it('rejects a token of another account', async () => {
      const other = await given(t).account();
      const res = await t.http.post(url()).set(other.auth).expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_INVALID' });
    });
  });
});
