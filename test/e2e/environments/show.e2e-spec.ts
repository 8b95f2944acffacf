import type { Environment } from '@app/modules/environments/environment.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

describe('GET /v1/accounts/:account/environments/:id', () => {
  let t: TestApp;
  let a: GivenAccount;
  let shared: { environment: Environment; token: string; auth: Record<string, string> };
  let isolated: { environment: Environment; token: string; auth: Record<string, string> };
  const path = (id: string) => `${a.base}/environments/${id}`;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    shared = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
    isolated = await given(t).environment(a.account, { isolationStrategy: 'ISOLATED' });
  });
  afterAll(() => t.close());

  const notFound = (id: string) => ({
    title: 'Not found',
    detail: `The requested environment '${id}' was not found`,
    code: 'NOT_FOUND',
  });

  describe('200', () => {
    it('renders the environment by id', async () => {
      const e = shared.environment;
      const res = await t.http.get(path(e.id)).set(a.auth).expect(200);
      expect(res.body).toEqual({
        data: {
          id: e.id,
          type: 'environments',
          attributes: {
            name: e.name,
            code: e.code,
            isolationStrategy: 'SHARED',
            created: e.createdAt.toISOString(),
            updated: e.updatedAt.toISOString(),
          },
          relationships: {
            account: {
              links: { related: `/v1/accounts/${a.id}` },
              data: { type: 'accounts', id: a.id },
            },
          },
          links: { self: `/v1/accounts/${a.id}/environments/${e.id}` },
        },
      });
    });

    it('finds the environment by its code, and by an undashed upper-case id', async () => {
      const byCode = await t.http.get(path(isolated.environment.code)).set(a.auth).expect(200);
      expect(byCode.body.data.id).toBe(isolated.environment.id);
      const undashed = isolated.environment.id.replace(/-/g, '').toUpperCase();
      const byId = await t.http.get(path(undashed)).set(a.auth).expect(200);
      expect(byId.body.data.id).toBe(isolated.environment.id);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s read it',
      async (role) => {
        const u = await given(t).user(a.account, { role });
        const res = await t.http.get(path(shared.environment.id)).set(u.auth).expect(200);
        expect(res.body.data.id).toBe(shared.environment.id);
      },
    );

    it('lets an environment read itself, by id or code', async () => {
      for (const ref of [shared.environment.id, shared.environment.code]) {
        const res = await t.http.get(path(ref)).set(shared.auth).expect(200);
        expect(res.body.data.id).toBe(shared.environment.id);
        expect(res.headers['keygen-environment']).toBe(shared.environment.code);
      }
    });

    it('lets an admin read any environment from inside an environment', async () => {
      const res = await t.http
        .get(path(isolated.environment.id))
        .set({ ...a.auth, 'Keygen-Environment': shared.environment.code })
        .expect(200);
      expect(res.body.data.id).toBe(isolated.environment.id);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http.get(path(shared.environment.id)).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it('denies an environment token lacking environment.read', async () => {
      const tok = await given(t).token(
        a.account,
        {
          type: 'environments',
          id: isolated.environment.id,
          role: 'environment',
          environmentId: isolated.environment.id,
        },
        { permissions: ['account.read'] },
      );
      const res = await t.http
        .get(path(isolated.environment.id))
        .set({
          Authorization: `Bearer ${tok.raw}`,
          'Keygen-Environment': isolated.environment.code,
        })
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (token lacks permission to perform action)',
      );
    });
  });

  describe('404', () => {
    it('reports an unknown id or code', async () => {
      const res = await t.http.get(path('invalid')).set(a.auth).expect(404);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [notFound('invalid')],
      });
    });

    it('matches codes exactly (case-sensitive)', async () => {
      const upper = isolated.environment.code.toUpperCase();
      const res = await t.http.get(path(upper)).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound(upper)]);
    });

    it("hides another account's environment", async () => {
      const other = await given(t).account();
      const theirs = await given(t).environment(other.account);
      await t.http.get(path(theirs.environment.id)).set(a.auth).expect(404);
    });

    it('hides other environments from an environment bearer', async () => {
      const res = await t.http.get(path(shared.environment.id)).set(isolated.auth).expect(404);
      expect(res.body.errors).toEqual([notFound(shared.environment.id)]);
    });

    it('hides environments from a user (out of scope, not forbidden)', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http.get(path(shared.environment.id)).set(u.auth).expect(404);
      expect(res.body.errors).toEqual([notFound(shared.environment.id)]);
    });

    it('hides environments from a user of a shared environment', async () => {
      const u = await given(t).user(a.account, { environment: shared.environment });
      await t.http
        .get(path(shared.environment.id))
        .set({ ...u.auth, 'Keygen-Environment': shared.environment.code })
        .expect(404);
    });
  });
});
