import type { Environment } from '@app/modules/environments/environment.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const ENVIRONMENT_INVALID = {
  title: 'Bad request',
  detail: 'environment is invalid',
  code: 'ENVIRONMENT_INVALID',
  source: { header: 'Keygen-Environment' },
};

/**
 * Spec 01 §3.2 / spec 00 §12: `Keygen-Environment` (header) or `?environment=`
 * (param) selects the current environment by id or code before authentication.
 */
describe('selecting the current environment', () => {
  let t: TestApp;
  let a: GivenAccount;
  let shared: Environment;
  let other: Environment;
  const path = () => `${a.base}/environments`;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    shared = (await given(t).environment(a.account, { isolationStrategy: 'SHARED' })).environment;
    other = (await given(t).environment(a.account, { isolationStrategy: 'SHARED' })).environment;
  });
  afterAll(() => t.close());

  describe('selected', () => {
    it('selects by code with the header and echoes the code', async () => {
      const res = await t.http
        .get(path())
        .set({ ...a.auth, 'Keygen-Environment': shared.code })
        .expect(200);
      expect(res.headers['keygen-environment']).toBe(shared.code);
    });

    it('selects by id and still echoes the code', async () => {
      for (const id of [shared.id, shared.id.replace(/-/g, '').toUpperCase()]) {
        const res = await t.http
          .get(path())
          .set({ ...a.auth, 'Keygen-Environment': id })
          .expect(200);
        expect(res.headers['keygen-environment']).toBe(shared.code);
      }
    });

    it('selects with the environment query param', async () => {
      const res = await t.http.get(`${path()}?environment=${shared.code}`).set(a.auth).expect(200);
      expect(res.headers['keygen-environment']).toBe(shared.code);
      const byId = await t.http.get(`${path()}?environment=${shared.id}`).set(a.auth).expect(200);
      expect(byId.headers['keygen-environment']).toBe(shared.code);
    });

    it('lets the header win over the param', async () => {
      const res = await t.http
        .get(`${path()}?environment=${other.code}`)
        .set({ ...a.auth, 'Keygen-Environment': shared.code })
        .expect(200);
      expect(res.headers['keygen-environment']).toBe(shared.code);
      // An unknown header is not rescued by a valid param.
      const bad = await t.http
        .get(`${path()}?environment=${shared.code}`)
        .set({ ...a.auth, 'Keygen-Environment': 'nope' })
        .expect(400);
      expect(bad.body.errors).toEqual([ENVIRONMENT_INVALID]);
    });

    it('uses the global environment when neither is given (no Keygen-Environment header)', async () => {
      const res = await t.http.get(path()).set(a.auth).expect(200);
      expect(res.headers['keygen-environment']).toBeUndefined();
    });
  });

  describe('400 ENVIRONMENT_INVALID', () => {
    it.each([
      ['an unknown header value', (p: string) => p, { 'Keygen-Environment': 'does-not-exist' }],
      ['an unknown param value', (p: string) => `${p}?environment=does-not-exist`, {}],
      ['a code in the wrong case', (p: string) => p, { 'Keygen-Environment': 'WRONG-CASE' }],
      [
        'an unknown UUID',
        (p: string) => p,
        { 'Keygen-Environment': '4d4b1ac1-8f4c-4e0c-9b59-0f0b9d6c1c2a' },
      ],
    ])('rejects %s (source is always the header)', async (_label, url, headers) => {
      const res = await t.http
        .get(url(path()))
        .set({ ...a.auth, ...headers })
        .expect(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [ENVIRONMENT_INVALID],
      });
      expect(res.headers['keygen-environment']).toBeUndefined();
      expect(res.headers['keygen-account']).toBe(a.id);
    });

    it("rejects another account's environment", async () => {
      const b = await given(t).account();
      const theirs = await given(t).environment(b.account);
      for (const value of [theirs.environment.code, theirs.environment.id]) {
        const res = await t.http
          .get(path())
          .set({ ...a.auth, 'Keygen-Environment': value })
          .expect(400);
        expect(res.body.errors).toEqual([ENVIRONMENT_INVALID]);
      }
    });

    it('resolves the environment before authentication (400 beats 401)', async () => {
      const res = await t.http.get(path()).set('Keygen-Environment', 'nope').expect(400);
      expect(res.body.errors).toEqual([ENVIRONMENT_INVALID]);
      const bad = await t.http
        .get(path())
        .set({ Authorization: 'Bearer not-a-token', 'Keygen-Environment': 'nope' })
        .expect(400);
      expect(bad.body.errors).toEqual([ENVIRONMENT_INVALID]);
    });

    it('rejects an environment right after it was deleted', async () => {
      const doomed = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      await t.http
        .get(path())
        .set({ ...a.auth, 'Keygen-Environment': doomed.environment.code })
        .expect(200);
      await t.http.delete(`${path()}/${doomed.environment.id}`).set(a.auth).expect(204);
      await t.http
        .get(path())
        .set({ ...a.auth, 'Keygen-Environment': doomed.environment.code })
        .expect(400);
    });

    it('accepts a code right after an environment was created with it', async () => {
      const code = `fresh-${Date.now().toString(36)}`;
      // A miss first, so a cached negative lookup would bite.
      await t.http
        .get(path())
        .set({ ...a.auth, 'Keygen-Environment': code })
        .expect(400);
      await t.http
        .post(path())
        .set(a.auth)
        .send({
          data: {
            type: 'environments',
            attributes: { name: 'Fresh', code, isolationStrategy: 'SHARED' },
          },
        })
        .expect(201);
      const res = await t.http
        .get(path())
        .set({ ...a.auth, 'Keygen-Environment': code })
        .expect(200);
      expect(res.headers['keygen-environment']).toBe(code);
    });
  });
});
