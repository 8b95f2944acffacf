import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { raw } from './raw-http';

const API = 'application/vnd.api+json; charset=utf-8';
const JSON_INVALID = {
  errors: [
    {
      title: 'Bad request',
      detail:
        'The request could not be completed because it contains invalid JSON (check formatting/encoding)',
      code: 'JSON_INVALID',
    },
  ],
};
const MIME_INVALID = {
  errors: [
    {
      title: 'Bad request',
      detail:
        'The mime type of the request is not acceptable (check content-type and accept headers)',
      code: 'MIME_TYPE_INVALID',
    },
  ],
};

const rename = (name: string): string =>
  JSON.stringify({ data: { type: 'accounts', attributes: { name } } });

/** Spec 00 §2.3–2.4: lenient Content-Type, strict JSON, key normalisation. */
describe('request body parsing', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const patch = (headers: Record<string, string>, body: string | Buffer, path = a.base) =>
    raw(t, 'PATCH', path, { headers: { ...a.auth, ...headers }, body });

  describe('Content-Type treated as JSON', () => {
    it.each([
      ['(none)', {}],
      ['application/vnd.api+json', { 'Content-Type': 'application/vnd.api+json' }],
      ['application/json', { 'Content-Type': 'application/json' }],
      ['application/vnd.keygen+json', { 'Content-Type': 'application/vnd.keygen+json' }],
      ['text/plain', { 'Content-Type': 'text/plain' }],
      ['text/plain;charset=UTF-8', { 'Content-Type': 'text/plain;charset=UTF-8' }],
      [
        'application/x-www-form-urlencoded',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
      ],
      ['multipart/form-data', { 'Content-Type': 'multipart/form-data; boundary=x' }],
    ])('parses the body of a %s request as JSON', async (label, headers) => {
      const name = `renamed ${label}`;
      const res = await patch(headers, rename(name));
      expect(res.status).toBe(200);
      expect(res.body.data.attributes.name).toBe(name);
    });
  });

  describe('Content-Type not parsed', () => {
    it.each(['application/xml', 'text/html', 'application/octet-stream'])(
      'ignores a %s body (400 is missing /data)',
      async (ct) => {
        const res = await patch({ 'Content-Type': ct }, rename('ignored'));
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: [{ title: 'Bad request', detail: 'is missing', source: { pointer: '/data' } }],
        });
        expect(res.headers['keygen-signature']).toBeDefined();
      },
    );
  });

  describe('400 MIME_TYPE_INVALID', () => {
    it.each(['vnd.api+xml', 'application', 'application/json/extra'])(
      'rejects the syntactically invalid Content-Type %p as a middleware error',
      async (ct) => {
        const res = await patch({ 'Content-Type': ct }, rename('x'));
        expect(res.status).toBe(400);
        expect(res.body).toEqual(MIME_INVALID);
        expect(res.headers['content-type']).toBe(API);
        expect(res.headers['keygen-signature']).toBeUndefined();
        expect(res.headers['keygen-account']).toBeUndefined();
      },
    );
  });

  describe('400 JSON_INVALID', () => {
    it.each<[string, string | Buffer]>([
      ['trailing garbage', '{"data":{"type":"accounts"}} garbage'],
      ['two documents', '{"data":{}}{"data":{}}'],
      ['single quotes', "{'data':{'type':'accounts'}}"],
      ['unquoted keys', '{data:{type:"accounts"}}'],
      ['a trailing comma', '{"data":{"type":"accounts",}}'],
      ['a truncated document', '{"data":{"type":"acc'],
      [
        'bad UTF-8 bytes',
        Buffer.concat([
          Buffer.from('{"data":{"type":"'),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"}}'),
        ]),
      ],
      [
        'an overlong UTF-8 sequence',
        Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
      ],
      [
        'a lone high surrogate escape',
        '{"data":{"type":"accounts","attributes":{"name":"\\ud800"}}}',
      ],
      [
        'a lone low surrogate escape',
        '{"data":{"type":"accounts","attributes":{"name":"x\\udc00y"}}}',
      ],
      ['a lone surrogate in a key', '{"\\ud83d":1}'],
    ])('rejects %s', async (_label, body) => {
      const res = await patch({ 'Content-Type': 'application/vnd.api+json' }, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(JSON_INVALID);
      expect(res.headers['content-type']).toBe(API);
      expect(res.headers['keygen-signature']).toBeUndefined();
      expect(res.headers['keygen-version']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });

    it('accepts a valid surrogate pair escape', async () => {
      const res = await patch(
        {},
        '{"data":{"type":"accounts","attributes":{"name":"smile \\ud83d\\ude00"}}}',
      );
      expect(res.status).toBe(200);
      expect(res.body.data.attributes.name).toBe('smile \u{1f600}');
    });

    it('rejects invalid JSON before account resolution', async () => {
      const res = await raw(t, 'PATCH', '/v1/accounts/no-such-account', { body: '{nope' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(JSON_INVALID);
    });

    it('treats an empty body as no params', async () => {
      const res = await patch({ 'Content-Type': 'application/json' }, '');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { title: 'Bad request', detail: 'is missing', source: { pointer: '/data' } },
      ]);
    });

    it('treats a whitespace-only body as no params', async () => {
      const res = await patch({ 'Content-Type': 'application/json' }, ' \n\t ');
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toEqual({
        title: 'Bad request',
        detail: 'is missing',
        source: { pointer: '/data' },
      });
    });
  });

  describe('non-object roots', () => {
    it.each([
      ['an array', '[1,2]', 'array'],
      ['a string', '"accounts"', 'string'],
      ['a number', '42', 'integer'],
      ['null', 'null', 'null'],
    ])('wraps %s as {data: root}', async (_label, body, received) => {
      const res = await patch({ 'Content-Type': 'application/json' }, body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail:
            received === 'null'
              ? 'cannot be null'
              : `type mismatch (received ${received} expected object)`,
          source: { pointer: '/data' },
        },
      ]);
    });
  });

  describe('key normalisation', () => {
    it.each([
      ['camelCase', 'apiVersion'],
      ['snake_case', 'api_version'],
      ['PascalCase', 'ApiVersion'],
      ['kebab-case', 'api-version'],
      ['dotted', 'api.version'],
    ])('treats the %s key %s as apiVersion', async (_label, key) => {
      const b = await given(t).account();
      const res = await raw(t, 'PATCH', b.base, {
        headers: { ...b.auth, 'Content-Type': 'application/vnd.api+json' },
        body: JSON.stringify({ data: { type: 'accounts', attributes: { [key]: '1.5' } } }),
      });
      expect(res.status).toBe(200);
      expect(res.body.data.attributes.apiVersion).toBe('1.5');
    });

    it('normalises root and data keys too', async () => {
      const res = await patch(
        {},
        JSON.stringify({ Data: { Type: 'accounts', Attributes: { Name: 'root keys' } } }),
      );
      expect(res.status).toBe(200);
      expect(res.body.data.attributes.name).toBe('root keys');
    });

    it('keeps the last of duplicate keys', async () => {
      const res = await patch(
        {},
        '{"data":{"type":"accounts","attributes":{"name":"first","name":"last"}}}',
      );
      expect(res.status).toBe(200);
      expect(res.body.data.attributes.name).toBe('last');
    });

    it('reports an unknown key with a camelCase pointer', async () => {
      const res = await patch(
        {},
        JSON.stringify({ data: { type: 'accounts', attributes: { some_thing: 1 } } }),
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'unpermitted parameter',
          source: { pointer: '/data/attributes/someThing' },
        },
      ]);
    });
  });

  describe('400 ENCODING_INVALID', () => {
    it('rejects a string with U+0000 inside the app (meta.id, signed)', async () => {
      const res = await patch({}, '{"data":{"type":"accounts","attributes":{"name":"a\\u0000b"}}}');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Bad request',
            detail:
              'The request could not be completed because it contains an unexpected null byte (check encoding)',
            code: 'ENCODING_INVALID',
          },
        ],
      });
      expect(res.headers['keygen-signature']).toBeDefined();
      expect(res.headers['keygen-account']).toBe(a.id);
    });
  });

  describe('400 PARAMETERS_INVALID', () => {
    it.each(['?foo=%ff', '?page%5Bnumber%5D=%E0%A4%A', '?x=%'])(
      'rejects the badly encoded query %s',
      async (q) => {
        const res = await raw(t, 'GET', `${a.base}${q}`, { headers: a.auth });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          errors: [
            {
              title: 'Bad request',
              detail:
                'The request could not be completed because it contains invalid query parameters (check encoding)',
              code: 'PARAMETERS_INVALID',
            },
          ],
        });
        expect(res.headers['content-type']).toBe(API);
        expect(res.headers['keygen-signature']).toBeUndefined();
      },
    );

    it('accepts a well-encoded query', async () => {
      const res = await raw(t, 'GET', `${a.base}?foo=%C3%A9&bar=a+b`, { headers: a.auth });
      expect(res.status).toBe(200);
    });
  });
});
