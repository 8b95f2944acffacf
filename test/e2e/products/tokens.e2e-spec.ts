import { PRODUCT_PERMISSIONS } from '@app/common/auth/permissions';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import { badRequest, denied, lacks, notFound, RECORD_ENV } from './support';

const TOKEN_RE = /^prod-[0-9a-f]{64}v3$/;

describe('/v1/accounts/:account/products/:product/tokens', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const url = (product: string, id?: string) =>
    `${a.base}/products/${product}/tokens${id ? `/${id}` : ''}`;
  const generate = (product: string, body?: unknown, auth: Record<string, string> = a.auth) => {
    const req = t.http.post(url(product)).set(auth);
    return body === undefined ? req : req.send(body as object);
  };
  const tokenDoc = (
    attributes: Record<string, unknown>,
    relationships?: Record<string, unknown>,
  ) => ({
    data: { type: 'tokens', attributes, ...(relationships ? { relationships } : {}) },
  });

  describe('POST (create)', () => {
    it('generates a product token (200, not 201) that authenticates as the product', async () => {
      const p = await g.product(a.account);
      const before = t.events.named('token.generated', a.id).length;
      const res = await generate(p.product.id).expect(200);
      expectSigned(res);
      expect(res.headers.location).toBeUndefined();
      const id = res.body.data.id as string;
      expect(res.body.data).toEqual({
        id,
        type: 'tokens',
        attributes: {
          kind: 'product-token',
          token: expect.stringMatching(TOKEN_RE),
          expiry: null,
          name: null,
          permissions: [...PRODUCT_PERMISSIONS].sort(),
          created: expect.any(String),
          updated: expect.any(String),
        },
        relationships: {
          account: {
            links: { related: `/v1/accounts/${a.id}` },
            data: { type: 'accounts', id: a.id },
          },
          environment: { links: { related: null }, data: null },
          bearer: {
            links: { related: `/v1/accounts/${a.id}/products/${p.product.id}` },
            data: { type: 'products', id: p.product.id },
          },
        },
        links: { self: `/v1/accounts/${a.id}/tokens/${id}` },
      });
      expect(t.events.named('token.generated', a.id)).toHaveLength(before + 1);
      const me = await t.http
        .get(`${a.base}/products/${p.product.id}`)
        .set({ Authorization: `Bearer ${res.body.data.attributes.token}` })
        .expect(200);
      expect(me.headers['keygen-bearer']).toBe(p.product.id);
      expect(me.headers['keygen-token']).toBe(id);
    });

    it('names the token, sets an expiry and a subset of the product permissions', async () => {
      const p = await g.product(a.account, { code: 'named' });
      const res = await generate(
        'named',
        tokenDoc({
          name: 'Server Token',
          expiry: '2040-01-01T00:00:00Z',
          permissions: ['license.read'],
        }),
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        name: 'Server Token',
        expiry: '2040-01-01T00:00:00.000Z',
        permissions: ['license.read'],
      });
      expect(res.body.data.relationships.bearer.data.id).toBe(p.product.id);
    });

    it('accepts any known permission for a product holding the wildcard', async () => {
      const p = await g.product(a.account, { permissions: ['*'] });
      const res = await generate(
        p.product.id,
        tokenDoc({ permissions: ['license.create'] }),
      ).expect(200);
      expect(res.body.data.attributes.permissions).toEqual(['license.create']);
    });

    it('lets a developer and an environment generate', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      const p = await g.product(a.account);
      await generate(p.product.id, undefined, dev.auth).expect(200);
      const env = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const ep = await g.product(a.account, { environment: env.environment });
      const res = await generate(ep.product.id, tokenDoc({ name: 'Isolated' }), env.auth).expect(
        200,
      );
      expect(res.body.data.relationships.environment).toEqual({
        links: { related: `/v1/accounts/${a.id}/environments/${env.environment.id}` },
        data: { type: 'environments', id: env.environment.id },
      });
    });

    it('lets a global admin generate a shared token for a shared product', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const p = await g.product(a.account, { environment: env.environment });
      const res = await generate(p.product.id, tokenDoc({ name: 'Shared' }), {
        ...a.auth,
        'Keygen-Environment': env.environment.code,
      }).expect(200);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });

    it('400s on bad bodies, and on permissions from a sales agent', async () => {
      const p = await g.product(a.account);
      const type = await generate(p.product.id, { data: { type: 'users' } }).expect(400);
      expect(type.body.errors).toEqual([badRequest('is invalid', '/data/type')]);
      const attr = await generate(p.product.id, tokenDoc({ maxActivations: 1 })).expect(400);
      expect(attr.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/attributes/maxActivations'),
      ]);
      const sales = await g.user(a.account, { role: 'sales-agent' });
      const perms = await generate(p.product.id, tokenDoc({ permissions: [] }), sales.auth).expect(
        400,
      );
      expect(perms.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/attributes/permissions'),
      ]);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const p = await g.product(a.account);
      const u = await g.user(a.account, { role });
      const res = await generate(p.product.id, undefined, u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a product generating its own token, and hides other products', async () => {
      const p = await g.product(a.account);
      const other = await g.product(a.account);
      const res = await generate(p.product.id, undefined, p.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('product'))]);
      const hidden = await generate(other.product.id, undefined, p.auth).expect(404);
      expect(hidden.body.errors).toEqual([notFound('product', other.product.id)]);
    });

    it('hides LICENSED products from users and answers 404 for unknown products', async () => {
      const p = await g.product(a.account);
      const u = await g.user(a.account);
      await generate(p.product.id, undefined, u.auth).expect(404);
      await generate('unknown').expect(404);
    });

    it('forbids a token outside the current environment', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const p = await g.product(a.account, { environment: env.environment });
      const res = await generate(
        p.product.id,
        tokenDoc({ name: 'Global' }, { environment: { data: null } }),
        env.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([denied(RECORD_ENV)]);
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const global = await g.product(a.account);
      const fromGlobal = await generate(
        global.product.id,
        tokenDoc(
          {},
          { environment: { data: { type: 'environments', id: shared.environment.id } } },
        ),
      ).expect(403);
      expect(fromGlobal.body.errors).toEqual([denied(RECORD_ENV)]);
    });

    it.each([[['product.create']], [['foo.bar']], [['license.read', 'license.read']]])(
      'rejects the permissions %j (422)',
      async (permissions) => {
        const p = await g.product(a.account);
        const res = await generate(p.product.id, tokenDoc({ permissions })).expect(422);
        expect(res.body.errors).toEqual([
          {
            title: 'Unprocessable resource',
            detail: 'unsupported permissions',
            code: 'PERMISSIONS_NOT_ALLOWED',
            source: { pointer: '/data/attributes/permissions' },
            links: { about: 'https://keygen.sh/docs/api/tokens/#tokens-object-attrs-permissions' },
          },
        ]);
      },
    );

    it('rejects permissions beyond a product with a narrowed set', async () => {
      const p = await g.product(a.account, { permissions: ['license.read'] });
      await generate(p.product.id, tokenDoc({ permissions: ['license.create'] })).expect(422);
    });
  });

  describe('GET (index, show)', () => {
    it("lists the product's tokens to staff and to the product itself", async () => {
      const p = await g.product(a.account);
      await g.token(a.account, {
        type: 'products',
        id: p.product.id,
        role: 'product',
        environmentId: null,
      });
      const res = await t.http.get(url(p.product.id)).set(a.auth).expect(200);
      expect(res.body.data).toHaveLength(2);
      for (const tok of res.body.data) {
        expect(tok.attributes.token).toBeUndefined();
        expect(tok.attributes.kind).toBe('product-token');
      }
      const own = await t.http.get(url(p.product.id)).set(p.auth).expect(200);
      expect(own.body.data).toHaveLength(2);
      const ro = await g.user(a.account, { role: 'read-only' });
      await t.http.get(url(p.product.id)).set(ro.auth).expect(200);
    });

    it('shows one token to staff and the product, and 404s foreign tokens', async () => {
      const p = await g.product(a.account);
      const tok = await g.token(a.account, {
        type: 'products',
        id: p.product.id,
        role: 'product',
        environmentId: null,
      });
      const res = await t.http.get(url(p.product.id, tok.token.id)).set(a.auth).expect(200);
      expect(res.body.data.id).toBe(tok.token.id);
      await t.http.get(url(p.product.id, tok.token.id)).set(p.auth).expect(200);
      const other = await g.product(a.account);
      const missing = await t.http.get(url(other.product.id, tok.token.id)).set(a.auth).expect(404);
      expect(missing.body.errors).toEqual([notFound('token', tok.token.id)]);
      await t.http.get(url(p.product.id, 'not-a-uuid')).set(a.auth).expect(404);
    });

    it('404s another product and users; 403s a token without token.read', async () => {
      const p = await g.product(a.account);
      const other = await g.product(a.account);
      await t.http.get(url(other.product.id)).set(p.auth).expect(404);
      const u = await g.user(a.account);
      await t.http.get(url(p.product.id)).set(u.auth).expect(404);
      const limited = await g.token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['product.read'] },
      );
      const res = await t.http
        .get(url(p.product.id))
        .set({ Authorization: `Bearer ${limited.raw}` })
        .expect(403);
      expect(res.body.errors[0].detail).toContain('token lacks permission to perform action');
    });
  });

  describe('product bearers on /tokens', () => {
    it('forbids POST /tokens for a product target, and a product generating its own', async () => {
      const p = await g.product(a.account);
      const forProduct = await t.http
        .post(`${a.base}/tokens`)
        .set(a.auth)
        .send({
          data: {
            type: 'tokens',
            relationships: { bearer: { data: { type: 'products', id: p.product.id } } },
          },
        })
        .expect(403);
      expect(forProduct.body.errors).toEqual([denied()]);
      await t.http.post(`${a.base}/tokens`).set(p.auth).expect(403);
    });

    it('lists a product its own tokens and lets an admin regenerate and revoke them', async () => {
      const p = await g.product(a.account);
      const mine = await t.http.get(`${a.base}/tokens`).set(p.auth).expect(200);
      expect(mine.body.data).toHaveLength(1);
      const id = mine.body.data[0].id as string;
      const regen = await t.http.put(`${a.base}/tokens/${id}`).set(a.auth).expect(200);
      expect(regen.body.data.attributes).toMatchObject({
        kind: 'product-token',
        token: expect.stringMatching(TOKEN_RE),
      });
      await t.http.get(`${a.base}/products/${p.product.id}`).set(p.auth).expect(401);
      await t.http.delete(`${a.base}/tokens/${id}`).set(a.auth).expect(204);
    });
  });
});
