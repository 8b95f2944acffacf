import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { DAY_MS } from '../tokens/helpers';

const TOKEN_ABOUT = { about: 'https://keygen.sh/docs/api/authentication/#token-authentication' };

describe('token authentication (spec 01 §1.1–1.3)', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const me = (): string => `${a.base}/me`;
  const b64 = (s: string): string => Buffer.from(s).toString('base64');

  describe('credential forms', () => {
    it.each([
      ['Bearer <token>', (tok: string) => ({ Authorization: `Bearer ${tok}` })],
      ['Token <token>', (tok: string) => ({ Authorization: `Token ${tok}` })],
      ['Token token="<token>"', (tok: string) => ({ Authorization: `Token token="${tok}"` })],
      ['Bearer with surrounding spaces', (tok: string) => ({ Authorization: `Bearer   ${tok}  ` })],
      ['Basic token:<token>', (tok: string) => ({ Authorization: `Basic ${b64(`token:${tok}`)}` })],
      ['Basic <token>: (legacy)', (tok: string) => ({ Authorization: `Basic ${b64(`${tok}:`)}` })],
      [
        'Basic with quotes around the value',
        (tok: string) => ({ Authorization: `Basic "${b64(`token:${tok}`)}"` }),
      ],
    ])('accepts %s', async (_form, headers) => {
      const res = await t.http.get(me()).set(headers(a.adminToken)).expect(200);
      expect(res.body.data.id).toBe(a.admin.id);
      expect(res.headers['keygen-bearer']).toBe(a.admin.id);
      expect(res.headers['keygen-token']).toBe(res.body.included[0].id);
    });

    it.each(['?token=', '?auth=token:', '?auth='])(
      'accepts the %s<token> query parameter',
      async (prefix) => {
        const res = await t.http.get(`${me()}${prefix}${a.adminToken}`).expect(200);
        expect(res.body.data.id).toBe(a.admin.id);
      },
    );

    it('prefers the Authorization header over the query parameter', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http.get(`${me()}?token=${u.token}`).set(a.auth).expect(200);
      expect(res.body.data.id).toBe(a.admin.id);
    });

    it('treats a lower-case bearer scheme as no credentials', async () => {
      const res = await t.http.get(me()).set('Authorization', `bearer ${a.adminToken}`).expect(401);
      expect(res.body.errors[0]).toEqual({
        title: 'Unauthorized',
        detail: 'You must be authenticated to complete the request',
        code: 'TOKEN_MISSING',
        links: { about: 'https://keygen.sh/docs/api/authentication/' },
      });
    });
  });

  describe('WWW-Authenticate', () => {
    it.each([
      ['Bearer nope-nope', 'Bearer'],
      ['Token nope-nope', 'Token'],
      [`Basic ${Buffer.from('token:nope').toString('base64')}`, 'Basic'],
      ['License some-key', 'License'],
    ])('echoes the scheme of %s', async (authorization, scheme) => {
      const res = await t.http.get(me()).set('Authorization', authorization).expect(401);
      expect(res.headers['www-authenticate']).toBe(`${scheme} realm="keygen"`);
    });

    it('defaults to Bearer without credentials and for query tokens', async () => {
      const none = await t.http.get(me()).expect(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="keygen"');
      const query = await t.http.get(`${me()}?token=nope`).expect(401);
      expect(query.headers['www-authenticate']).toBe('Bearer realm="keygen"');
    });
  });

  describe('401', () => {
    it('TOKEN_MISSING without credentials', async () => {
      const res = await t.http.get(me()).expect(401);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Unauthorized',
            detail: 'You must be authenticated to complete the request',
            code: 'TOKEN_MISSING',
            links: { about: 'https://keygen.sh/docs/api/authentication/' },
          },
        ],
      });
    });

    it.each([
      'nope',
      'user-abcv3',
      'user-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefv3',
      'userabc',
    ])('TOKEN_INVALID for the unknown value %s', async (value) => {
      const res = await t.http.get(me()).set('Authorization', `Bearer ${value}`).expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'You must be authenticated to complete the request',
          code: 'TOKEN_INVALID',
          links: TOKEN_ABOUT,
        },
      ]);
    });

    it('TOKEN_INVALID for an empty Basic credential and one without a colon', async () => {
      for (const value of [b64(':'), b64('just-a-value')]) {
        const res = await t.http.get(me()).set('Authorization', `Basic ${value}`).expect(401);
        expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
      }
    });

    it.each(['2845d39b-050f-417a-8f06-a50f31c2b792', '2845D39B050F417A8F06A50F31C2B792'])(
      'TOKEN_FORMAT_INVALID for a token UUID such as %s',
      async (value) => {
        const res = await t.http.get(me()).set('Authorization', `Bearer ${value}`).expect(401);
        expect(res.body.errors).toEqual([
          {
            title: 'Unauthorized',
            detail:
              "Token format is invalid (make sure that you're providing a token value, not a token's UUID identifier)",
            code: 'TOKEN_FORMAT_INVALID',
            links: TOKEN_ABOUT,
          },
        ]);
      },
    );

    it('TOKEN_EXPIRED once the expiry has passed', async () => {
      const u = await given(t).user(a.account, {
        tokenExpiry: new Date(t.clock.now().getTime() + DAY_MS),
      });
      await t.http.get(me()).set(u.auth).expect(200);
      t.clock.advance(DAY_MS + 1_000);
      try {
        const res = await t.http.get(me()).set(u.auth).expect(401);
        expect(res.body.errors).toEqual([
          {
            title: 'Unauthorized',
            detail: 'Token is expired',
            code: 'TOKEN_EXPIRED',
            links: TOKEN_ABOUT,
          },
        ]);
      } finally {
        t.clock.reset();
      }
    });

    it('TOKEN_INVALID for a revoked token', async () => {
      const u = await given(t).user(a.account);
      const list = await t.http.get(`${a.base}/tokens`).set(u.auth).expect(200);
      await t.http.delete(`${a.base}/tokens/${list.body.data[0].id}`).set(a.auth).expect(204);
      const res = await t.http.get(me()).set(u.auth).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });

    it('TOKEN_INVALID for a token of another account', async () => {
      const other = await given(t).account();
      const res = await t.http.get(me()).set(other.auth).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
      expect(res.headers['keygen-account']).toBe(a.id);
    });

    it('TOKEN_INVALID for an environment token without its environment', async () => {
      const env = await given(t).environment(a.account);
      await t.http.get(me()).set('Authorization', `Bearer ${env.token}`).expect(401);
      await t.http.get(me()).set(env.auth).expect(200);
    });

    it("TOKEN_INVALID for a global admin's token inside an isolated environment, not in a shared one", async () => {
      const isolated = await given(t).environment(a.account);
      const shared = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .get(me())
        .set(a.auth)
        .set('Keygen-Environment', isolated.environment.code)
        .expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
      const ok = await t.http
        .get(me())
        .set(a.auth)
        .set('Keygen-Environment', shared.environment.code)
        .expect(200);
      expect(ok.headers['keygen-environment']).toBe(shared.environment.code);
    });

    it('LICENSE_INVALID for an unknown license key', async () => {
      for (const req of [
        t.http.get(me()).set('Authorization', 'License nope'),
        t.http.get(`${me()}?auth=license:nope`),
        t.http.get(me()).set('Authorization', `Basic ${b64('license:nope')}`),
      ]) {
        const res = await req.expect(401);
        expect(res.body.errors[0]).toEqual({
          title: 'Unauthorized',
          detail: 'You must be authenticated to complete the request',
          code: 'LICENSE_INVALID',
          links: { about: 'https://keygen.sh/docs/api/authentication/#license-authentication' },
        });
      }
    });
  });

  describe('403', () => {
    it("USER_BANNED for a banned user's token", async () => {
      const u = await given(t).user(a.account, { banned: true });
      const res = await t.http.get(me()).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([
        { title: 'Access denied', detail: 'User is banned', code: 'USER_BANNED' },
      ]);
      expect(res.body.meta.id).toBe(res.headers['x-request-id']);
    });
  });

  describe('token permissions', () => {
    it('lets a token holding only user.read read but not act elsewhere', async () => {
      const tok = await given(t).token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['user.read', 'admin.read'] },
      );
      const headers = { Authorization: `Bearer ${tok.raw}` };
      const res = await t.http.get(me()).set(headers).expect(200);
      expect(res.body.included[0].attributes.permissions).toEqual(['admin.read', 'user.read']);
      for (const path of [`${a.base}/tokens`, a.base]) {
        const denied = await t.http.get(path).set(headers).expect(403);
        expect(denied.body.errors).toEqual([
          {
            title: 'Access denied',
            detail:
              'You do not have permission to complete the request (token lacks permission to perform action)',
          },
        ]);
      }
    });

    it("never grants more than the bearer's own permissions", async () => {
      const u = await given(t).user(a.account, { permissions: ['token.read'] });
      const res = await t.http.get(me()).set(u.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (user lacks permission to perform action)',
      );
      await t.http.get(`${a.base}/tokens`).set(u.auth).expect(200);
    });
  });
});
