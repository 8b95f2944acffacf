import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { verifyResponseSignature } from '../../support/signature';
import { raw } from './raw-http';
import { describeIfRouted } from './routed';

const HOST = 'api.keyward.test';
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const EMPTY_DIGEST = 'sha-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

interface Keys {
  ed25519: string;
  rsa: string;
  ecdsa: string;
}

const keyFor = (keys: Keys, alg: string): string =>
  alg === 'ed25519' ? keys.ed25519 : alg === 'ecdsa-p256' ? keys.ecdsa : keys.rsa;

function signatureFields(res: { headers: Record<string, unknown> }): Record<string, string> {
  const header = res.headers['keygen-signature'] as string;
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** Spec 00 §8: response signatures. */
describe('response signatures', () => {
  let t: TestApp;
  let a: GivenAccount;
  let keys: Keys;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    const res = await t.http.get(a.base).set(a.auth).expect(200);
    const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');
    keys = {
      ed25519: b64(res.body.data.meta.keys.ed25519),
      rsa: b64(res.body.data.meta.keys.rsa2048),
      ecdsa: b64(res.body.data.meta.keys.ecdsa),
    };
  });
  afterAll(() => t.close());

  const verify = (res: Response, method: string, path: string, alg = 'ed25519', host = HOST) =>
    verifyResponseSignature(res, {
      method,
      path,
      host,
      publicKey: keyFor(keys, alg),
      algorithm: alg,
    });

  describe('algorithms', () => {
    it('exposes the key material as base64 of the key text', () => {
      expect(keys.ed25519).toMatch(/^[0-9a-f]{64}$/);
      expect(keys.rsa).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(keys.ecdsa).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    });

    it.each(['ed25519', 'rsa-pss-sha256', 'rsa-sha256', 'ecdsa-p256'])(
      'signs with %s when asked',
      async (alg) => {
        const res = await t.http
          .get(a.base)
          .set(a.auth)
          .set('Host', HOST)
          .set('Keygen-Accept-Signature', `algorithm="${alg}"`)
          .expect(200);
        expect(signatureFields(res)).toEqual({
          keyid: a.id,
          algorithm: alg,
          signature: expect.stringMatching(/^[A-Za-z0-9+/]+={0,2}$/),
          headers: '(request-target) host date digest',
        });
        expect(res.headers['keygen-signature']).toMatch(
          /^keyid="[^"]+", algorithm="[^"]+", signature="[^"]+", headers="\(request-target\) host date digest"$/,
        );
        expect(verify(res, 'GET', a.base, alg)).toBe(true);
        // And not with another algorithm's verification.
        expect(verify(res, 'GET', a.base, alg === 'ed25519' ? 'rsa-sha256' : 'ed25519')).toBe(
          false,
        );
      },
    );

    it('defaults to ed25519 when the header is empty', async () => {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('Host', HOST)
        .set('Keygen-Accept-Signature', '')
        .expect(200);
      expect(signatureFields(res).algorithm).toBe('ed25519');
      expect(verify(res, 'GET', a.base)).toBe(true);
    });

    it.each([
      [`keyid="{id}", algorithm="rsa-sha256"`, 'rsa-sha256'],
      [`keyid="{id}",algorithm="ecdsa-p256";`, 'ecdsa-p256'],
      [`keyid="{id}"algorithm="ed25519"`, 'ed25519'],
      ['algorithm="ed25519";', 'ed25519'],
    ])('accepts the grammar %s', async (header, alg) => {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('Host', HOST)
        .set('Keygen-Accept-Signature', header.replace('{id}', a.id))
        .expect(200);
      expect(signatureFields(res).algorithm).toBe(alg);
      expect(verify(res, 'GET', a.base, alg)).toBe(true);
    });

    it('matches the grammar case-insensitively and echoes the algorithm as requested', async () => {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('Host', HOST)
        .set('Keygen-Accept-Signature', 'ALGORITHM="RSA-PSS-SHA256"')
        .expect(200);
      expect(signatureFields(res).algorithm).toBe('RSA-PSS-SHA256');
      expect(verify(res, 'GET', a.base, 'rsa-pss-sha256')).toBe(true);
    });
  });

  describe('headers', () => {
    it('sends Date (IMF-fixdate), Digest and their Keygen-* copies', async () => {
      const res = await t.http.get(a.base).set(a.auth).set('Host', HOST).expect(200);
      expect(res.headers.date).toMatch(IMF_FIXDATE);
      expect(res.headers['keygen-date']).toBe(res.headers.date);
      expect(res.headers.digest).toBe(
        `sha-256=${createHash('sha256').update(res.text).digest('base64')}`,
      );
      expect(res.headers['keygen-digest']).toBe(res.headers.digest);
      expect(Math.abs(Date.parse(res.headers.date) - Date.now())).toBeLessThan(60_000);
    });

    it('does not add the legacy X-Signature for new accounts', async () => {
      const res = await t.http.get(a.base).set(a.auth).expect(200);
      expect(res.headers['x-signature']).toBeUndefined();
    });
  });

  describe('every app response after account resolution is signed', () => {
    it('signs a 401', async () => {
      const res = await t.http.get(a.base).set('Host', HOST).expect(401);
      expect(verify(res, 'GET', a.base)).toBe(true);
    });

    it('signs a 401 for a bad token with the requested algorithm', async () => {
      const res = await t.http
        .get(a.base)
        .set('Host', HOST)
        .set('Authorization', 'Bearer nope')
        .set('Keygen-Accept-Signature', 'algorithm="rsa-sha256"')
        .expect(401);
      expect(verify(res, 'GET', a.base, 'rsa-sha256')).toBe(true);
    });

    it('signs a 403', async () => {
      const res = await t.http.delete(a.base).set(a.auth).set('Host', HOST).expect(403);
      expect(verify(res, 'DELETE', a.base)).toBe(true);
    });

    it('signs a 400 params error', async () => {
      const res = await t.http
        .patch(a.base)
        .set(a.auth)
        .set('Host', HOST)
        .send({ data: { type: 'nope' } })
        .expect(400);
      expect(verify(res, 'PATCH', a.base)).toBe(true);
    });

    it('does not sign a 400 version error (checked before the account is scoped)', async () => {
      // compat: Keygen's version resolver raises before current_account is set.
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('Host', HOST)
        .set('Keygen-Version', '9.9')
        .expect(400);
      expect(res.headers['keygen-signature']).toBeUndefined();
      expect(res.headers.digest).toBeUndefined();
    });

    it('does not sign middleware errors, route-not-found or unknown accounts', async () => {
      const mime = await t.http.get(a.base).set(a.auth).set('Accept', 'text/html').expect(400);
      const route = await t.http.get(`${a.base}/nothing-here`).set(a.auth).expect(404);
      const unknown = await t.http.get('/v1/accounts/no-such-account').expect(404);
      for (const res of [mime, route, unknown]) {
        expect(res.headers['keygen-signature']).toBeUndefined();
        expect(res.headers.digest).toBeUndefined();
        expect(res.headers['keygen-digest']).toBeUndefined();
      }
    });

    describeIfRouted('DELETE', '/v1/accounts/:account/tokens/:id')(
      '204 (DELETE tokens/:id)',
      () => {
        it('signs an empty body with the digest of the empty string', async () => {
          const tok = await given(t).token(a.account, {
            type: 'users',
            id: a.admin.id,
            role: 'admin',
            environmentId: null,
          });
          const path = `${a.base}/tokens/${tok.token.id}`;
          const res = await t.http.delete(path).set(a.auth).set('Host', HOST).expect(204);
          expect(res.text).toBe('');
          expect(res.headers.digest).toBe(EMPTY_DIGEST);
          expect(res.headers['keygen-digest']).toBe(EMPTY_DIGEST);
          expect(res.headers['content-type']).toBeUndefined();
          expect(verify(res, 'DELETE', path)).toBe(true);
        });
      },
    );

    describeIfRouted('GET', '/v1/accounts/:account/users/:id')('404 record (GET users/:id)', () => {
      it('signs a record-not-found', async () => {
        const path = `${a.base}/users/00000000-0000-4000-8000-000000000000`;
        const res = await t.http.get(path).set(a.auth).set('Host', HOST).expect(404);
        expect(res.body.errors[0].code).toBe('NOT_FOUND');
        expect(verify(res, 'GET', path)).toBe(true);
      });
    });
  });

  describe('signing string', () => {
    it.each([
      ['the slug form', () => `/v1/accounts/${a.slug}`],
      ['a raw query string', () => `${a.base}?b=2&a=1&c[]=x%20y&d=%2F`],
      ['a trailing slash', () => `${a.base}/`],
      ['an empty query', () => `${a.base}?`],
    ])('uses the path and query exactly as sent (%s)', async (_label, path) => {
      const p = path();
      const res = await raw(t, 'GET', p, { headers: { ...a.auth, Host: HOST } });
      expect(res.status).toBe(200);
      expect(
        verifyResponseSignature({ headers: res.headers, text: res.text } as unknown as Response, {
          method: 'GET',
          path: p,
          host: HOST,
          publicKey: keys.ed25519,
        }),
      ).toBe(true);
    });

    it('strips the port from Host and ignores X-Forwarded-Host', async () => {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('Host', `${HOST}:8443`)
        .set('X-Forwarded-Host', 'evil.example')
        .expect(200);
      expect(verify(res, 'GET', a.base, 'ed25519', HOST)).toBe(true);
      expect(verify(res, 'GET', a.base, 'ed25519', 'evil.example')).toBe(false);
    });

    it('lower-cases the method', async () => {
      const res = await t.http
        .patch(a.base)
        .set(a.auth)
        .set('Host', HOST)
        .send({ data: { type: 'accounts', attributes: { name: 'signed' } } })
        .expect(200);
      expect(verify(res, 'patch', a.base)).toBe(true);
    });
  });

  describe('400 Keygen-Accept-Signature', () => {
    const error = (detail: string) => [{ title: 'Bad request', detail }];

    it.each([
      `keyid="x" algorithm="ed25519"`,
      '<algorithm:rsa>',
      'algorithm=ed25519',
      'algorithm = "ed25519"',
      'ed25519',
      'algorithm="ed25519", keyid="x"',
      'algorithm=""',
    ])('rejects the malformed header %p, unsigned', async (header) => {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set('Keygen-Accept-Signature', header)
        .expect(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: error('invalid accept-signature header (malformed)'),
      });
      // compat: Keygen skips all signature headers when the header cannot be parsed.
      expect(res.headers['keygen-signature']).toBeUndefined();
      expect(res.headers.digest).toBeUndefined();
      expect(res.headers['keygen-digest']).toBeUndefined();
      expect(res.headers['keygen-date']).toBeUndefined();
      expect(res.headers['keygen-account']).toBe(a.id);
    });

    it.each(['algorithm="rsa-sha1"', 'algorithm="hmac-sha256"', `keyid="{id}", algorithm="ed448"`])(
      'rejects the unsupported algorithm in %p, unsigned',
      async (header) => {
        const res = await t.http
          .get(a.base)
          .set(a.auth)
          .set('Keygen-Accept-Signature', header.replace('{id}', a.id))
          .expect(400);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: error('invalid accept-signature header (unsupported algorithm)'),
        });
        expect(res.headers['keygen-signature']).toBeUndefined();
        expect(res.headers.digest).toBeUndefined();
      },
    );

    it('rejects an unknown keyid: Digest and Date copies but no Keygen-Signature', async () => {
      const res = await t.http
        .get(a.base)
        .set(a.auth)
        .set(
          'Keygen-Accept-Signature',
          'keyid="00000000-0000-4000-8000-000000000000", algorithm="ed25519"',
        )
        .expect(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: error('invalid accept-signature header (keyid not found)'),
      });
      // compat: Keygen computes the digest but refuses to sign for a foreign keyid.
      expect(res.headers['keygen-signature']).toBeUndefined();
      expect(res.headers.digest).toBe(
        `sha-256=${createHash('sha256').update(res.text).digest('base64')}`,
      );
      expect(res.headers['keygen-digest']).toBe(res.headers.digest);
      expect(res.headers['keygen-date']).toMatch(IMF_FIXDATE);
    });

    it('checks the header after account resolution (unknown account wins)', async () => {
      const res = await t.http
        .get('/v1/accounts/no-such-account')
        .set('Keygen-Accept-Signature', 'nonsense')
        .expect(404);
      expect(res.body.errors[0].code).toBe('NOT_FOUND');
    });

    it('checks the header before authentication', async () => {
      const res = await t.http.get(a.base).set('Keygen-Accept-Signature', 'nonsense').expect(400);
      expect(res.body.errors[0].detail).toBe('invalid accept-signature header (malformed)');
    });
  });

  describe('singleplayer', () => {
    let sp: TestApp;
    let other: GivenAccount;

    beforeAll(async () => {
      other = await given(t).account();
      sp = await bootApp({ KEYGEN_MODE: 'singleplayer', KEYGEN_ACCOUNT_ID: a.id });
    });
    afterAll(() => sp.close());

    it.each([
      ['id', () => a.base],
      ['slug', () => `/v1/accounts/${a.slug}`],
    ])('signs the account-scoped form by %s over the path as sent', async (_label, path) => {
      const p = path();
      const res = await sp.http.get(p).set(a.auth).set('Host', HOST).expect(200);
      expect(res.headers['keygen-mode']).toBe('singleplayer');
      expect(verify(res, 'GET', p)).toBe(true);
    });

    it('answers another account with 404 account is invalid', async () => {
      const res = await sp.http.get(other.base).set(other.auth).expect(404);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Not found',
            detail: `account is invalid (expected ${a.id})`,
            code: 'NOT_FOUND',
          },
        ],
      });
    });

    describeIfRouted('GET', '/v1/accounts/:account/me')('unscoped form (GET /v1/me)', () => {
      it('signs over the unscoped path as sent, not the rewritten one', async () => {
        const res = await sp.http.get('/v1/me?x=1').set(a.auth).set('Host', HOST).expect(200);
        expect(res.headers['keygen-account']).toBe(a.id);
        expect(verify(res, 'GET', '/v1/me?x=1')).toBe(true);
        expect(verify(res, 'GET', `${a.base}/me?x=1`)).toBe(false);
      });
    });

    describeIfRouted('GET', '/v1/accounts/:account/users')('unscoped form (GET /v1/users)', () => {
      it('signs over the unscoped path as sent', async () => {
        const res = await sp.http.get('/v1/users').set(a.auth).set('Host', HOST).expect(200);
        expect(verify(res, 'GET', '/v1/users')).toBe(true);
      });
    });

    it('routes unscoped paths to the configured account (route-not-found is unsigned)', async () => {
      const res = await sp.http.get('/v1/definitely-not-a-resource').set(a.auth).expect(404);
      expect(res.body.errors[0].code).toBe('NOT_FOUND');
      expect(res.headers['keygen-signature']).toBeUndefined();
    });
  });
});
