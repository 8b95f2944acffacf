import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const API = 'application/vnd.api+json; charset=utf-8';
const JSON_ = 'application/json; charset=utf-8';
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

/** Spec 00 §2.1–2.2: the Accept gate and the response Content-Type. */
describe('content negotiation', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('200 (response Content-Type)', () => {
    it('answers without an Accept header with vnd.api+json', async () => {
      const res = await t.http.get(a.base).set(a.auth).unset('Accept').expect(200);
      expect(res.headers['content-type']).toBe(API);
    });

    it.each([
      ['*/*', API],
      ['*', API],
      ['*/*; q=0.5, application/xml', API],
      ['application/vnd.api+json', API],
      ['application/json', JSON_],
      ['application/json, text/plain, */*', JSON_],
      ['*/*, application/json, text/plain', JSON_],
      ['text/plain, application/vnd.api+json, application/json', API],
      ['application/json, application/vnd.api+json', JSON_],
      ['application/json; q=0.5, application/vnd.api+json', API],
    ])('answers Accept %p with %s', async (accept, contentType) => {
      const res = await t.http.get(a.base).set(a.auth).set('Accept', accept).expect(200);
      expect(res.headers['content-type']).toBe(contentType);
      expect(res.body.data.id).toBe(a.id);
    });

    it('negotiates error bodies the same way', async () => {
      const res = await t.http.get(a.base).set('Accept', 'application/json').expect(401);
      expect(res.headers['content-type']).toBe(JSON_);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('400 MIME_TYPE_INVALID', () => {
    it.each(['application/xml', 'text/html', 'text/plain', 'text/plain, text/html'])(
      'rejects Accept %p before account resolution or auth',
      async (accept) => {
        // An unknown account and no credentials: the gate still answers first.
        const res = await t.http
          .get('/v1/accounts/does-not-exist')
          .set('Accept', accept)
          .expect(400);
        expect(res.body).toEqual(MIME_INVALID);
        expect(res.headers['content-type']).toBe(API);
        expect(res.headers['keygen-signature']).toBeUndefined();
        expect(res.headers['keygen-account']).toBeUndefined();
        expect(res.headers['keygen-version']).toBeUndefined();
        expect(res.headers['keygen-edition']).toBeUndefined();
        expect(res.headers.digest).toBeUndefined();
        expect(res.headers['access-control-allow-origin']).toBe('*');
      },
    );

    it('rejects Accept on a known account with valid credentials too', async () => {
      const res = await t.http.get(a.base).set(a.auth).set('Accept', 'application/xml').expect(400);
      expect(res.body).toEqual(MIME_INVALID);
      expect(res.headers['keygen-signature']).toBeUndefined();
      expect(res.headers['x-request-id']).toBeUndefined();
    });

    it.each(['application/octet-stream', 'application/vnd.keygen+json'])(
      'accepts only vnd.api+json and json on account-level routes (%s is rejected)',
      async (accept) => {
        const res = await t.http.get(a.base).set(a.auth).set('Accept', accept).expect(400);
        expect(res.body).toEqual(MIME_INVALID);
      },
    );

    it.each(['application/octet-stream', 'application/vnd.keygen+json'])(
      'lets %s through the gate on other v1 routes',
      async (accept) => {
        // Any v1 route below the account: the gate passes, routing/auth decides the rest.
        const res = await t.http.get(`${a.base}/no-such-resource`).set('Accept', accept);
        expect(res.status).not.toBe(400);
      },
    );

    it('ignores q-values for the gate', async () => {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('Accept', 'application/json; q=0, text/html')
        .expect(200);
      expect(res.headers['content-type']).toBe(JSON_);
    });
  });
});
