import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { License } from '@app/modules/licenses/license.entity';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const LICENSE_ABOUT = 'https://keygen.sh/docs/api/authentication/#license-authentication';
const TOKEN_ABOUT = 'https://keygen.sh/docs/api/authentication/#token-authentication';

const forbidden = (code: string, detail: string, links?: { about: string }) => ({
  title: 'Access denied',
  detail,
  code,
  ...(links ? { links } : {}),
});

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('license authentication (License <key>, Basic license:<key>, license tokens)', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  const me = (headers: Record<string, string>, query = '') =>
    t.http.get(`${a.base}/me${query}`).set(headers);
  const licenseOf = async (authenticationStrategy: string | null, over: Partial<License> = {}) =>
    g.license(a.account, {
      policy: await g.policy(a.account, { authenticationStrategy }),
      ...over,
    });

  describe('credential forms', () => {
    it('accepts License <key>, any case of the scheme word, Basic license:<key> and ?auth=/?token=license:<key>', async () => {
      const l = await licenseOf('LICENSE');
      const forms: Array<[Record<string, string>, string]> = [
        [{ Authorization: `License ${l.key}` }, ''],
        [{ Authorization: `license ${l.key}` }, ''],
        [{ Authorization: `Basic ${b64(`license:${l.key}`)}` }, ''],
        [{}, `?auth=license:${encodeURIComponent(l.key)}`],
        [{}, `?token=license:${encodeURIComponent(l.key)}`],
      ];
      for (const [headers, query] of forms) {
        const res = await me(headers, query).expect(200);
        expect(res.body.data).toMatchObject({ type: 'licenses', id: l.license.id });
      }
    });

    it('renders the license on /me without `included`, and sets Keygen-Bearer but no Keygen-Token', async () => {
      const l = await licenseOf('MIXED');
      const res = await me(l.keyAuth).expect(200);
      expect(Object.keys(res.body)).toEqual(['data']);
      expect(res.body.data).toMatchObject({
        id: l.license.id,
        type: 'licenses',
        attributes: { key: l.key, status: 'ACTIVE' },
        relationships: { policy: { data: { type: 'policies', id: l.license.policyId } } },
        links: { self: `/v1/accounts/${a.id}/licenses/${l.license.id}` },
      });
      expect(res.headers['keygen-bearer']).toBe(l.license.id);
      expect(res.headers['keygen-token'] ?? '').toBe('');
      const profile = await t.http.get(`${a.base}/profile`).set(l.keyAuth).expect(200);
      expect(profile.body.meta).toEqual({ tokenId: null });
    });

    it('renders the license with its token included when authenticated by a license token', async () => {
      const l = await licenseOf('TOKEN');
      const res = await me(l.auth).expect(200);
      expect(res.body.data).toMatchObject({ type: 'licenses', id: l.license.id });
      expect(res.body.included).toHaveLength(1);
      expect(res.body.included[0]).toMatchObject({
        type: 'tokens',
        id: res.headers['keygen-token'],
        attributes: { kind: 'activation-token' },
        relationships: { bearer: { data: { type: 'licenses', id: l.license.id } } },
      });
      expect(res.body.included[0].attributes.token).toBeUndefined();
    });
  });

  describe('401', () => {
    it('LICENSE_INVALID for an unknown key or another account’s, with WWW-Authenticate', async () => {
      const res = await me({ Authorization: 'License not-a-key' }).expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'You must be authenticated to complete the request',
          code: 'LICENSE_INVALID',
          links: { about: LICENSE_ABOUT },
        },
      ]);
      expect(res.headers['www-authenticate']).toBe('License realm="keygen"');
      const basic = await me({ Authorization: `Basic ${b64('license:nope')}` }).expect(401);
      expect(basic.headers['www-authenticate']).toBe('Basic realm="keygen"');
      const other = await g.account();
      const foreign = await g.license(other.account, {
        policy: await g.policy(other.account, { authenticationStrategy: 'LICENSE' }),
      });
      const r2 = await me(foreign.keyAuth).expect(401);
      expect(r2.body.errors[0].code).toBe('LICENSE_INVALID');
    });

    it('a key is exact (case-sensitive, no prefix match)', async () => {
      const l = await licenseOf('LICENSE');
      await me({ Authorization: `License ${l.key.toLowerCase()}` }).expect(401);
      await me({ Authorization: `License ${l.key.slice(0, -1)}` }).expect(401);
    });

    it('TOKEN_MISSING for a blank key', async () => {
      const res = await me({ Authorization: `Basic ${b64('license:')}` }).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
      const bare = await me({ Authorization: 'License' }).expect(401);
      expect(bare.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('authenticationStrategy × credential', () => {
    it.each([
      ['TOKEN', 200, 403],
      ['LICENSE', 403, 200],
      ['MIXED', 200, 200],
      ['SESSION', 403, 403],
      ['NONE', 403, 403],
      [null, 200, 403],
    ])('%s: token %i, key %i', async (strategy, tokenStatus, keyStatus) => {
      const l = await licenseOf(strategy);
      const token = await me(l.auth).expect(tokenStatus);
      if (tokenStatus === 403) {
        expect(token.body.errors).toEqual([
          forbidden('TOKEN_NOT_ALLOWED', 'Token authentication is not allowed by policy', {
            about: TOKEN_ABOUT,
          }),
        ]);
      }
      const key = await me(l.keyAuth).expect(keyStatus);
      if (keyStatus === 403) {
        expect(key.body.errors).toEqual([
          forbidden('LICENSE_NOT_ALLOWED', 'License key authentication is not allowed by policy', {
            about: LICENSE_ABOUT,
          }),
        ]);
      }
    });
  });

  describe('license-key authentication: banned → suspended → expired (REVOKE_ACCESS) → not allowed', () => {
    it('reports the first failure in that order', async () => {
      const owner = await g.user(a.account, { banned: true, password: null });
      const policy = await g.policy(a.account, {
        authenticationStrategy: 'TOKEN',
        expirationStrategy: 'REVOKE_ACCESS',
      });
      const l = await g.license(a.account, {
        policy,
        owner: owner.user,
        suspended: true,
        expiry: new Date(Date.now() - 60_000),
      });
      const step = async (code: string, detail: string, links?: { about: string }) => {
        const res = await me(l.keyAuth).expect(403);
        expect(res.body.errors).toEqual([forbidden(code, detail, links)]);
        // Keygen sets its bearer only after these checks pass: no Keygen-Bearer here.
        expect(res.headers['keygen-bearer']).toBeUndefined();
        expect(res.headers['keygen-account']).toBe(a.id);
      };
      await step('LICENSE_BANNED', 'License is banned');
      await t.ds.getRepository(User).update({ id: owner.user.id }, { bannedAt: null });
      await step('LICENSE_SUSPENDED', 'License is suspended');
      await t.ds.getRepository(License).update({ id: l.license.id }, { suspended: false });
      await step('LICENSE_EXPIRED', 'License is expired');
      await t.ds.getRepository(License).update({ id: l.license.id }, { expiry: null });
      await step('LICENSE_NOT_ALLOWED', 'License key authentication is not allowed by policy', {
        about: LICENSE_ABOUT,
      });
    });

    it('lets an expired license in unless the policy revokes access (or has no strategy)', async () => {
      for (const [expirationStrategy, status] of [
        ['RESTRICT_ACCESS', 200],
        ['MAINTAIN_ACCESS', 200],
        ['ALLOW_ACCESS', 200],
        ['REVOKE_ACCESS', 403],
        [null, 403],
      ] as const) {
        const l = await g.license(a.account, {
          policy: await g.policy(a.account, {
            authenticationStrategy: 'LICENSE',
            expirationStrategy,
          }),
          expiry: new Date(t.clock.now().getTime() + 1000),
        });
        await me(l.keyAuth).expect(200);
        t.clock.advance(2000);
        const res = await me(l.keyAuth).expect(status);
        if (status === 403) {
          expect(res.body.errors[0].code).toBe('LICENSE_EXPIRED');
        }
        t.clock.reset();
      }
    });
  });

  describe('license tokens', () => {
    it('USER_BANNED when the owner is banned; suspension and expiry do not stop a token', async () => {
      const owner = await g.user(a.account, { banned: true, password: null });
      const l = await g.license(a.account, {
        policy: await g.policy(a.account, { expirationStrategy: 'REVOKE_ACCESS' }),
        owner: owner.user,
      });
      const res = await me(l.auth).expect(403);
      expect(res.body.errors).toEqual([
        { title: 'Access denied', detail: 'User is banned', code: 'USER_BANNED' },
      ]);
      await t.ds.getRepository(User).update({ id: owner.user.id }, { bannedAt: null });
      await t.ds
        .getRepository(License)
        .update({ id: l.license.id }, { suspended: true, expiry: new Date(Date.now() - 60_000) });
      await me(l.auth).expect(200);
    });

    it('TOKEN_EXPIRED for an expired license token', async () => {
      const l = await licenseOf('TOKEN');
      const tok = await g.token(
        a.account,
        { type: 'licenses', id: l.license.id, role: 'license', environmentId: null },
        { expiry: new Date(Date.now() - 1000) },
      );
      const res = await me({ Authorization: `Bearer ${tok.raw}` }).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_EXPIRED');
    });
  });

  describe('effective permissions (the license’s ∩ its owner’s)', () => {
    const withOwner = async (own: string[], owner: string[]) => {
      const u = await g.user(a.account, { permissions: owner, password: null });
      return g.license(a.account, {
        policy: await g.policy(a.account, { authenticationStrategy: 'MIXED' }),
        owner: u.user,
        permissions: own,
      });
    };

    it('drops what the owner lacks', async () => {
      const l = await withOwner([...DEFAULT_PERMISSIONS.license], ['entitlement.read']);
      const res = await me(l.keyAuth).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (license lacks permission to perform action)',
        },
      ]);
      await me(l.auth).expect(403);
    });

    it('defers to the owner when the license holds *, and to the license when the owner does', async () => {
      const deferToOwner = await withOwner(['*'], ['license.read']);
      await me(deferToOwner.keyAuth).expect(200);
      await t.http
        .get(`${a.base}/licenses/${deferToOwner.license.id}/entitlements`)
        .set(deferToOwner.keyAuth)
        .expect(403);
      const deferToLicense = await withOwner(['license.read', 'entitlement.read'], ['*']);
      await me(deferToLicense.keyAuth).expect(200);
      await t.http
        .get(`${a.base}/licenses/${deferToLicense.license.id}/entitlements`)
        .set(deferToLicense.keyAuth)
        .expect(200);
    });

    it('keeps the license’s own set without an owner', async () => {
      const l = await g.license(a.account, {
        policy: await g.policy(a.account, { authenticationStrategy: 'LICENSE' }),
        permissions: ['entitlement.read'],
      });
      await me(l.keyAuth).expect(403);
      await t.http
        .get(`${a.base}/licenses/${l.license.id}/entitlements`)
        .set(l.keyAuth)
        .expect(200);
    });
  });

  describe('environments', () => {
    it('finds a key only where the license is visible', async () => {
      const isolated = await g.environment(a.account);
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const inIsolated = await g.license(a.account, {
        policy: await g.policy(a.account, {
          environment: isolated.environment,
          authenticationStrategy: 'LICENSE',
        }),
      });
      const global = await licenseOf('LICENSE');
      // isolated: its own only
      await me(inIsolated.keyAuth).expect(200);
      await me({ Authorization: `License ${inIsolated.key}` }).expect(401);
      await me({
        Authorization: `License ${global.key}`,
        'Keygen-Environment': isolated.environment.code,
      }).expect(401);
      // shared: its own and global licenses
      await me({
        Authorization: `License ${global.key}`,
        'Keygen-Environment': shared.environment.code,
      }).expect(200);
      await me({
        Authorization: `License ${inIsolated.key}`,
        'Keygen-Environment': shared.environment.code,
      }).expect(401);
    });
  });

  describe('as a bearer on license routes', () => {
    it('reads its own relationships with its key and 404s other licenses', async () => {
      const l = await licenseOf('LICENSE');
      const other = await licenseOf('LICENSE');
      await t.http
        .get(`${a.base}/licenses/${l.license.id}/entitlements`)
        .set(l.keyAuth)
        .expect(200);
      await t.http.get(`${a.base}/licenses/${l.key}/entitlements`).set(l.keyAuth).expect(200);
      await t.http
        .get(`${a.base}/licenses/${other.license.id}/entitlements`)
        .set(l.keyAuth)
        .expect(404);
      const tokens = await t.http.post(`${a.base}/tokens`).set(l.keyAuth).expect(403);
      expect(tokens.body.errors[0].title).toBe('Access denied');
    });
  });
});
