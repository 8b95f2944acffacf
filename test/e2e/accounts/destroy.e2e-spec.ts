import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const NO_REASON =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';

describe('DELETE /v1/accounts/:account', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('403', () => {
    it.each(['admin', 'developer', 'read-only', 'user'] as const)(
      'is always denied to a %s',
      async (role) => {
        const auth = role === 'admin' ? a.auth : (await given(t).user(a.account, { role })).auth;
        const res = await t.http.delete(a.base).set(auth).expect(403);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: [{ title: 'Access denied', detail: NO_REASON }],
        });
        await t.http.get(a.base).set(a.auth).expect(200);
      },
    );

    it('is denied to an environment bearer', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http.delete(a.base).set(env.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: NO_REASON }]);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http.delete(a.base).expect(401);
      expect(res.body.errors[0]).toMatchObject({ title: 'Unauthorized', code: 'TOKEN_MISSING' });
    });
  });
});
