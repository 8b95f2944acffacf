import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const INVALID_VERSION = {
  title: 'Bad request',
  detail: 'unsupported API version requested',
  code: 'INVALID_API_VERSION',
  links: { about: 'https://keygen.sh/docs/api/versioning/' },
};

/** Spec 00 §7: version resolution and the header renames. */
describe('API versioning', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('400 INVALID_API_VERSION', () => {
    it.each(['1.9', '1.5.0', '2.0', '0.9', 'latest', '1', 'v', '1.10', 'vv1.7', 'V1.4'])(
      'rejects Keygen-Version %p',
      async (v) => {
        const res = await t.http.get(a.base).set(a.auth).set('Keygen-Version', v).expect(400);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: [INVALID_VERSION],
        });
      },
    );

    it('rejects an unsupported version before resolving the account', async () => {
      const res = await t.http
        .get('/v1/accounts/no-such-account')
        .set('Keygen-Version', '1.9')
        .expect(400);
      expect(res.body.errors).toEqual([INVALID_VERSION]);
    });

    it('rejects an unsupported version before authentication', async () => {
      const res = await t.http.get(a.base).set('Keygen-Version', '1.9').expect(400);
      expect(res.body.errors).toEqual([INVALID_VERSION]);
    });
  });

  describe('resolution', () => {
    it.each([
      ['1.7', '1.7'],
      ['v1.7', '1.7'],
      ['1.0', '1.0'],
      ['1.8', '1.8'],
    ])('accepts Keygen-Version %p and echoes %s', async (v, resolved) => {
      const res = await t.http.get(a.base).set(a.auth).set('Keygen-Version', v).expect(200);
      expect(res.headers['keygen-version']).toBe(resolved);
    });

    it('defaults to the current version', async () => {
      const res = await t.http.get(a.base).set(a.auth).expect(200);
      expect(res.headers['keygen-version']).toBe('1.8');
    });

    it("uses the account's pinned apiVersion when no header is sent", async () => {
      const pinned = await given(t).account({ apiVersion: '1.5' });
      const res = await t.http.get(pinned.base).set(pinned.auth).expect(200);
      expect(res.headers['keygen-version']).toBe('1.5');
      expect(res.body.data.attributes.apiVersion).toBe('1.5');
    });

    it('lets the header win over the pinned version', async () => {
      const pinned = await given(t).account({ apiVersion: '1.5' });
      const res = await t.http
        .get(pinned.base)
        .set(pinned.auth)
        .set('Keygen-Version', '1.7')
        .expect(200);
      expect(res.headers['keygen-version']).toBe('1.7');
    });

    it('echoes the resolved version on errors too', async () => {
      const pinned = await given(t).account({ apiVersion: '1.6' });
      const res = await t.http.get(pinned.base).expect(401);
      expect(res.headers['keygen-version']).toBe('1.6');
    });
  });

  describe('≤1.3 header renames', () => {
    it('renames Keygen-Account/-Bearer/-Token to the -Id forms for a pinned 1.2 account', async () => {
      const old = await given(t).account({ apiVersion: '1.2' });
      const tok = await given(t).token(old.account, {
        type: 'users',
        id: old.admin.id,
        role: 'admin',
        environmentId: null,
      });
      const res = await t.http.get(old.base).set('Authorization', `Bearer ${tok.raw}`).expect(200);
      expect(res.headers['keygen-version']).toBe('1.2');
      expect(res.headers['keygen-account-id']).toBe(old.id);
      expect(res.headers['keygen-bearer-id']).toBe(old.admin.id);
      expect(res.headers['keygen-token-id']).toBe(tok.token.id);
      expect(res.headers['keygen-account']).toBeUndefined();
      expect(res.headers['keygen-bearer']).toBeUndefined();
      expect(res.headers['keygen-token']).toBeUndefined();
    });

    it.each(['1.3', '1.0'])('renames them when Keygen-Version is %s', async (v) => {
      const res = await t.http.get(a.base).set(a.auth).set('Keygen-Version', v).expect(200);
      expect(res.headers['keygen-account-id']).toBe(a.id);
      expect(res.headers['keygen-bearer-id']).toBe(a.admin.id);
      expect(res.headers['keygen-account']).toBeUndefined();
    });

    it('renames them on error responses too', async () => {
      const res = await t.http.get(a.base).set('Keygen-Version', '1.3').expect(401);
      expect(res.headers['keygen-account-id']).toBe(a.id);
      expect(res.headers['keygen-account']).toBeUndefined();
    });

    it('keeps the new names at 1.4', async () => {
      const res = await t.http.get(a.base).set(a.auth).set('Keygen-Version', '1.4').expect(200);
      expect(res.headers['keygen-account']).toBe(a.id);
      expect(res.headers['keygen-account-id']).toBeUndefined();
    });
  });
});
