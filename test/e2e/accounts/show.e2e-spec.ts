import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { verifyResponseSignature } from '../../support/signature';

describe('GET /v1/accounts/:account', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('renders the account with its public keys, signed with ed25519', async () => {
      const res = await t.http.get(a.base).set(a.auth).set('Host', 'api.keyward.test').expect(200);
      expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
      expect(res.body.data).toMatchObject({
        id: a.id,
        type: 'accounts',
        attributes: { slug: a.slug, apiVersion: '1.8', protected: false, status: 'SUBSCRIBED' },
        links: { self: `/v1/accounts/${a.id}` },
      });
      expect(res.body.data.attributes.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const ed = Buffer.from(res.body.data.meta.keys.ed25519, 'base64').toString();
      expect(ed).toMatch(/^[0-9a-f]{64}$/);
      expect(res.headers['keygen-account']).toBe(a.id);
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(
        verifyResponseSignature(res, { method: 'GET', path: a.base, host: 'api.keyward.test', publicKey: ed }),
      ).toBe(true);
    });

    it('resolves the account by slug', async () => {
      const res = await t.http.get(`/v1/accounts/${a.slug}`).set(a.auth).expect(200);
      expect(res.body.data.id).toBe(a.id);
    });

    it('signs with rsa-pss-sha256 when asked', async () => {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('Host', 'api.keyward.test')
        .set('Keygen-Accept-Signature', 'algorithm="rsa-pss-sha256"')
        .expect(200);
      const rsa = Buffer.from(res.body.data.meta.keys.rsa2048, 'base64').toString();
      expect(res.headers['keygen-signature']).toContain('algorithm="rsa-pss-sha256"');
      expect(
        verifyResponseSignature(res, { method: 'GET', path: a.base, host: 'api.keyward.test', publicKey: rsa }),
      ).toBe(true);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http.get(a.base).expect(401);
      expect(res.body.errors[0]).toMatchObject({ title: 'Unauthorized', code: 'TOKEN_MISSING' });
      expect(res.body.meta.id).toBe(res.headers['x-request-id']);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="keygen"');
      expect(res.headers['keygen-signature']).toBeDefined();
    });
  });

  describe('404', () => {
    it('reports an unknown account', async () => {
      const res = await t.http.get('/v1/accounts/nope-nope').set(a.auth).expect(404);
      expect(res.body.errors[0]).toEqual({
        title: 'Not found',
        detail: "The requested account 'nope-nope' was not found",
        code: 'NOT_FOUND',
      });
      expect(res.headers['keygen-signature']).toBeUndefined();
    });
  });
});
