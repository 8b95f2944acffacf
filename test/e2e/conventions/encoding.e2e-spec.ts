import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { raw, rawSocket } from './raw-http';
import { describeIfRouted } from './routed';

const API = 'application/vnd.api+json; charset=utf-8';
const BAD_BYTES =
  'The request could not be completed because it contains an invalid byte sequence (check encoding)';
const NULL_BYTE =
  'The request could not be completed because it contains an unexpected null byte (check encoding)';
const URI_INVALID =
  'The request could not be completed because the URI was invalid (please ensure non-URL safe chars are properly encoded)';

/** Spec 00 §2.4.5–9: bad bytes, null bytes, bad URIs and unknown methods. */
describe('request encoding errors', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('middleware-level (no meta, unsigned)', () => {
    it('answers an unknown HTTP method with HTTP_METHOD_INVALID', async () => {
      const res = await rawSocket(t, `FOO ${a.base} HTTP/1.1\r\nHost: api.keyward.test\r\n\r\n`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(API);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.body).toEqual({
        errors: [
          {
            title: 'Bad request',
            detail: 'The HTTP method for the request is not valid',
            code: 'HTTP_METHOD_INVALID',
          },
        ],
      });
    });

    it.each([
      ['a control character', 'GET /v1/\x01x HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['a relative request target', 'GET v1/ping HTTP/1.1\r\nHost: x\r\n\r\n'],
    ])('answers an unparseable request target (%s) with URI_INVALID', async (_label, bytes) => {
      const res = await rawSocket(t, bytes);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ title: 'Bad request', detail: URI_INVALID, code: 'URI_INVALID' }],
      });
    });

    it('answers a malformed %-escape in the path with URI_INVALID', async () => {
      const res = await raw(t, 'GET', '/v1/accounts/100%', { headers: a.auth });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ title: 'Bad request', detail: URI_INVALID, code: 'URI_INVALID' }],
      });
    });

    it.each(['/v1/accounts/%ff', `/v1/accounts/%E0%A4%A0%ff`, '/v1/accounts/x/users/%c0%af'])(
      'answers invalid UTF-8 in the path (%s) with ENCODING_INVALID',
      async (path) => {
        const res = await raw(t, 'GET', path, { headers: a.auth });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          errors: [{ title: 'Bad request', detail: BAD_BYTES, code: 'ENCODING_INVALID' }],
        });
        expect(res.headers['content-type']).toBe(API);
        expect(res.headers['keygen-signature']).toBeUndefined();
      },
    );

    it('still accepts well-formed escapes in the path', async () => {
      const res = await raw(t, 'GET', `/v1/accounts/${encodeURIComponent(a.slug)}`, {
        headers: a.auth,
      });
      expect(res.status).toBe(200);
    });
  });

  describe('inside the app (meta.id)', () => {
    it('answers a null byte reaching a lookup with ENCODING_INVALID', async () => {
      const res = await raw(t, 'GET', '/v1/accounts/a%00b', { headers: a.auth });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [{ title: 'Bad request', detail: NULL_BYTE, code: 'ENCODING_INVALID' }],
      });
    });

    describeIfRouted('GET', '/v1/accounts/:account/users/:id')('on GET …/users/:id', () => {
      it('answers a null byte in the id with ENCODING_INVALID, signed', async () => {
        const res = await raw(t, 'GET', `${a.base}/users/a%00b`, { headers: a.auth });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([
          { title: 'Bad request', detail: NULL_BYTE, code: 'ENCODING_INVALID' },
        ]);
        expect(res.headers['keygen-signature']).toBeDefined();
      });
    });

    describeIfRouted('GET', '/v1/accounts/:account/users')('on GET …/users', () => {
      it('answers a null byte in a metadata filter with ENCODING_INVALID (not 500)', async () => {
        const res = await raw(t, 'GET', `${a.base}/users?metadata[a]=%00`, { headers: a.auth });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([
          { title: 'Bad request', detail: NULL_BYTE, code: 'ENCODING_INVALID' },
        ]);
      });
    });
  });
});
