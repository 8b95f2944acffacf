import { Product } from '@app/modules/products/product.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import {
  badRequest,
  denied,
  lacks,
  notFound,
  productDoc,
  productError,
  productResource,
  RECORD_ENV,
} from './support';

describe('PATCH /v1/accounts/:account/products/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const patch = (id: string, body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .patch(`${a.base}/products/${id}`)
      .set(auth)
      .send(body as object);
  const stored = (id: string) => t.ds.getRepository(Product).findOneByOrFail({ id });

  describe('200', () => {
    it('updates attributes, bumps `updated` and emits product.updated', async () => {
      const p = await g.product(a.account, { platforms: ['Mac'] });
      t.clock.advance(5000);
      const before = t.events.named('product.updated', a.id).length;
      const res = await patch(
        p.product.id,
        productDoc(
          {
            name: 'New Name',
            code: 'new-app',
            url: 'https://example.com',
            distributionStrategy: 'OPEN',
            platforms: ['Windows', 'Linux'],
            metadata: { someKey: 'v' },
            permissions: ['license.read'],
          },
          { id: p.product.id },
        ),
      ).expect(200);
      expectSigned(res);
      const row = await stored(p.product.id);
      expect(row.updatedAt.getTime()).toBeGreaterThan(p.product.updatedAt.getTime());
      expect(res.body).toEqual({
        data: productResource(row, {
          name: 'New Name',
          code: 'new-app',
          url: 'https://example.com',
          distributionStrategy: 'OPEN',
          platforms: ['Windows', 'Linux'],
          metadata: { someKey: 'v' },
          permissions: ['license.read'],
        }),
      });
      expect(row.metadata).toEqual({ some_key: 'v' });
      expect(t.events.named('product.updated', a.id)).toHaveLength(before + 1);
    });

    it('clears url, platforms and the distribution strategy with null', async () => {
      const p = await g.product(a.account, { url: 'https://example.com', platforms: ['Mac'] });
      const res = await patch(
        p.product.id,
        productDoc({ url: null, platforms: null, distributionStrategy: null }),
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        url: null,
        platforms: null,
        distributionStrategy: null,
      });
    });

    it('ignores null for non-nullable attributes and keeps `updated` when nothing changed', async () => {
      const p = await g.product(a.account, { code: 'keep' });
      t.clock.advance(5000);
      const before = t.events.named('product.updated', a.id).length;
      const res = await patch(p.product.id, productDoc({ name: null, code: null })).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        name: p.product.name,
        code: 'keep',
        updated: p.product.updatedAt.toISOString(),
      });
      expect(t.events.named('product.updated', a.id)).toHaveLength(before + 1);
    });

    it('keeps its own code (case changes included) and accepts PUT', async () => {
      const p = await g.product(a.account, { code: 'mine' });
      await patch(p.product.id, productDoc({ code: 'MINE' })).expect(200);
      const res = await t.http
        .put(`${a.base}/products/mine`.replace('mine', p.product.id))
        .set(a.auth)
        .send(productDoc({ name: 'Put' }))
        .expect(200);
      expect(res.body.data.attributes.name).toBe('Put');
    });

    it('addresses the product by code', async () => {
      const p = await g.product(a.account, { code: 'by-code-update' });
      const res = await patch('by-code-update', productDoc({ name: 'Renamed' })).expect(200);
      expect(res.body.data.id).toBe(p.product.id);
    });

    it('lets a developer update a product', async () => {
      const p = await g.product(a.account);
      const dev = await g.user(a.account, { role: 'developer' });
      await patch(p.product.id, productDoc({ name: 'Dev' }), dev.auth).expect(200);
    });

    it.each(['ISOLATED', 'SHARED'] as const)(
      'lets an %s environment update its product',
      async (s) => {
        const env = await g.environment(a.account, { isolationStrategy: s });
        const p = await g.product(a.account, { environment: env.environment });
        await patch(p.product.id, productDoc({ name: 'Env' }), env.auth).expect(200);
      },
    );

    it('lets a product update itself (but not its permissions)', async () => {
      const p = await g.product(a.account);
      const res = await patch(p.product.id, productDoc({ platforms: ['PC'] }), p.auth).expect(200);
      expect(res.body.data.attributes.platforms).toEqual(['PC']);
      const perms = await patch(p.product.id, productDoc({ permissions: ['*'] }), p.auth).expect(
        400,
      );
      expect(perms.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/attributes/permissions'),
      ]);
    });
  });

  describe('400', () => {
    it.each([
      [{ data: { type: 'products' } }, 'is missing', '/data/attributes'],
      [productDoc({ name: '' }), 'cannot be blank', '/data/attributes/name'],
      [
        productDoc({ name: 7 }),
        'type mismatch (received integer expected string)',
        '/data/attributes/name',
      ],
      [
        productDoc({ url: 1 }),
        'type mismatch (received integer expected string)',
        '/data/attributes/url',
      ],
      [productDoc({ foo: 'bar' }), 'unpermitted parameter', '/data/attributes/foo'],
      [productDoc({}, { type: 'product-thing' }), 'is invalid', '/data/type'],
      [
        productDoc({}, { relationships: { environment: { data: null } } }),
        'unpermitted parameter',
        '/data/relationships',
      ],
    ])('rejects %j', async (body, detail, pointer) => {
      const p = await g.product(a.account);
      const res = await patch(p.product.id, body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('authorizes before it validates the body (403 beats 400)', async () => {
      const p = await g.product(a.account);
      const sales = await g.user(a.account, { role: 'sales-agent' });
      await patch(p.product.id, { data: { type: 'nope' } }, sales.auth).expect(403);
    });
  });

  describe('403', () => {
    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const p = await g.product(a.account);
      const u = await g.user(a.account, { role });
      const res = await patch(p.product.id, productDoc({ name: 'x' }), u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a user that can see the product', async () => {
      const p = await g.product(a.account, { distributionStrategy: 'OPEN' });
      const u = await g.user(a.account, { permissions: ['product.read'] });
      const res = await patch(p.product.id, productDoc({ name: 'x' }), u.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('user'))]);
    });

    it('forbids a shared environment updating a global product', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const p = await g.product(a.account);
      const res = await patch(p.product.id, productDoc({ name: 'x' }), env.auth).expect(403);
      expect(res.body.errors).toEqual([denied(RECORD_ENV)]);
    });
  });

  describe('404', () => {
    it('hides other products from a product, and LICENSED products from users', async () => {
      const p = await g.product(a.account);
      const other = await g.product(a.account);
      const res = await patch(other.product.id, productDoc({ name: 'x' }), p.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('product', other.product.id)]);
      const u = await g.user(a.account);
      await patch(other.product.id, productDoc({ name: 'x' }), u.auth).expect(404);
      await patch('missing', productDoc({ name: 'x' })).expect(404);
    });
  });

  describe('422', () => {
    it('rejects a code another product holds', async () => {
      await g.product(a.account, { code: 'held' });
      const p = await g.product(a.account);
      const res = await patch(p.product.id, productDoc({ code: 'HELD' })).expect(422);
      expect(res.body.errors).toEqual([
        productError('code', 'CODE_TAKEN', 'has already been taken'),
      ]);
    });

    it('rejects an invalid URL and unsupported permissions', async () => {
      const p = await g.product(a.account);
      const url = await patch(p.product.id, productDoc({ url: '/var/www/index.html' })).expect(422);
      expect(url.body.errors.map((e: { code: string }) => e.code)).toEqual([
        'URL_PROTOCOL_INVALID',
        'URL_HOST_INVALID',
      ]);
      const perms = await patch(p.product.id, productDoc({ permissions: ['foo.bar'] })).expect(422);
      expect(perms.body.errors).toEqual([
        productError('permissions', 'PERMISSIONS_NOT_ALLOWED', 'unsupported permissions'),
      ]);
      const strategy = await patch(
        p.product.id,
        productDoc({ distributionStrategy: 'NONE' }),
      ).expect(422);
      expect(strategy.body.errors[0].code).toBe('DISTRIBUTION_STRATEGY_NOT_ALLOWED');
      expect((await stored(p.product.id)).url).toBeNull();
    });
  });
});
