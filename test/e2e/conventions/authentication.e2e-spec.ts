import { bootApp, type TestApp } from '../../support/app';
import { basic, given, type GivenAccount } from '../../support/factories';

const TOKEN_ABOUT = 'https://keygen.sh/docs/api/authentication/#token-authentication';
const LICENSE_ABOUT = 'https://keygen.sh/docs/api/authentication/#license-authentication';
const DEFAULT_401 = 'You must be authenticated to complete the request';
const TOKEN_INVALID = {
  title: 'Unauthorized',
  detail: DEFAULT_401,
  code: 'TOKEN_INVALID',
  links: { about: TOKEN_ABOUT },
};
const LICENSE_INVALID = {
  title: 'Unauthorized',
  detail: DEFAULT_401,
  code: 'LICENSE_INVALID',
  links: { about: LICENSE_ABOUT },
};

/** Spec 00 §4.6 and 01 §1–§2: credentials, auth codes and permission denials. */
describe('authentication and permissions', () => {
  let t: TestApp;
  let a: GivenAccount;
  let other: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    other = await given(t).account();
  });
  afterAll(() => t.close());

  describe('401 TOKEN_MISSING', () => {
    it('answers a request without credentials', async () => {
      const res = await t.http.get(a.base).expect(401);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Unauthorized',
            detail: DEFAULT_401,
            code: 'TOKEN_MISSING',
            links: { about: 'https://keygen.sh/docs/api/authentication/' },
          },
        ],
      });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="keygen"');
    });

    it.each([
      ['an empty Bearer value', 'Bearer '],
      ['an unknown scheme', 'Digest abc'],
      ['a lower-case bearer scheme', `bearer whatever`],
    ])('treats %s as no credentials', async (_label, header) => {
      const res = await t.http.get(a.base).set('Authorization', header).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('401 TOKEN_INVALID / TOKEN_FORMAT_INVALID / LICENSE_INVALID', () => {
    it.each<[string, () => Record<string, string>, string]>([
      ['Bearer garbage', () => ({ Authorization: 'Bearer garbage' }), 'Bearer'],
      ['Token garbage', () => ({ Authorization: 'Token garbage' }), 'Token'],
      [
        'a well-formed unknown v3 token',
        () => ({ Authorization: `Bearer admin-${'0'.repeat(64)}v3` }),
        'Bearer',
      ],
      [
        "another account's token",
        () => ({ Authorization: `Bearer ${other.adminToken}` }),
        'Bearer',
      ],
      ['Basic token:garbage', () => ({ Authorization: basic('token', 'garbage') }), 'Basic'],
      ['Basic <garbage>:', () => ({ Authorization: basic('garbage', '') }), 'Basic'],
      ['Basic :', () => ({ Authorization: basic('', '') }), 'Basic'],
      [
        'Basic without a colon',
        () => ({ Authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }),
        'Basic',
      ],
    ])('rejects %s as TOKEN_INVALID and echoes the scheme', async (_label, headers, scheme) => {
      const res = await t.http.get(a.base).set(headers()).expect(401);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [TOKEN_INVALID],
      });
      expect(res.headers['www-authenticate']).toBe(`${scheme} realm="keygen"`);
      expect(res.headers['keygen-signature']).toBeDefined();
    });

    it.each(['?token=garbage', '?auth=garbage', '?auth=token:garbage'])(
      'rejects the query credential %s',
      async (q) => {
        const res = await t.http.get(`${a.base}${q}`).expect(401);
        expect(res.body.errors).toEqual([TOKEN_INVALID]);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="keygen"');
      },
    );

    it.each(['6a2f1f7e-0c55-4c7c-9a0f-2a1b7a4d5e6f', '6A2F1F7E0C554C7C9A0F2A1B7A4D5E6F'])(
      'rejects the UUID-shaped token %s as TOKEN_FORMAT_INVALID',
      async (value) => {
        const res = await t.http.get(a.base).set('Authorization', `Bearer ${value}`).expect(401);
        expect(res.body.errors).toEqual([
          {
            title: 'Unauthorized',
            detail:
              "Token format is invalid (make sure that you're providing a token value, not a token's UUID identifier)",
            code: 'TOKEN_FORMAT_INVALID',
            links: { about: TOKEN_ABOUT },
          },
        ]);
      },
    );

    it.each<[string, () => Record<string, string> | string, string]>([
      ['License <key>', () => ({ Authorization: 'License NOPE-NOPE-NOPE' }), 'License'],
      ['Basic license:<key>', () => ({ Authorization: basic('license', 'NOPE-NOPE') }), 'Basic'],
      ['?auth=license:<key>', () => '?auth=license:NOPE', 'Bearer'],
    ])(
      'rejects an unknown license key given as %s with LICENSE_INVALID',
      async (_label, cred, scheme) => {
        const c = cred();
        const req = typeof c === 'string' ? t.http.get(`${a.base}${c}`) : t.http.get(a.base).set(c);
        const res = await req.expect(401);
        expect(res.body.errors).toEqual([LICENSE_INVALID]);
        expect(res.headers['www-authenticate']).toBe(`${scheme} realm="keygen"`);
      },
    );
  });

  describe('accepted credential forms', () => {
    it.each<[string, () => string | Record<string, string>]>([
      ['Bearer', () => ({ Authorization: `Bearer ${a.adminToken}` })],
      ['Token', () => ({ Authorization: `Token ${a.adminToken}` })],
      ['Bearer token="…"', () => ({ Authorization: `Bearer token="${a.adminToken}"` })],
      ['Basic token:<tok>', () => ({ Authorization: basic('token', a.adminToken) })],
      ['Basic <tok>:', () => ({ Authorization: basic(a.adminToken, '') })],
      ['?token=', () => `?token=${a.adminToken}`],
      ['?auth=token:', () => `?auth=token:${a.adminToken}`],
      ['?auth=<tok>', () => `?auth=${a.adminToken}`],
    ])('authenticates %s', async (_label, cred) => {
      const c = cred();
      const req = typeof c === 'string' ? t.http.get(`${a.base}${c}`) : t.http.get(a.base).set(c);
      const res = await req.expect(200);
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
    });

    it('prefers the Authorization header over the query', async () => {
      const res = await t.http.get(`${a.base}?token=garbage`).set(a.auth).expect(200);
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
    });
  });

  describe('token state', () => {
    it('rejects an expired token with TOKEN_EXPIRED', async () => {
      const u = await given(t).user(a.account, {
        role: 'admin',
        tokenExpiry: new Date(Date.now() - 60_000),
      });
      const res = await t.http.get(a.base).set(u.auth).expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'Token is expired',
          code: 'TOKEN_EXPIRED',
          links: { about: TOKEN_ABOUT },
        },
      ]);
    });

    it("rejects a banned user's token with USER_BANNED", async () => {
      const u = await given(t).user(a.account, { role: 'user', banned: true });
      const res = await t.http.get(a.base).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([
        { title: 'Access denied', detail: 'User is banned', code: 'USER_BANNED' },
      ]);
      expect(res.headers['www-authenticate']).toBeUndefined();
    });
  });

  describe('403 permissions', () => {
    it('denies account.update to a read-only user', async () => {
      const u = await given(t).user(a.account, { role: 'read-only' });
      const res = await t.http
        .patch(a.base)
        .set(u.auth)
        .send({ data: { type: 'accounts', attributes: { name: 'x' } } })
        .expect(403);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Access denied',
            detail:
              'You do not have permission to complete the request (read only lacks permission to perform action)',
          },
        ],
      });
      expect(res.headers['keygen-signature']).toBeDefined();
    });

    it('lets a read-only user read the account', async () => {
      const u = await given(t).user(a.account, { role: 'read-only' });
      await t.http.get(a.base).set(u.auth).expect(200);
    });

    it('denies account.read to a user by default', async () => {
      const u = await given(t).user(a.account, { role: 'user' });
      const res = await t.http.get(a.base).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (user lacks permission to perform action)',
        },
      ]);
    });

    it('allows account.read to a user granted it explicitly', async () => {
      const u = await given(t).user(a.account, { role: 'user', permissions: ['account.read'] });
      await t.http.get(a.base).set(u.auth).expect(200);
    });

    it('denies when the token lacks the permission', async () => {
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['user.read'] },
      );
      const res = await t.http.get(a.base).set('Authorization', `Bearer ${tok.raw}`).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
    });

    it('checks params after authorization on update (403 beats 400)', async () => {
      const u = await given(t).user(a.account, { role: 'read-only' });
      await t.http
        .patch(a.base)
        .set(u.auth)
        .send({ data: { type: 'nope' } })
        .expect(403);
    });
  });
});
