import { WebhookEndpoint } from '@app/modules/webhooks/webhook-endpoint.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { badRequest, denied, lacks, RECORD_ENV } from '../products/support';
import { expectSigned } from '../users/support';
import { endpointDoc, endpointError, endpointResource } from './support';

const JSON_INVALID = {
  title: 'Bad request',
  detail:
    'The request could not be completed because it contains invalid JSON (check formatting/encoding)',
  code: 'JSON_INVALID',
};

describe('POST /v1/accounts/:account/webhook-endpoints', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const post = (body: unknown, auth: Record<string, string> = a.auth, acct = a) =>
    t.http
      .post(`${acct.base}/webhook-endpoints`)
      .set(auth)
      .send(body as object);
  const count = () => t.ds.getRepository(WebhookEndpoint).countBy({ accountId: a.id });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('201', () => {
    it("creates an endpoint with Keygen's defaults", async () => {
      const res = await post(
        endpointDoc({ url: 'https://example.com' }, { type: 'webhook-endpoint' }),
      ).expect(201);
      expectSigned(res);
      const row = await t.ds
        .getRepository(WebhookEndpoint)
        .findOneByOrFail({ id: res.body.data.id });
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/webhook-endpoints/${row.id}`,
      );
      expect(res.body).toEqual({ data: endpointResource(row) });
      expect(res.body.data.attributes).toMatchObject({
        url: 'https://example.com',
        subscriptions: ['*'],
        signatureAlgorithm: 'ed25519',
        apiVersion: '1.8',
      });
      expect(res.body.data.relationships.product).toEqual({ links: { related: null }, data: null });
    });

    it('takes the API version from the body, else from the request', async () => {
      const explicit = await post(
        endpointDoc({ url: 'https://example.com', apiVersion: '1.5' }),
      ).expect(201);
      expect(explicit.body.data.attributes.apiVersion).toBe('1.5');
      const header = await post(endpointDoc({ url: 'https://example.com' }))
        .set('Keygen-Version', '1.3')
        .expect(201);
      expect(header.body.data.attributes.apiVersion).toBe('1.3');
    });

    it('drops duplicate subscriptions, keeping their order', async () => {
      const res = await post(
        endpointDoc({
          url: 'https://example.com',
          subscriptions: [
            'license.created',
            'license.created',
            'license.updated',
            'license.deleted',
          ],
        }),
      ).expect(201);
      expect(res.body.data.attributes.subscriptions).toEqual([
        'license.created',
        'license.updated',
        'license.deleted',
      ]);
    });

    it.each(['ed25519', 'rsa-pss-sha256', 'rsa-sha256', 'ecdsa-p256'])(
      'accepts the %s signature algorithm',
      async (signatureAlgorithm) => {
        const res = await post(
          endpointDoc({ url: 'https://example.com/?token=xxx', signatureAlgorithm }),
        ).expect(201);
        expect(res.body.data.attributes).toMatchObject({
          url: 'https://example.com/?token=xxx',
          signatureAlgorithm,
        });
      },
    );

    it.each(['webhookEndpoint', 'webhookEndpoints', 'webhook_endpoint', 'webhook_endpoints'])(
      'accepts the type %s',
      async (type) => {
        const res = await post(endpointDoc({ url: 'https://app.example' }, { type })).expect(201);
        expect(res.body.data.type).toBe('webhook-endpoints');
      },
    );

    it('binds an endpoint to a product', async () => {
      const p = await g.product(a.account);
      const res = await post(
        endpointDoc(
          { url: 'https://example.com' },
          { relationships: { product: { data: { type: 'product', id: p.product.id } } } },
        ),
      ).expect(201);
      expect(res.body.data.relationships.product).toEqual({
        links: { related: `/v1/accounts/${a.id}/products/${p.product.id}` },
        data: { type: 'products', id: p.product.id },
      });
    });

    it('lets a developer create, and an environment create in its environment', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await post(endpointDoc({ url: 'https://dev.example' }), dev.auth).expect(201);
      const iso = await g.environment(a.account);
      const isolated = await post(
        endpointDoc({ url: 'https://isolated.example' }),
        iso.auth,
      ).expect(201);
      expect(isolated.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: iso.environment.id,
      });
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await post(
        endpointDoc(
          { url: 'https://shared.example' },
          {
            relationships: {
              environment: { data: { type: 'environment', id: shared.environment.id } },
            },
          },
        ),
        shared.auth,
      ).expect(201);
      expect(res.body.data.relationships.environment.data.id).toBe(shared.environment.id);
    });

    it('lets an isolated environment bind one of its products', async () => {
      const iso = await g.environment(a.account);
      const p = await g.product(a.account, { environment: iso.environment });
      await post(
        endpointDoc(
          { url: 'https://isolated.example' },
          { relationships: { product: { data: { type: 'products', id: p.product.id } } } },
        ),
        iso.auth,
      ).expect(201);
    });

    it('binds a product bearer’s endpoint to that product, with or without linkage', async () => {
      const p = await g.product(a.account);
      const implicit = await post(endpointDoc({ url: 'https://app.example' }), p.auth).expect(201);
      expect(implicit.body.data.relationships.product.data).toEqual({
        type: 'products',
        id: p.product.id,
      });
      expect(implicit.body.data.attributes.subscriptions).toEqual(['*']);
      await post(
        endpointDoc(
          { url: 'https://app.example' },
          { relationships: { product: { data: { type: 'product', id: p.product.id } } } },
        ),
        p.auth,
      ).expect(201);
    });

    it('allows http and private hosts only with WEBHOOKS_ALLOW_PRIVATE_TARGETS', async () => {
      const relaxed = await bootApp({ WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' });
      try {
        const acct = await given(relaxed).account();
        for (const url of [
          'http://127.0.0.1:8080/hook',
          'http://localhost/hook',
          'https://10.0.0.7',
        ]) {
          await relaxed.http
            .post(`${acct.base}/webhook-endpoints`)
            .set(acct.auth)
            .send(endpointDoc({ url }))
            .expect(201);
        }
        const keygen = await relaxed.http
          .post(`${acct.base}/webhook-endpoints`)
          .set(acct.auth)
          .send(endpointDoc({ url: 'https://api.keygen.sh/hook' }))
          .expect(422);
        expect(keygen.body.errors[0].code).toBe('URL_HOST_INVALID');
      } finally {
        await relaxed.close();
      }
    });
  });

  describe('400', () => {
    it.each([
      [{}, 'is missing', '/data'],
      [{ data: { type: 'webhook-endpoints' } }, 'is missing', '/data/attributes'],
      [endpointDoc({}), 'is missing', '/data/attributes/url'],
      [endpointDoc({ url: '' }), 'cannot be blank', '/data/attributes/url'],
      [endpointDoc({ url: null }), 'cannot be null', '/data/attributes/url'],
      [
        endpointDoc({ url: 1 }),
        'type mismatch (received integer expected string)',
        '/data/attributes/url',
      ],
      [
        endpointDoc({ url: 'https://example.com', subscriptions: 'license.created' }),
        'type mismatch (received string expected array)',
        '/data/attributes/subscriptions',
      ],
      [
        endpointDoc({ url: 'https://example.com', subscriptions: [1] }),
        'type mismatch (received integer expected string)',
        '/data/attributes/subscriptions/0',
      ],
      [
        endpointDoc({ url: 'https://example.com', signatureAlgorithm: true }),
        'type mismatch (received boolean expected string)',
        '/data/attributes/signatureAlgorithm',
      ],
      [
        endpointDoc({ url: 'https://example.com', apiVersion: '1.9' }),
        'is invalid',
        '/data/attributes/apiVersion',
      ],
      [
        endpointDoc({ url: 'https://example.com', apiVersion: '1.5.0' }),
        'is invalid',
        '/data/attributes/apiVersion',
      ],
      [
        endpointDoc({ url: 'https://example.com', secret: 'x' }),
        'unpermitted parameter',
        '/data/attributes/secret',
      ],
      [
        endpointDoc({ url: 'https://example.com' }, { id: '00000000-0000-4000-8000-000000000000' }),
        'unpermitted parameter',
        '/data/id',
      ],
      [
        endpointDoc({ url: 'https://example.com' }, { type: 'webhooks' }),
        'is invalid',
        '/data/type',
      ],
      [
        endpointDoc(
          { url: 'https://example.com' },
          { relationships: { product: { data: { type: 'products', id: 'nope' } } } },
        ),
        'type mismatch (received string expected UUID string)',
        '/data/relationships/product/data/id',
      ],
      [
        endpointDoc({ url: 'https://example.com' }, { relationships: { owner: { data: null } } }),
        'unpermitted parameter',
        '/data/relationships/owner',
      ],
    ])('rejects %j', async (body, detail, pointer) => {
      const res = await post(body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('rejects malformed JSON before anything else', async () => {
      const before = await count();
      const res = await t.http
        .post(`${a.base}/webhook-endpoints`)
        .set(a.auth)
        .set('Content-Type', 'application/vnd.api+json')
        .send('{"data": {"type": "webhook-endpoints", ')
        .expect(400);
      expect(res.body).toEqual({ errors: [JSON_INVALID] });
      expect(await count()).toBe(before);
    });
  });

  describe('401', () => {
    it('rejects anonymous callers and tokens of other accounts', async () => {
      const anon = await post(endpointDoc({ url: 'https://example.com' }), {}).expect(401);
      expect(anon.body.errors[0]).toMatchObject({ code: 'TOKEN_MISSING' });
      const other = await g.account();
      const foreign = await post(endpointDoc({ url: 'https://example.com' }), other.auth).expect(
        401,
      );
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
      const before = await count();
      const res = await post(endpointDoc({ url: 'https://example.com' }), u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
      expect(await count()).toBe(before);
    });

    it('forbids a license', async () => {
      const l = await g.license(a.account);
      const res = await post(endpointDoc({ url: 'https://example.com' }), l.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('license'))]);
    });

    it('forbids a product naming another product, or none', async () => {
      const p = await g.product(a.account);
      const other = await g.product(a.account);
      const named = await post(
        endpointDoc(
          { url: 'https://app.example' },
          { relationships: { product: { data: { type: 'product', id: other.product.id } } } },
        ),
        p.auth,
      ).expect(403);
      expect(named.body.errors).toEqual([denied()]);
      await post(
        endpointDoc({ url: 'https://app.example' }, { relationships: { product: { data: null } } }),
        p.auth,
      ).expect(403);
    });

    it('forbids an environment creating a global endpoint', async () => {
      const env = await g.environment(a.account);
      const res = await post(
        endpointDoc(
          { url: 'https://example.com' },
          { relationships: { environment: { data: null } } },
        ),
        env.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([denied(RECORD_ENV)]);
    });
  });

  describe('422', () => {
    it.each([
      [
        { subscriptions: [] },
        'subscriptions',
        'SUBSCRIPTIONS_TOO_SHORT',
        'must have at least 1 webhook event subscription',
      ],
      [
        { subscriptions: ['license.created', 'foo.bar', 'baz.qux'] },
        'subscriptions',
        'SUBSCRIPTIONS_NOT_ALLOWED',
        'unsupported webhook event type for subscription',
      ],
      [
        { subscriptions: ['*', 'license.created'] },
        'subscriptions',
        'SUBSCRIPTIONS_NOT_ALLOWED',
        'unsupported webhook event type for subscription',
      ],
      [
        { subscriptions: ['license.*'] },
        'subscriptions',
        'SUBSCRIPTIONS_NOT_ALLOWED',
        'unsupported webhook event type for subscription',
      ],
      [
        { signatureAlgorithm: 'sha1' },
        'signatureAlgorithm',
        'SIGNATURE_ALGORITHM_NOT_ALLOWED',
        'unsupported signature algorithm',
      ],
      [{ url: 'https://invalid' }, 'url', 'URL_HOST_INVALID', 'must be a URL with a valid host'],
      [{ url: 'https://localhost' }, 'url', 'URL_HOST_INVALID', 'must be a URL with a valid host'],
      [{ url: 'https://127.0.0.1' }, 'url', 'URL_HOST_INVALID', 'must be a URL with a valid host'],
      [{ url: 'https://[::1]' }, 'url', 'URL_HOST_INVALID', 'must be a URL with a valid host'],
      [
        { url: 'https://api.keygen.sh/v1/accounts/demo/webhook-events' },
        'url',
        'URL_HOST_INVALID',
        'must be a URL with a valid host',
      ],
      [
        { url: 'https://api.keyward.test/hooks' },
        'url',
        'URL_HOST_INVALID',
        'must be a URL with a valid host',
      ],
      [{ url: '1230-12e9 c0ascka-ff.a!' }, 'url', 'URL_INVALID', 'must be a valid URL'],
      [
        { url: 'http://example.com' },
        'url',
        'URL_PROTOCOL_INVALID',
        'must be a valid URL using one of the following protocols: https',
      ],
      [
        { url: 'ssh://example.com' },
        'url',
        'URL_PROTOCOL_INVALID',
        'must be a valid URL using one of the following protocols: https',
      ],
    ])('rejects %j', async (attrs, attr, code, detail) => {
      const before = await count();
      const res = await post(endpointDoc({ url: 'https://example.com', ...attrs })).expect(422);
      expectSigned(res);
      expect(res.body.errors).toEqual([endpointError(attr, code, detail)]);
      expect(await count()).toBe(before);
    });

    it('rejects a url over 4096 characters', async () => {
      const url = `https://example.com/${'a'.repeat(4077)}`;
      const res = await post(endpointDoc({ url })).expect(422);
      expect(res.body.errors).toEqual([
        endpointError('url', 'URL_TOO_LONG', 'is too long (maximum is 4096 characters)'),
      ]);
    });

    it("rejects another account's product", async () => {
      const other = await g.account();
      const p = await g.product(other.account);
      const res = await post(
        endpointDoc(
          { url: 'https://example.com' },
          { relationships: { product: { data: { type: 'products', id: p.product.id } } } },
        ),
      ).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'must exist',
          code: 'PRODUCT_NOT_FOUND',
          source: { pointer: '/data/relationships/product' },
          links: {
            about:
              'https://keygen.sh/docs/api/webhook-endpoints/#webhook-endpoints-object-relationships-product',
          },
        },
      ]);
    });

    it('rejects an isolated endpoint bound to a global product', async () => {
      const iso = await g.environment(a.account);
      const p = await g.product(a.account);
      const res = await post(
        endpointDoc(
          { url: 'https://isolated.example' },
          { relationships: { product: { data: { type: 'product', id: p.product.id } } } },
        ),
        iso.auth,
      ).expect(422);
      expect(res.body.errors[0]).toMatchObject({
        title: 'Unprocessable resource',
        detail: 'must be compatible with product environment',
        code: 'ENVIRONMENT_NOT_ALLOWED',
        source: { pointer: '/data/relationships/environment' },
      });
    });
  });
});
