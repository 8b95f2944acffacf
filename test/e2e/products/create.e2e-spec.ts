import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { Product } from '@app/modules/products/product.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import { badRequest, denied, lacks, productDoc, productError, RECORD_ENV } from './support';

describe('POST /v1/accounts/:account/products', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const post = (body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .post(`${a.base}/products`)
      .set(auth)
      .send(body as object);
  const stored = (id: string) => t.ds.getRepository(Product).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('201', () => {
    it('creates a product with every attribute and renders it like Keygen', async () => {
      const before = t.events.named('product.created', a.id).length;
      const res = await post(
        productDoc({
          name: 'Cool App',
          code: 'cool-app',
          url: 'http://example.com',
          platforms: ['iOS', 'Android'],
          metadata: { customerId: 'c1', Nested: { innerKey: 1 } },
        }),
      ).expect(201);
      expectSigned(res);
      const id = res.body.data.id as string;
      const row = await stored(id);
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/products/${id}`,
      );
      const self = `/v1/accounts/${a.id}/products/${id}`;
      expect(res.body).toEqual({
        data: {
          id,
          type: 'products',
          attributes: {
            name: 'Cool App',
            code: 'cool-app',
            distributionStrategy: 'LICENSED',
            url: 'http://example.com',
            platforms: ['iOS', 'Android'],
            permissions: [...DEFAULT_PERMISSIONS.product].sort(),
            metadata: { customerId: 'c1', nested: { innerKey: 1 } },
            created: row.createdAt.toISOString(),
            updated: row.updatedAt.toISOString(),
          },
          relationships: {
            account: {
              links: { related: `/v1/accounts/${a.id}` },
              data: { type: 'accounts', id: a.id },
            },
            environment: { links: { related: null }, data: null },
            policies: { links: { related: `${self}/policies` } },
            licenses: { links: { related: `${self}/licenses` } },
            machines: { links: { related: `${self}/machines` } },
            users: { links: { related: `${self}/users` } },
            tokens: { links: { related: `${self}/tokens` } },
            platforms: { links: { related: `${self}/platforms` } },
            channels: { links: { related: `${self}/channels` } },
            releases: { links: { related: `${self}/releases` } },
            artifacts: { links: { related: `${self}/artifacts` } },
          },
          links: { self },
        },
      });
      expect(res.body.data.attributes.permissions).toHaveLength(109);
      expect(row.metadata).toEqual({ customer_id: 'c1', nested: { inner_key: 1 } });
      const events = t.events.named('product.created', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'products', id });
    });

    it('defaults to LICENSED and null optional attributes', async () => {
      const res = await post(productDoc({ name: 'Minimal', code: null, url: null })).expect(201);
      expect(res.body.data.attributes).toMatchObject({
        name: 'Minimal',
        code: null,
        distributionStrategy: 'LICENSED',
        url: null,
        platforms: null,
        metadata: {},
      });
      expect((await stored(res.body.data.id)).distributionStrategy).toBe('LICENSED');
    });

    it.each(['LICENSED', 'OPEN', 'CLOSED'])('accepts the %s distribution strategy', async (s) => {
      const res = await post(productDoc({ name: 'App', distributionStrategy: s })).expect(201);
      expect(res.body.data.attributes.distributionStrategy).toBe(s);
    });

    it('accepts snake_case attribute names and a singular type', async () => {
      const res = await post(
        productDoc({ name: 'App', distribution_strategy: 'OPEN' }, { type: 'product' }),
      ).expect(201);
      expect(res.body.data.attributes.distributionStrategy).toBe('OPEN');
    });

    it('lets a developer create a product', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await post(productDoc({ name: 'Dev App' }), dev.auth).expect(201);
    });

    it.each(['ISOLATED', 'SHARED'] as const)(
      'creates the product inside an %s environment for its environment bearer',
      async (isolationStrategy) => {
        const env = await g.environment(a.account, { isolationStrategy });
        const res = await post(productDoc({ name: 'Env App' }), env.auth).expect(201);
        expect(res.headers['keygen-environment']).toBe(env.environment.code);
        expect(res.body.data.relationships.environment).toEqual({
          links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
          data: { type: 'environments', id: env.environment.id },
        });
      },
    );

    it('stores custom permissions sorted, the wildcard alone, or none', async () => {
      const custom = await post(
        productDoc({
          name: 'Svc',
          permissions: ['license.validate', 'license.create', 'license.read'],
        }),
      ).expect(201);
      expect(custom.body.data.attributes.permissions).toEqual([
        'license.create',
        'license.read',
        'license.validate',
      ]);
      const wild = await post(productDoc({ name: 'Svc', permissions: ['*'] })).expect(201);
      expect(wild.body.data.attributes.permissions).toEqual(['*']);
      const none = await post(productDoc({ name: 'Svc', permissions: [] })).expect(201);
      expect(none.body.data.attributes.permissions).toEqual([]);
    });

    it('lets an environment set permissions', async () => {
      const env = await g.environment(a.account);
      const res = await post(
        productDoc({ name: 'Svc', permissions: ['license.read'] }),
        env.auth,
      ).expect(201);
      expect(res.body.data.attributes.permissions).toEqual(['license.read']);
    });

    it('accepts an empty metadata object and ignores data.links-free extras like null code', async () => {
      const res = await post(productDoc({ name: 'App', metadata: {} })).expect(201);
      expect(res.body.data.attributes.metadata).toEqual({});
    });
  });

  describe('400', () => {
    it('requires attributes and a name', async () => {
      const noAttrs = await post({ data: { type: 'products' } }).expect(400);
      expect(noAttrs.body.errors).toEqual([badRequest('is missing', '/data/attributes')]);
      const noName = await post(productDoc({ platforms: ['iOS'] })).expect(400);
      expect(noName.body.errors).toEqual([badRequest('is missing', '/data/attributes/name')]);
      const noData = await post({}).expect(400);
      expect(noData.body.errors).toEqual([badRequest('is missing', '/data')]);
      expect(noData.body.meta.id).toEqual(expect.any(String));
    });

    it.each([
      [{ name: 'App', protected: true }, 'unpermitted parameter', '/data/attributes/protected'],
      [{ name: 1 }, 'type mismatch (received integer expected string)', '/data/attributes/name'],
      [{ name: '' }, 'cannot be blank', '/data/attributes/name'],
      [
        { name: 'App', code: 1 },
        'type mismatch (received integer expected string)',
        '/data/attributes/code',
      ],
      [{ name: 'App', code: '' }, 'cannot be blank', '/data/attributes/code'],
      [
        { name: 'App', url: true },
        'type mismatch (received boolean expected string)',
        '/data/attributes/url',
      ],
      [
        { name: 'App', platforms: 'iOS' },
        'type mismatch (received string expected array)',
        '/data/attributes/platforms',
      ],
      [{ name: 'App', platforms: ['iOS', null] }, 'cannot be null', '/data/attributes/platforms/1'],
      [
        { name: 'App', platforms: [1] },
        'type mismatch (received integer expected string)',
        '/data/attributes/platforms/0',
      ],
      [
        { name: 'App', metadata: 'x' },
        'type mismatch (received string expected object)',
        '/data/attributes/metadata',
      ],
      [
        { name: 'App', metadata: { a: { b: { c: { d: 1 } } } } },
        'maximum depth of 2 exceeded',
        '/data/attributes/metadata/a/b/c',
      ],
      [
        { name: 'App', permissions: 'license.read' },
        'type mismatch (received string expected array)',
        '/data/attributes/permissions',
      ],
    ])('rejects %j', async (attributes, detail, pointer) => {
      const res = await post(productDoc(attributes)).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('rejects an unknown type, root key and relationship', async () => {
      const type = await post(productDoc({ name: 'App' }, { type: 'policies' })).expect(400);
      expect(type.body.errors).toEqual([badRequest('is invalid', '/data/type')]);
      const root = await post({ ...productDoc({ name: 'App' }), links: {} }).expect(400);
      expect(root.body.errors).toEqual([badRequest('unpermitted parameter', '/links')]);
      const rel = await post(
        productDoc(
          { name: 'App' },
          { relationships: { account: { data: { type: 'accounts', id: a.id } } } },
        ),
      ).expect(400);
      expect(rel.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/relationships/account'),
      ]);
      const id = await post(
        productDoc({ name: 'App' }, { id: '9b5a0e87-1f5b-4b8a-bb2f-4a3d5d2f7d71' }),
      ).expect(400);
      expect(id.body.errors).toEqual([badRequest('unpermitted parameter', '/data/id')]);
    });

    it.each(['sales-agent', 'support-agent', 'read-only', 'user'] as const)(
      'treats permissions from a %s as unpermitted (400 before 403)',
      async (role) => {
        const u = await g.user(a.account, { role });
        const res = await post(productDoc({ name: 'App', permissions: [] }), u.auth).expect(400);
        expect(res.body.errors).toEqual([
          badRequest('unpermitted parameter', '/data/attributes/permissions'),
        ]);
      },
    );

    it('treats permissions from a product as unpermitted', async () => {
      const p = await g.product(a.account);
      const res = await post(productDoc({ name: 'App', permissions: [] }), p.auth).expect(400);
      expect(res.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/attributes/permissions'),
      ]);
    });
  });

  describe('401', () => {
    it('rejects anonymous callers and tokens of other accounts', async () => {
      const anon = await post(productDoc({ name: 'App' }), {}).expect(401);
      expect(anon.body.errors[0]).toMatchObject({ code: 'TOKEN_MISSING' });
      const other = await g.account();
      const foreign = await post(productDoc({ name: 'App' }), other.auth).expect(401);
      expect(foreign.body.errors[0]).toMatchObject({ code: 'TOKEN_INVALID' });
    });
  });

  describe('403', () => {
    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
      ['user', denied(lacks('user'))],
    ] as const)('forbids a %s', async (role, error) => {
      const u = await g.user(a.account, { role });
      const before = t.events.named('product.created', a.id).length;
      const res = await post(productDoc({ name: 'App' }), u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
      expect(t.events.named('product.created', a.id)).toHaveLength(before);
    });

    it('forbids a product', async () => {
      const p = await g.product(a.account);
      const res = await post(productDoc({ name: 'App' }), p.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('product'))]);
    });

    it('forbids a token without product.create', async () => {
      const tok = await g.token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['product.read'] },
      );
      const res = await post(productDoc({ name: 'App' }), {
        Authorization: `Bearer ${tok.raw}`,
      }).expect(403);
      expect(res.body.errors).toEqual([
        denied(
          `${'You do not have permission to complete the request'} (token lacks permission to perform action)`,
        ),
      ]);
    });

    it('forbids creating a product outside the current environment', async () => {
      const env = await g.environment(a.account);
      const res = await post(
        productDoc({ name: 'App' }, { relationships: { environment: { data: null } } }),
        env.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([denied(RECORD_ENV)]);
      const fromGlobal = await post(
        productDoc(
          { name: 'App' },
          {
            relationships: {
              environment: { data: { type: 'environments', id: env.environment.id } },
            },
          },
        ),
      ).expect(403);
      expect(fromGlobal.body.errors).toEqual([denied(RECORD_ENV)]);
    });
  });

  describe('422', () => {
    it('rejects an unsupported distribution strategy', async () => {
      const res = await post(productDoc({ name: 'App', distributionStrategy: 'NONE' })).expect(422);
      expect(res.body.errors).toEqual([
        productError(
          'distributionStrategy',
          'DISTRIBUTION_STRATEGY_NOT_ALLOWED',
          'unsupported distribution strategy',
        ),
      ]);
      expect(res.body.meta.id).toEqual(expect.any(String));
    });

    it('rejects a code taken in the account, case-insensitively and across environments', async () => {
      await g.product(a.account, { code: 'taken-code' });
      const res = await post(productDoc({ name: 'App', code: 'TAKEN-code' })).expect(422);
      expect(res.body.errors).toEqual([
        productError('code', 'CODE_TAKEN', 'has already been taken'),
      ]);
      const env = await g.environment(a.account);
      await post(productDoc({ name: 'App', code: 'Taken-Code' }), env.auth).expect(422);
      const other = await g.account();
      await t.http
        .post(`${other.base}/products`)
        .set(other.auth)
        .send(productDoc({ name: 'App', code: 'taken-code' }))
        .expect(201);
    });

    it.each([
      ['action', 'CODE_NOT_ALLOWED', 'is reserved'],
      ['actions', 'CODE_NOT_ALLOWED', 'is reserved'],
      ['0fcf5bbf-f1b6-43f3-a2ee-b0f4c6b3a2ef', 'CODE_INVALID', 'is invalid'],
      ['0FCF5BBFF1B643F3A2EEB0F4C6B3A2EF', 'CODE_INVALID', 'is invalid'],
      ['c'.repeat(256), 'CODE_TOO_LONG', 'is too long (maximum is 255 characters)'],
    ])('rejects the code %s', async (code, errCode, detail) => {
      const res = await post(productDoc({ name: 'App', code })).expect(422);
      expect(res.body.errors).toEqual([productError('code', errCode, detail)]);
    });

    it('rejects a name over 255 characters (but counts characters, not bytes)', async () => {
      const res = await post(productDoc({ name: 'n'.repeat(256) })).expect(422);
      expect(res.body.errors).toEqual([
        productError('name', 'NAME_TOO_LONG', 'is too long (maximum is 255 characters)'),
      ]);
      await post(productDoc({ name: 'é'.repeat(255) })).expect(201);
    });

    const PROTOCOL = productError(
      'url',
      'URL_PROTOCOL_INVALID',
      'must be a valid URL using one of the following protocols: https, http',
    );
    const HOST = productError('url', 'URL_HOST_INVALID', 'must be a URL with a valid host');
    const INVALID = productError('url', 'URL_INVALID', 'must be a valid URL');
    it.each([
      ['file:///boom.sh', [PROTOCOL, HOST]],
      ['/var/www/index.html', [PROTOCOL, HOST]],
      ['ftp://example.com', [PROTOCOL]],
      ['http://localhost:3000', [HOST]],
      ['https://keygen.sh', [HOST]],
      ['https://api.keygen.sh/v1', [HOST]],
      ['http://example', [HOST]],
      ['http://exa mple.com', [INVALID]],
      ['http://example.com:port', [INVALID]],
    ])('rejects the URL %s', async (url, errors) => {
      const res = await post(productDoc({ name: 'App', url })).expect(422);
      expect(res.body.errors).toEqual(errors);
    });

    it.each([
      'https://example.com/a/b?c=d#e',
      'HTTPS://Example.COM',
      'http://sub.example.co.uk:8080/',
    ])('accepts the URL %s', async (url) => {
      await post(productDoc({ name: 'App', url })).expect(201);
    });

    it('rejects a URL over 255 characters', async () => {
      const res = await post(
        productDoc({ name: 'App', url: `https://example.com/${'x'.repeat(240)}` }),
      ).expect(422);
      expect(res.body.errors).toEqual([
        productError('url', 'URL_TOO_LONG', 'is too long (maximum is 255 characters)'),
      ]);
    });

    it.each([
      [['foo.bar']],
      [['product.create']],
      [['license.read', 'license.read']],
      [['user.invite']],
    ])('rejects the permissions %j', async (permissions) => {
      const res = await post(productDoc({ name: 'App', permissions })).expect(422);
      expect(res.body.errors).toEqual([
        productError('permissions', 'PERMISSIONS_NOT_ALLOWED', 'unsupported permissions'),
      ]);
    });

    it('rejects oversized metadata', async () => {
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
      const res = await post(productDoc({ name: 'App', metadata })).expect(422);
      expect(res.body.errors).toEqual([
        productError('metadata', 'METADATA_TOO_LONG', 'too many keys (exceeded limit of 64 keys)'),
      ]);
    });

    it("reports every failing rule in Keygen's order and creates nothing", async () => {
      const before = t.events.named('product.created', a.id).length;
      const res = await post(
        productDoc({
          name: 'n'.repeat(256),
          code: 'actions',
          url: 'ftp://localhost',
          distributionStrategy: 'open',
          permissions: ['product.create'],
        }),
      ).expect(422);
      expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual([
        'PERMISSIONS_NOT_ALLOWED',
        'CODE_NOT_ALLOWED',
        'NAME_TOO_LONG',
        'URL_PROTOCOL_INVALID',
        'URL_HOST_INVALID',
        'DISTRIBUTION_STRATEGY_NOT_ALLOWED',
      ]);
      expect(t.events.named('product.created', a.id)).toHaveLength(before);
    });
  });
});
