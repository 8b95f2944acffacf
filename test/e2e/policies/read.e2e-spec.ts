import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import { denied, lacks, notFound } from '../products/support';
import { expectSigned } from '../users/support';
import { policyResource } from './support';

describe('GET /v1/accounts/:account/policies[/:id]', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  describe('index', () => {
    it('lists policies newest first, rendered in full', async () => {
      const a = await g.account();
      const first = await g.policy(a.account);
      t.clock.advance(1000);
      const second = await g.policy(a.account, { floating: true, metadata: { someKey: 1 } });
      const res = await t.http.get(`${a.base}/policies`).set(a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({
        data: [
          policyResource(second, { floating: true, maxMachines: null, metadata: { someKey: 1 } }),
          policyResource(first),
        ],
      });
    });

    it('filters by product; an unknown or malformed product matches nothing', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const mine = await g.policy(a.account, { product: p.product });
      await g.policy(a.account);
      const res = await t.http
        .get(`${a.base}/policies?product=${p.product.id}`)
        .set(a.auth)
        .expect(200);
      expect(res.body.data.map((x: { id: string }) => x.id)).toEqual([mine.id]);
      const undashed = p.product.id.replace(/-/g, '');
      expect(
        (await t.http.get(`${a.base}/policies?product=${undashed}`).set(a.auth)).body.data,
      ).toHaveLength(1);
      expect((await t.http.get(`${a.base}/policies?product=nope`).set(a.auth)).body.data).toEqual(
        [],
      );
      expect((await t.http.get(`${a.base}/policies?product=`).set(a.auth)).body.data).toHaveLength(
        2,
      );
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lists policies to a %s',
      async (role) => {
        const a = await g.account();
        await g.policy(a.account);
        const u = await g.user(a.account, { role });
        expect(
          (await t.http.get(`${a.base}/policies`).set(u.auth).expect(200)).body.data,
        ).toHaveLength(1);
      },
    );

    it("lists a product only its own product's policies", async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      await g.policy(a.account, { product: p.product });
      await g.policy(a.account);
      const res = await t.http.get(`${a.base}/policies`).set(p.auth).expect(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0].relationships.product.data.id).toBe(p.product.id);
    });

    it('lists an environment its policies, plus global ones when shared', async () => {
      const a = await g.account();
      const iso = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      await g.policy(a.account, { environment: iso.environment });
      await g.policy(a.account, { environment: shared.environment });
      await g.policy(a.account);
      expect(
        (await t.http.get(`${a.base}/policies`).set(iso.auth).expect(200)).body.data,
      ).toHaveLength(1);
      expect(
        (await t.http.get(`${a.base}/policies`).set(shared.auth).expect(200)).body.data,
      ).toHaveLength(2);
      expect(
        (await t.http.get(`${a.base}/policies`).set(a.auth).expect(200)).body.data,
      ).toHaveLength(1);
    });

    it('lists nothing to a user granted policy.read but holding no licenses', async () => {
      const a = await g.account();
      await g.policy(a.account);
      const u = await g.user(a.account, { permissions: ['policy.read'] });
      expect((await t.http.get(`${a.base}/policies`).set(u.auth).expect(200)).body.data).toEqual(
        [],
      );
    });

    it('forbids users without policy.read, and anonymous callers', async () => {
      const a = await g.account();
      const u = await g.user(a.account);
      const res = await t.http.get(`${a.base}/policies`).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('user'))]);
      await t.http.get(`${a.base}/policies`).expect(401);
    });

    it('paginates and rejects bad pagination', async () => {
      const a = await g.account();
      for (let i = 0; i < 3; i++) {
        await g.policy(a.account);
        t.clock.advance(1000);
      }
      const page = await t.http
        .get(`${a.base}/policies?page[size]=2&page[number]=1`)
        .set(a.auth)
        .expect(200);
      expect(page.body.data).toHaveLength(2);
      expect(page.body.links.meta).toEqual({ pages: 2, count: 3 });
      await t.http.get(`${a.base}/policies?page[size]=101&page[number]=1`).set(a.auth).expect(400);
    });

    it.each([
      ['1.6', ['leasingStrategy']],
      ['1.3', ['leasingStrategy', 'fingerprintUniquenessStrategy', 'fingerprintMatchingStrategy']],
      [
        '1.1',
        [
          'leasingStrategy',
          'fingerprintUniquenessStrategy',
          'fingerprintMatchingStrategy',
          'concurrent',
        ],
      ],
    ])('renders list items for API %s with %j appended', async (version, tail) => {
      const a = await g.account();
      await g.policy(a.account, { overageStrategy: 'ALWAYS_ALLOW_OVERAGE' });
      const res = await t.http
        .get(`${a.base}/policies`)
        .set({ ...a.auth, 'Keygen-Version': version })
        .expect(200);
      const attrs = res.body.data[0].attributes;
      expect(Object.keys(attrs).slice(-tail.length)).toEqual(tail);
      expect(attrs.processLeasingStrategy).toBeUndefined();
      if (version === '1.1') {
        expect(attrs.concurrent).toBe(true);
      }
    });
  });

  describe('show', () => {
    it('renders a policy by id (dashless and upper-case too)', async () => {
      const a = await g.account();
      const p = await g.policy(a.account);
      const res = await t.http.get(`${a.base}/policies/${p.id}`).set(a.auth).expect(200);
      expect(res.body).toEqual({ data: policyResource(p) });
      await t.http
        .get(`${a.base}/policies/${p.id.replace(/-/g, '').toUpperCase()}`)
        .set(a.auth)
        .expect(200);
    });

    it('renders older API versions: 1.6 leasing, 1.4 unchanged, 1.3 fingerprint names, 1.1 concurrent', async () => {
      const a = await g.account();
      const p = await g.policy(a.account, {
        processLeasingStrategy: 'PER_USER',
        machineUniquenessStrategy: 'UNIQUE_PER_ACCOUNT',
      });
      const at = async (v: string) =>
        (
          await t.http
            .get(`${a.base}/policies/${p.id}`)
            .set({ ...a.auth, 'Keygen-Version': v })
            .expect(200)
        ).body.data.attributes as Record<string, unknown>;
      expect(await at('1.7')).toMatchObject({ processLeasingStrategy: 'PER_USER' });
      expect(await at('1.6')).toMatchObject({ leasingStrategy: 'PER_USER' });
      const v14 = await at('1.4');
      expect(v14).toMatchObject({
        machineUniquenessStrategy: 'UNIQUE_PER_ACCOUNT',
        leasingStrategy: 'PER_USER',
      });
      const v13 = await at('1.3');
      expect(v13).toMatchObject({
        fingerprintUniquenessStrategy: 'UNIQUE_PER_ACCOUNT',
        fingerprintMatchingStrategy: 'MATCH_ANY',
      });
      expect(v13.machineMatchingStrategy).toBeUndefined();
      expect(v13.concurrent).toBeUndefined();
      const v11 = await at('1.1');
      expect(v11.concurrent).toBe(false);
      expect(Object.keys(v11).slice(-1)).toEqual(['concurrent']);
    });

    it('shows policies to staff, to their product, and to an environment', async () => {
      const a = await g.account();
      const p = await g.product(a.account);
      const policy = await g.policy(a.account, { product: p.product });
      for (const role of ['developer', 'sales-agent', 'support-agent', 'read-only'] as const) {
        const u = await g.user(a.account, { role });
        await t.http.get(`${a.base}/policies/${policy.id}`).set(u.auth).expect(200);
      }
      await t.http.get(`${a.base}/policies/${policy.id}`).set(p.auth).expect(200);
      const env = await g.environment(a.account);
      const envPolicy = await g.policy(a.account, { environment: env.environment });
      await t.http.get(`${a.base}/policies/${envPolicy.id}`).set(env.auth).expect(200);
    });

    it('404s unknown, non-UUID and out-of-scope policies', async () => {
      const a = await g.account();
      const res = await t.http.get(`${a.base}/policies/invalid`).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('policy', 'invalid')]);
      await t.http
        .get(`${a.base}/policies/3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1`)
        .set(a.auth)
        .expect(404);
      const p = await g.product(a.account);
      const other = await g.policy(a.account);
      await t.http.get(`${a.base}/policies/${other.id}`).set(p.auth).expect(404);
      const u = await g.user(a.account, { permissions: ['policy.read'] });
      await t.http.get(`${a.base}/policies/${other.id}`).set(u.auth).expect(404);
      const foreign = await g.account();
      await t.http.get(`${a.base}/policies/${other.id}`).set(foreign.auth).expect(401);
    });
  });
});
