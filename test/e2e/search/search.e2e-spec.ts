import { bootApp, type TestApp } from '../../support/app';
import { given, givenLogs, type GivenAccount } from '../../support/factories';

type Doc = { data: Array<{ id: string; type: string }>; links?: Record<string, unknown> };

/** `POST /search` (spec 00 §5.6) against the real list queries. */
describe('POST /v1/accounts/:account/search', () => {
  let t: TestApp;
  let a: GivenAccount;
  let b: GivenAccount;
  const ids: Record<string, string> = {};
  let userAuth: Record<string, string>;
  let licenseAuth: Record<string, string>;
  let readOnlyAuth: Record<string, string>;
  let salesAuth: Record<string, string>;
  let otherLicenseId: string;

  const search = (meta: Record<string, unknown>, auth = a.auth, qs = '') =>
    t.http
      .post(`${a.base}/search${qs}`)
      .set({ ...auth, 'Content-Type': 'application/vnd.api+json' })
      .send({ meta });
  const found = async (type: string, query: Record<string, unknown>, op?: string) => {
    const res = await search({ type, query, ...(op ? { op } : {}) }).expect(200);
    return ((res.body as Doc).data ?? []).map((d) => d.id).sort();
  };
  const sorted = (...xs: string[]) => [...xs].sort();

  beforeAll(async () => {
    t = await bootApp();
    const g = given(t);
    const logs = givenLogs(t);
    a = await g.account();
    b = await g.account();

    const e1 = await g.entitlement(a.account, { name: 'Alpha Feature', code: 'ALPHA_FEATURE' });
    const e2 = await g.entitlement(a.account, { name: 'Beta Feature', code: 'BETA_FEATURE' });
    const p1 = await g.product(a.account, { name: 'Zephyr App', metadata: { tier: 'gold' } });
    const p2 = await g.product(a.account, { name: 'Other Tool', metadata: { tier: 'silver' } });
    const pol1 = await g.policy(a.account, { product: p1.product, name: 'Floating Seats' });
    const pol2 = await g.policy(a.account, { product: p2.product, name: 'Node Locked' });
    const jane = await g.user(a.account, {
      email: 'jane.doe@acme.test',
      firstName: 'Jane',
      lastName: 'Doe',
      metadata: { plan: 'pro', seats: 5 },
    });
    const bob = await g.user(a.account, {
      email: 'bob@other.test',
      firstName: 'Bob',
      lastName: 'Smith',
    });
    const l1 = await g.license(a.account, {
      policy: pol1,
      owner: jane.user,
      name: 'Gold License',
      key: 'SEARCH-KEY-ONE',
      metadata: { tier: 'gold', count: 420, nested: { a: 'b', c: 'd' } },
    });
    const l2 = await g.license(a.account, {
      policy: pol2,
      owner: bob.user,
      name: 'Silver License',
      metadata: { tier: 'silver' },
    });
    const m1 = await g.machine(l1.license, { fingerprint: 'fp-alpha-0001', name: 'Build Server' });
    const m2 = await g.machine(l2.license, { fingerprint: 'fp-beta-0002', name: 'Laptop' });
    const g1 = await g.group(a.account, { name: 'Engineering Team' });
    const g2 = await g.group(a.account, { name: 'Sales Team' });
    const r1 = await logs.requestLog(a.account, { url: '/v1/accounts/x/machines', ip: '10.1.2.3' });
    const r2 = await logs.requestLog(a.account, {
      url: '/v1/accounts/x/licenses',
      ip: '192.168.0.9',
      method: 'POST',
      status: '201',
    });
    Object.assign(ids, {
      e1: e1.id,
      e2: e2.id,
      p1: p1.product.id,
      p2: p2.product.id,
      pol1: pol1.id,
      pol2: pol2.id,
      jane: jane.user.id,
      bob: bob.user.id,
      l1: l1.license.id,
      l2: l2.license.id,
      m1: m1.id,
      m2: m2.id,
      g1: g1.id,
      g2: g2.id,
      r1: r1.id,
      r2: r2.id,
    });
    userAuth = jane.auth;
    licenseAuth = l1.auth;
    readOnlyAuth = (await g.user(a.account, { role: 'read-only' })).auth;
    salesAuth = (await g.user(a.account, { role: 'sales-agent' })).auth;

    // Another account with rows that match the same terms: never found from `a`.
    const bp = await g.product(b.account, { name: 'Zephyr App' });
    const bpol = await g.policy(b.account, { product: bp.product, name: 'Floating Seats' });
    const bl = await g.license(b.account, { policy: bpol, name: 'Gold License' });
    otherLicenseId = bl.license.id;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('200', () => {
    it('finds entitlements by name and code', async () => {
      expect(await found('entitlements', { name: 'alpha' })).toEqual([ids.e1]);
      expect(await found('entitlements', { code: 'beta_f' })).toEqual([ids.e2]);
      expect(await found('entitlements', { name: 'gamma' })).toEqual([]);
    });

    it('finds products by name and metadata', async () => {
      expect(await found('products', { name: 'zephyr' })).toEqual([ids.p1]);
      expect(await found('products', { metadata: { tier: 'silver' } })).toEqual([ids.p2]);
      expect(await found('products', { name: 'nothing-like-it' })).toEqual([]);
    });

    it('finds policies by name and by product name or id', async () => {
      expect(await found('policies', { name: 'floating' })).toEqual([ids.pol1]);
      expect(await found('policies', { product: 'other tool' })).toEqual([ids.pol2]);
      expect(await found('policies', { product: ids.p1 })).toEqual([ids.pol1]);
      expect(await found('policies', { product: ids.p2.slice(0, 8) })).toEqual([ids.pol2]);
    });

    it('finds licenses by name, exact key, metadata, owner and policy', async () => {
      expect(await found('licenses', { name: 'gold' })).toEqual([ids.l1]);
      expect(await found('licenses', { key: 'SEARCH-KEY-ONE' })).toEqual([ids.l1]);
      expect(await found('licenses', { key: 'SEARCH-KEY' })).toEqual([]);
      expect(await found('licenses', { metadata: { count: '420' } })).toEqual([ids.l1]);
      expect(await found('licenses', { metadata: { nested: { a: 'b' } } })).toEqual([ids.l1]);
      expect(await found('licenses', { metadata: { tier: 'bronze' } })).toEqual([]);
      expect(await found('licenses', { user: 'jane.doe' })).toEqual([ids.l1]);
      expect(await found('licenses', { owner: ids.bob })).toEqual([ids.l2]);
      expect(await found('licenses', { policy: 'node locked' })).toEqual([ids.l2]);
    });

    it('treats LIKE wildcards in a term literally', async () => {
      expect(await found('licenses', { name: '%%%' })).toEqual([]);
      expect(await found('licenses', { name: "'; select 1; --" })).toEqual([]);
    });

    it('finds machines by fingerprint, name and license', async () => {
      expect(await found('machines', { fingerprint: 'alpha-00' })).toEqual([ids.m1]);
      expect(await found('machines', { name: 'laptop' })).toEqual([ids.m2]);
      expect(await found('machines', { license: 'silver' })).toEqual([ids.m2]);
      expect(await found('machines', { user: 'jane.doe@acme.test' })).toEqual([ids.m1]);
      expect(await found('machines', { fingerprint: 'gamma' })).toEqual([]);
    });

    it('finds users of every role by email, full name, role and metadata', async () => {
      expect(await found('users', { email: 'acme.test' })).toEqual([ids.jane]);
      expect(await found('users', { fullName: 'bob smi' })).toEqual([ids.bob]);
      expect(await found('users', { fullName: 'bob' })).toEqual([]);
      expect(await found('users', { role: 'admin' })).toEqual([a.admin.id]);
      expect(await found('users', { metadata: { seats: 5 } })).toEqual([ids.jane]);
      expect(await found('users', { lastName: null })).toEqual([]);
    });

    it('finds groups by name', async () => {
      expect(await found('groups', { name: 'engineering' })).toEqual([ids.g1]);
      expect(await found('groups', { name: 'marketing' })).toEqual([]);
    });

    it('finds request logs by url, ip, method and status', async () => {
      expect(await found('request-logs', { url: '/machines' })).toEqual([ids.r1]);
      expect(await found('request-logs', { ip: '192.168' })).toEqual([ids.r2]);
      expect(await found('requestLogs', { method: 'post', status: '201' })).toEqual([ids.r2]);
      expect(await found('request-logs', { url: '/MACHINES' })).toEqual([]);
    });

    it('answers releases with an empty page', async () => {
      const res = await search({ type: 'releases', query: { version: '1.0.0' } }).expect(200);
      expect(res.body.data).toEqual([]);
    });

    it('intersects terms with AND (the default) and unions them with OR', async () => {
      const q = { name: 'gold', policy: 'node locked' };
      expect(await found('licenses', q)).toEqual([]);
      expect(await found('licenses', q, 'and')).toEqual([]);
      expect(await found('licenses', q, 'or')).toEqual(sorted(ids.l1, ids.l2));
      expect(await found('licenses', { name: 'gold', key: 'SEARCH-KEY-ONE' })).toEqual([ids.l1]);
    });

    it("never finds another account's records", async () => {
      expect(await found('licenses', { id: otherLicenseId })).toEqual([]);
      expect(await found('products', { name: 'zephyr' })).toEqual([ids.p1]);
      expect(await found('licenses', { policy: 'floating' })).toEqual([ids.l1]);
    });

    it('paginates like the list endpoint, newest first', async () => {
      const res = await search(
        { type: 'licenses', query: { name: 'license' } },
        a.auth,
        '?page[number]=1&page[size]=1',
      ).expect(200);
      const doc = res.body as Doc;
      expect(doc.data.map((d) => d.id)).toEqual([ids.l2]);
      expect(doc.links).toMatchObject({
        self: `${a.base}/search?page%5Bnumber%5D=1&page%5Bsize%5D=1`,
        next: `${a.base}/search?page%5Bnumber%5D=2&page%5Bsize%5D=1`,
        meta: { pages: 2, count: 2 },
      });
      expect(doc.data[0].type).toBe('licenses');
    });
  });

  describe('400', () => {
    const expect400 = async (body: unknown, detail: string, pointer: string) => {
      const res = await t.http
        .post(`${a.base}/search`)
        .set({ ...a.auth, 'Content-Type': 'application/vnd.api+json' })
        .send(body as object)
        .expect(400);
      expect(res.body.errors[0]).toEqual({ title: 'Bad request', detail, source: { pointer } });
    };

    it.each([
      [
        'an unsupported type',
        { meta: { type: 'tokens', query: { name: 'abc' } } },
        "search type 'tokens' is not supported",
        '/meta/type',
      ],
      [
        'an unknown type',
        { meta: { type: 'widgets', query: { name: 'abc' } } },
        "search type 'widgets' is not supported",
        '/meta/type',
      ],
      ['missing meta', {}, 'is missing', '/meta'],
      ['missing type', { meta: { query: { name: 'abc' } } }, 'is missing', '/meta/type'],
      ['missing query', { meta: { type: 'users' } }, 'is missing', '/meta/query'],
      ['an empty query', { meta: { type: 'users', query: {} } }, 'cannot be blank', '/meta/query'],
      [
        'an unsupported key',
        { meta: { type: 'groups', query: { fingerprint: 'abc' } } },
        "search query 'fingerprint' is not supported for resource type 'groups'",
        '/meta/query/fingerprint',
      ],
      [
        'a short term',
        { meta: { type: 'users', query: { lastName: 'do' } } },
        "search query for 'lastName' is too small (minimum 3 characters)",
        '/meta/query/lastName',
      ],
      [
        'metadata that is not an object',
        { meta: { type: 'licenses', query: { metadata: 'gold' } } },
        "search query for 'metadata' must be a hash of key-value search terms",
        '/meta/query/metadata',
      ],
      [
        'a short metadata value',
        { meta: { type: 'licenses', query: { metadata: { someKey: 'go' } } } },
        "search query for 'someKey' is too small (minimum 3 characters)",
        '/meta/query/metadata/someKey',
      ],
      [
        'an unknown root key',
        { meta: { type: 'users', query: { email: 'abc' } }, foo: 1 },
        'unpermitted parameter',
        '/foo',
      ],
      [
        'an unknown meta key',
        { meta: { type: 'users', query: { email: 'abc' }, bar: 1 } },
        'unpermitted parameter',
        '/meta/bar',
      ],
    ])('rejects %s', async (_name, body, detail, pointer) => {
      await expect400(body, detail, pointer);
    });
  });

  describe('staff roles', () => {
    it('lets read-only search what it may list', async () => {
      const res = await search({ type: 'licenses', query: { name: 'gold' } }, readOnlyAuth).expect(
        200,
      );
      expect((res.body as Doc).data.map((d) => d.id)).toEqual([ids.l1]);
    });

    it('still applies the list permission of the type (sales agents cannot list request logs)', async () => {
      await search({ type: 'licenses', query: { name: 'gold' } }, salesAuth).expect(200);
      await search({ type: 'request-logs', query: { url: '/machines' } }, salesAuth).expect(403);
    });
  });

  describe('403', () => {
    it('refuses user and license bearers', async () => {
      for (const auth of [userAuth, licenseAuth]) {
        const res = await search({ type: 'licenses', query: { name: 'gold' } }, auth).expect(403);
        expect(res.body.errors[0].title).toBe('Access denied');
      }
    });
  });

  describe('401', () => {
    it('requires a bearer', async () => {
      await t.http
        .post(`${a.base}/search`)
        .set('Content-Type', 'application/vnd.api+json')
        .send({ meta: { type: 'licenses', query: { name: 'gold' } } })
        .expect(401);
    });
  });
});
