import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const ROUTE_NOT_FOUND = {
  title: 'Not found',
  detail:
    'The requested endpoint was not found (check your HTTP method, Accept header, and URL path)',
  code: 'NOT_FOUND',
};

/** Recursively true when no object member is null, undefined or ''. */
function noEmptyMembers(v: unknown): boolean {
  if (Array.isArray(v)) {
    return v.every(noEmptyMembers);
  }
  if (v && typeof v === 'object') {
    return Object.values(v).every(
      (x) => x !== null && x !== undefined && x !== '' && noEmptyMembers(x),
    );
  }
  return true;
}

/** Spec 00 §4: error documents. */
describe('error documents', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const patch = (body: unknown) =>
    t.http
      .patch(a.base)
      .set(a.auth)
      .set('Content-Type', 'application/vnd.api+json')
      .send(JSON.stringify(body));

  describe('meta.id', () => {
    it.each([
      ['401', () => t.http.get(a.base)],
      ['400', () => patch({ data: { type: 'users', attributes: { name: 'x' } } })],
      [
        '404 record',
        () => t.http.get('/v1/accounts/00000000-0000-4000-8000-000000000000').set(a.auth),
      ],
      ['404 route', () => t.http.get('/v1/nope')],
    ])('equals X-Request-Id on a %s app error and has no empty members', async (_label, send) => {
      const res = await send();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body.meta).toEqual({ id: res.headers['x-request-id'] });
      expect(res.headers['x-request-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(noEmptyMembers(res.body)).toBe(true);
      expect(Object.keys(res.body).sort()).toEqual(['errors', 'meta']);
    });

    it('is fresh per request and ignores a client X-Request-Id', async () => {
      const client = '11111111-1111-4111-8111-111111111111';
      const r1 = await t.http.get(a.base).set('X-Request-Id', client).expect(401);
      const r2 = await t.http.get(a.base).expect(401);
      expect(r1.headers['x-request-id']).not.toBe(client);
      expect(r1.headers['x-request-id']).not.toBe(r2.headers['x-request-id']);
    });

    it('omits empty error members (a permission 403 has no code)', async () => {
      const ro = await given(t).user(a.account, { role: 'read-only' });
      const res = await t.http
        .patch(a.base)
        .set(ro.auth)
        .send({ data: { type: 'accounts', attributes: { name: 'x' } } })
        .expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (read only lacks permission to perform action)',
        },
      ]);
    });
  });

  describe('404 route not found', () => {
    it.each([
      ['GET', '/v1/nope'],
      ['GET', '/v2/accounts'],
      ['GET', '/'],
      ['POST', '/v1/accounts/x/y/z'],
      ['PUT', '/v1/health/nope'],
    ])('answers %s %s with the route-not-found error', async (method, path) => {
      const res = await t.http[method.toLowerCase() as 'get'](path).expect(404);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [ROUTE_NOT_FOUND],
      });
      expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
      expect(res.headers['keygen-signature']).toBeUndefined();
      expect(res.headers.digest).toBeUndefined();
      expect(res.headers['keygen-account']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });

    it('does not sign a route-not-found under a known account', async () => {
      const res = await t.http.get(`${a.base}/no-such-resource`).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([ROUTE_NOT_FOUND]);
      expect(res.headers['keygen-signature']).toBeUndefined();
    });

    it('does not sign an unknown-account 404 but carries meta.id', async () => {
      const res = await t.http.get('/v1/accounts/unknown-account-slug').set(a.auth).expect(404);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Not found',
            detail: "The requested account 'unknown-account-slug' was not found",
            code: 'NOT_FOUND',
          },
        ],
      });
      expect(res.headers['keygen-signature']).toBeUndefined();
    });

    it('honours a trailing slash', async () => {
      const res = await t.http.get(`${a.base}/`).set(a.auth).expect(200);
      expect(res.body.data.id).toBe(a.id);
    });
  });

  describe('400 typed params on PATCH /v1/accounts/:id', () => {
    const bad = (detail: string, pointer: string) => [
      { title: 'Bad request', detail, source: { pointer } },
    ];

    it.each<[string, unknown, string, string]>([
      [
        'an unknown attribute',
        { data: { type: 'accounts', attributes: { foo: 1 } } },
        'unpermitted parameter',
        '/data/attributes/foo',
      ],
      [
        'an unknown root key',
        { data: { type: 'accounts', attributes: { name: 'x' } }, foo: 1 },
        'unpermitted parameter',
        '/foo',
      ],
      [
        'data.links',
        { data: { type: 'accounts', attributes: { name: 'x' }, links: {} } },
        'unpermitted parameter',
        '/data/links',
      ],
      [
        'data.meta',
        { data: { type: 'accounts', attributes: { name: 'x' }, meta: {} } },
        'unpermitted parameter',
        '/data/meta',
      ],
      [
        'a string boolean',
        { data: { type: 'accounts', attributes: { protected: 'yes' } } },
        'type mismatch (received string expected boolean)',
        '/data/attributes/protected',
      ],
      [
        'a numeric string',
        { data: { type: 'accounts', attributes: { slug: 42 } } },
        'type mismatch (received integer expected string)',
        '/data/attributes/slug',
      ],
      [
        'a float string',
        { data: { type: 'accounts', attributes: { slug: 4.5 } } },
        'type mismatch (received float expected string)',
        '/data/attributes/slug',
      ],
      [
        'non-object attributes',
        { data: { type: 'accounts', attributes: 'x' } },
        'type mismatch (received string expected object)',
        '/data/attributes',
      ],
      [
        'array attributes',
        { data: { type: 'accounts', attributes: [] } },
        'type mismatch (received array expected object)',
        '/data/attributes',
      ],
      ['null data', { data: null }, 'cannot be null', '/data'],
      [
        'null type',
        { data: { type: null, attributes: { name: 'x' } } },
        'cannot be null',
        '/data/type',
      ],
      ['no data', {}, 'is missing', '/data'],
      ['no type', { data: { attributes: { name: 'x' } } }, 'is missing', '/data/type'],
      [
        'a wrong type',
        { data: { type: 'users', attributes: { name: 'x' } } },
        'is invalid',
        '/data/type',
      ],
      [
        'a wrong type case',
        { data: { type: 'Accounts', attributes: { name: 'x' } } },
        'is invalid',
        '/data/type',
      ],
      [
        'an unsupported apiVersion',
        { data: { type: 'accounts', attributes: { apiVersion: '1.9' } } },
        'is invalid',
        '/data/attributes/apiVersion',
      ],
    ])('rejects %s', async (_label, body, detail, pointer) => {
      const res = await patch(body).expect(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: bad(detail, pointer),
      });
      expect(res.headers['keygen-signature']).toBeDefined();
    });

    it.each(['account', 'accounts'])('accepts data.type %p', async (type) => {
      await patch({ data: { type, attributes: { name: `t ${type}` } } }).expect(200);
    });

    it('ignores data.id on update', async () => {
      await patch({ data: { type: 'accounts', id: a.id, attributes: { name: 'with id' } } }).expect(
        200,
      );
    });

    it('silently drops null for an optional non-nullable attribute', async () => {
      const res = await patch({
        data: { type: 'accounts', attributes: { protected: null } },
      }).expect(200);
      expect(res.body.data.attributes.protected).toBe(false);
    });
  });
});
