import type { Environment } from '@app/modules/environments/environment.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount, type GivenUser } from '../../support/factories';
import { bearer, tokenBody, tokenPattern } from './helpers';

describe('/v1/accounts/:account/environments/:environment/tokens', () => {
  let t: TestApp;
  let a: GivenAccount;
  let isolated: { environment: Environment; token: string; auth: Record<string, string> };
  let shared: { environment: Environment; token: string; auth: Record<string, string> };
  let isolatedAdmin: GivenUser;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    isolated = await given(t).environment(a.account);
    shared = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
    isolatedAdmin = await given(t).user(a.account, {
      role: 'admin',
      environment: isolated.environment,
    });
  });
  afterAll(() => t.close());

  const url = (env: string, id?: string): string =>
    `${a.base}/environments/${env}/tokens${id ? `/${id}` : ''}`;
  const inIsolated = (): Record<string, string> => ({
    ...bearer(isolatedAdmin.token),
    'Keygen-Environment': isolated.environment.code,
  });

  describe('POST (create)', () => {
    it('generates an environment token inside that environment, by id or by code', async () => {
      for (const ref of [isolated.environment.id, isolated.environment.code]) {
        const res = await t.http
          .post(url(ref))
          .set(inIsolated())
          .send(tokenBody({ attributes: { name: 'Isolated Token' } }))
          .expect(201);
        expect(res.body.data.attributes).toMatchObject({
          name: 'Isolated Token',
          kind: 'environment-token',
          expiry: null,
        });
        expect(res.body.data.attributes.token).toMatch(tokenPattern('env'));
        expect(res.body.data.relationships.environment).toEqual({
          links: { related: `/v1/accounts/${a.id}/environments/${isolated.environment.id}` },
          data: { type: 'environments', id: isolated.environment.id },
        });
        expect(res.body.data.relationships.bearer.data).toEqual({
          type: 'environments',
          id: isolated.environment.id,
        });
        expect(res.headers.location).toBe(
          `https://api.keyward.test/v1/accounts/${a.id}/tokens/${res.body.data.id}`,
        );
        expect(res.headers['keygen-environment']).toBe(isolated.environment.code);
        // the new token authenticates as the environment
        const me = await t.http
          .get(`${a.base}/me`)
          .set(bearer(res.body.data.attributes.token))
          .set('Keygen-Environment', isolated.environment.code)
          .expect(200);
        expect(me.body.data).toMatchObject({ type: 'environments', id: isolated.environment.id });
      }
    });

    it('lets a global admin generate one from inside a shared environment', async () => {
      const res = await t.http
        .post(url(shared.environment.id))
        .set(a.auth)
        .set('Keygen-Environment', shared.environment.code)
        .expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: shared.environment.id,
      });
    });

    it('stores custom permissions within the environment set', async () => {
      const res = await t.http
        .post(url(isolated.environment.id))
        .set(inIsolated())
        .send(
          tokenBody({
            attributes: { permissions: ['policy.read', 'license.validate', 'license.read'] },
          }),
        )
        .expect(201);
      expect(res.body.data.attributes.permissions).toEqual([
        'license.read',
        'license.validate',
        'policy.read',
      ]);
    });

    it.each([[['environment.create']], [['license.read', 'foo.bar']]])(
      'rejects permissions %j',
      async (permissions) => {
        const res = await t.http
          .post(url(isolated.environment.id))
          .set(inIsolated())
          .send(tokenBody({ attributes: { permissions } }))
          .expect(422);
        expect(res.body.errors).toEqual([
          {
            title: 'Unprocessable resource',
            detail: 'unsupported permissions',
            code: 'PERMISSIONS_NOT_ALLOWED',
            source: { pointer: '/data/attributes/permissions' },
            links: { about: 'https://keygen.sh/docs/api/tokens/#tokens-object-attrs-permissions' },
          },
        ]);
      },
    );

    it.each([
      ['from the global environment', {}],
      ['for the global environment', { relationships: { environment: { data: null } } }],
    ])('forbids a token %s', async (_label, body) => {
      const headers = _label === 'from the global environment' ? a.auth : inIsolated();
      const res = await t.http
        .post(url(isolated.environment.id))
        .set(headers)
        .send(tokenBody(body))
        .expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (record environment is not compatible with the current environment)',
        },
      ]);
    });

    it('forbids a token for another environment', async () => {
      const other = await given(t).environment(a.account);
      await t.http.post(url(other.environment.id)).set(inIsolated()).expect(403);
    });

    it("rejects a global admin's token inside an isolated environment", async () => {
      const res = await t.http
        .post(url(isolated.environment.id))
        .set(a.auth)
        .set('Keygen-Environment', isolated.environment.code)
        .expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });

    it('forbids an environment generating its own token (no environment.tokens.generate)', async () => {
      const res = await t.http.post(url(isolated.environment.id)).set(isolated.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (environment lacks permission to perform action)',
      );
    });

    it('forbids a sales agent', async () => {
      const sales = await given(t).user(a.account, {
        role: 'sales-agent',
        environment: isolated.environment,
      });
      await t.http
        .post(url(isolated.environment.id))
        .set(bearer(sales.token))
        .set('Keygen-Environment', isolated.environment.code)
        .expect(403);
    });

    it('404s another environment for an environment bearer, and any environment for a user', async () => {
      const res = await t.http.post(url(shared.environment.id)).set(isolated.auth).expect(404);
      expect(res.body.errors[0].detail).toBe(
        `The requested environment '${shared.environment.id}' was not found`,
      );
      const u = await given(t).user(a.account, { environment: isolated.environment });
      await t.http
        .post(url(isolated.environment.id))
        .set(bearer(u.token))
        .set('Keygen-Environment', isolated.environment.code)
        .expect(404);
      await t.http.post(url('nope')).set(a.auth).expect(404);
    });

    it('401s an environment token used outside its environment', async () => {
      await t.http.post(url(shared.environment.id)).set(bearer(shared.token)).expect(401);
    });
  });

  describe('GET (index)', () => {
    it("lists only the environment's own tokens to an admin inside it", async () => {
      const u = await given(t).user(a.account, { environment: isolated.environment });
      expect(u.token).toBeDefined();
      const res = await t.http.get(url(isolated.environment.id)).set(inIsolated()).expect(200);
      expect(res.body.data.length).toBeGreaterThanOrEqual(1);
      for (const r of res.body.data) {
        expect(r.relationships.bearer.data).toEqual({
          type: 'environments',
          id: isolated.environment.id,
        });
        expect(r.attributes.token).toBeUndefined();
      }
    });

    it('lists an environment its own tokens', async () => {
      const res = await t.http.get(url(shared.environment.code)).set(shared.auth).expect(200);
      expect(res.body.data.map((r: { id: string }) => r.id)).toContain(
        (await t.http.get(`${a.base}/profile`).set(shared.auth).expect(200)).body.meta.tokenId,
      );
    });

    it('lists nothing to an admin in the global environment (tokens live in the environment)', async () => {
      const res = await t.http.get(url(isolated.environment.id)).set(a.auth).expect(200);
      expect(res.body.data).toEqual([]);
    });

    it('404s another environment for an environment bearer and any environment for a user', async () => {
      await t.http.get(url(shared.environment.id)).set(isolated.auth).expect(404);
      const u = await given(t).user(a.account);
      await t.http.get(url(isolated.environment.id)).set(u.auth).expect(404);
    });
  });

  describe('GET (show)', () => {
    it('renders an environment token to an admin, even from the global environment', async () => {
      const tok = await given(t).token(a.account, {
        type: 'environments',
        id: isolated.environment.id,
        role: 'environment',
        environmentId: isolated.environment.id,
      });
      const res = await t.http
        .get(url(isolated.environment.id, tok.token.id))
        .set(a.auth)
        .expect(200);
      expect(res.body.data).toMatchObject({
        id: tok.token.id,
        attributes: { kind: 'environment-token' },
      });
      await t.http.get(url(isolated.environment.id, tok.token.id)).set(isolated.auth).expect(200);
    });

    it('404s a token that is not the environment own, and a non-UUID id', async () => {
      const u = await given(t).user(a.account, { environment: isolated.environment });
      const tok = await given(t).token(a.account, {
        type: 'users',
        id: u.user.id,
        role: 'user',
        environmentId: isolated.environment.id,
      });
      const res = await t.http
        .get(url(isolated.environment.id, tok.token.id))
        .set(inIsolated())
        .expect(404);
      expect(res.body.errors[0].detail).toBe(`The requested token '${tok.token.id}' was not found`);
      await t.http.get(url(isolated.environment.id, 'nope')).set(inIsolated()).expect(404);
    });
  });
});
