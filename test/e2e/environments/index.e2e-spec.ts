import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const GENERIC_403 =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';

describe('GET /v1/accounts/:account/environments', () => {
  let t: TestApp;
  let a: GivenAccount;
  let codes: string[];
  const path = () => `${a.base}/environments`;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    codes = [];
    for (let i = 0; i < 3; i++) {
      const env = await given(t).environment(a.account, {
        isolationStrategy: i === 0 ? 'SHARED' : 'ISOLATED',
      });
      codes.push(env.environment.code);
      t.clock.advance(1000);
    }
    // Another account's environments never show up.
    const other = await given(t).account();
    await given(t).environment(other.account);
  });
  afterAll(() => t.close());

  describe('200', () => {
    it.each(['admin', 'developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lists every environment of the account, newest first, for a %s',
      async (role) => {
        const auth = role === 'admin' ? a.auth : (await given(t).user(a.account, { role })).auth;
        const res = await t.http.get(path()).set(auth).expect(200);
        expect(
          res.body.data.map((e: { attributes: { code: string } }) => e.attributes.code),
        ).toEqual([...codes].reverse());
        expect(res.body.data[0]).toMatchObject({
          type: 'environments',
          attributes: { name: codes[2], code: codes[2], isolationStrategy: 'ISOLATED' },
          relationships: { account: { data: { type: 'accounts', id: a.id } } },
        });
      },
    );

    it('pages with page[number] and page[size]', async () => {
      const res = await t.http.get(`${path()}?page[number]=1&page[size]=2`).set(a.auth).expect(200);
      expect(res.body.data).toHaveLength(2);
      expect(res.body.links).toMatchObject({ meta: { pages: 2, count: 3 } });
      const page2 = await t.http
        .get(`${path()}?page[number]=2&page[size]=2`)
        .set(a.auth)
        .expect(200);
      expect(
        page2.body.data.map((e: { attributes: { code: string } }) => e.attributes.code),
      ).toEqual([codes[0]]);
    });

    it('honours limit', async () => {
      const res = await t.http.get(`${path()}?limit=1`).set(a.auth).expect(200);
      expect(res.body.data).toHaveLength(1);
    });

    it('lists from inside a shared environment too (reads are not strict)', async () => {
      const res = await t.http
        .get(path())
        .set({ ...a.auth, 'Keygen-Environment': codes[0] })
        .expect(200);
      expect(res.body.data).toHaveLength(3);
      expect(res.headers['keygen-environment']).toBe(codes[0]);
    });
  });

  describe('400', () => {
    it.each([
      ['page[size]=250', 'page size must be a number between 1 and 100 (got 250)', 'page[size]'],
      ['limit=900', 'limit must be a number between 1 and 100 (got 900)', 'limit'],
    ])('rejects %s', async (query, detail, parameter) => {
      const res = await t.http
        .get(`${path()}?${query}${query.startsWith('page') ? '&page[number]=1' : ''}`)
        .set(a.auth)
        .expect(400);
      expect(res.body.errors[0]).toEqual({ title: 'Bad request', detail, source: { parameter } });
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const res = await t.http.get(path()).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it('denies an environment bearer (it may only read itself)', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http.get(path()).set(env.auth).expect(403);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [{ title: 'Access denied', detail: GENERIC_403 }],
      });
    });

    it('denies a user', async () => {
      const u = await given(t).user(a.account);
      const res = await t.http.get(path()).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (user lacks permission to perform action)',
        },
      ]);
    });

    it('denies a user inside an isolated environment', async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      await t.http
        .get(path())
        .set({ ...u.auth, 'Keygen-Environment': env.environment.code })
        .expect(403);
    });

    it('denies a read-only user whose permissions lack environment.read', async () => {
      const ro = await given(t).user(a.account, {
        role: 'read-only',
        permissions: ['account.read'],
      });
      const res = await t.http.get(path()).set(ro.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (read only lacks permission to perform action)',
      );
    });
  });
});
