import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { denied, lacks, notFound } from '../products/support';
import { expectSigned } from '../users/support';
import { keyResource, licenseBearer } from './support';

describe('GET /v1/accounts/:account/keys[/:id]', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('index', () => {
    it('lists keys newest first, rendered in full with the policy’s product', async () => {
      const acct = await g.account();
      const policy = await g.policy(acct.account, { usePool: true });
      const first = await g.key(acct.account, { policy });
      t.clock.advance(1000);
      const second = await g.key(acct.account, { policy });
      const res = await t.http.get(`${acct.base}/keys`).set(acct.auth).expect(200);
      expectSigned(res);
      expect(res.body.data).toEqual([
        keyResource(second, policy.productId),
        keyResource(first, policy.productId),
      ]);
    });

    it('filters by policy and by product; malformed ids match nothing, blank ones are ignored', async () => {
      const acct = await g.account();
      const p1 = await g.policy(acct.account, { usePool: true });
      const p2 = await g.policy(acct.account, { usePool: true });
      const k1 = await g.key(acct.account, { policy: p1 });
      const k2 = await g.key(acct.account, { policy: p2 });
      const ids = async (q: string) =>
        (await t.http.get(`${acct.base}/keys?${q}`).set(acct.auth).expect(200)).body.data.map(
          (x: { id: string }) => x.id,
        );
      expect(await ids(`policy=${p1.id}`)).toEqual([k1.id]);
      expect(await ids(`policy=${p2.id.replace(/-/g, '').toUpperCase()}`)).toEqual([k2.id]);
      expect(await ids(`product=${p2.productId}`)).toEqual([k2.id]);
      expect(await ids(`product=${p1.productId}&policy=${p2.id}`)).toEqual([]);
      expect(await ids('policy=nope')).toEqual([]);
      expect(await ids('product=nope')).toEqual([]);
      expect(await ids('policy=')).toHaveLength(2);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lists every key to a %s',
      async (role) => {
        const acct = await g.account();
        await g.key(acct.account);
        await g.key(acct.account);
        const u = await g.user(acct.account, { role });
        expect(
          (await t.http.get(`${acct.base}/keys`).set(u.auth).expect(200)).body.data,
        ).toHaveLength(2);
      },
    );

    it("lists a product only its own policies' keys", async () => {
      const acct = await g.account();
      const p = await g.product(acct.account);
      const mine = await g.key(acct.account, {
        policy: await g.policy(acct.account, { usePool: true, product: p.product }),
      });
      await g.key(acct.account);
      const res = await t.http.get(`${acct.base}/keys`).set(p.auth).expect(200);
      expect(res.body.data.map((x: { id: string }) => x.id)).toEqual([mine.id]);
    });

    it('lists an environment its keys, plus global ones when shared', async () => {
      const acct = await g.account();
      const iso = await g.environment(acct.account, { isolationStrategy: 'ISOLATED' });
      const shared = await g.environment(acct.account, { isolationStrategy: 'SHARED' });
      await g.key(acct.account, { environment: iso.environment });
      await g.key(acct.account, { environment: shared.environment });
      await g.key(acct.account);
      const count = async (auth: Record<string, string>) =>
        (await t.http.get(`${acct.base}/keys`).set(auth).expect(200)).body.data.length;
      expect(await count(iso.auth)).toBe(1);
      expect(await count(shared.auth)).toBe(2);
      expect(await count(acct.auth)).toBe(1);
    });

    it('forbids users and licenses (they can never hold key.read), and anonymous callers', async () => {
      await g.key(a.account);
      const u = await g.user(a.account);
      expect((await t.http.get(`${a.base}/keys`).set(u.auth).expect(403)).body.errors).toEqual([
        denied(lacks('user')),
      ]);
      const l = await licenseBearer(t, g, a.account);
      expect((await t.http.get(`${a.base}/keys`).set(l.auth).expect(403)).body.errors).toEqual([
        denied(lacks('license')),
      ]);
      await t.http.get(`${a.base}/keys`).expect(401);
    });

    it('rejects an admin of another account (401)', async () => {
      const other = await g.account();
      const res = await t.http.get(`${a.base}/keys`).set(other.auth).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });

    it('paginates and rejects bad pagination', async () => {
      const acct = await g.account();
      const policy = await g.policy(acct.account, { usePool: true });
      for (let i = 0; i < 3; i++) {
        await g.key(acct.account, { policy });
        t.clock.advance(1000);
      }
      const page = await t.http
        .get(`${acct.base}/keys?page[size]=2&page[number]=1`)
        .set(acct.auth)
        .expect(200);
      expect(page.body.data).toHaveLength(2);
      expect(page.body.links.meta).toEqual({ pages: 2, count: 3 });
      expect(
        (await t.http.get(`${acct.base}/keys?limit=1`).set(acct.auth).expect(200)).body.data,
      ).toHaveLength(1);
      await t.http
        .get(`${acct.base}/keys?page[size]=250&page[number]=1`)
        .set(acct.auth)
        .expect(400);
      await t.http.get(`${acct.base}/keys?limit=900`).set(acct.auth).expect(400);
    });
  });

  describe('show', () => {
    it('renders a key by id (dashless and upper-case too)', async () => {
      const k = await g.key(a.account);
      const policyProduct = (await t.http.get(`${a.base}/policies/${k.policyId}`).set(a.auth)).body
        .data.relationships.product.data.id;
      const res = await t.http.get(`${a.base}/keys/${k.id}`).set(a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: keyResource(k, policyProduct) });
      await t.http
        .get(`${a.base}/keys/${k.id.replace(/-/g, '').toUpperCase()}`)
        .set(a.auth)
        .expect(200);
    });

    it('404s unknown ids, non-UUIDs (keys have no alias) and other accounts’ keys', async () => {
      const k = await g.key(a.account);
      for (const id of ['invalid', k.key, '00000000-0000-4000-8000-000000000000']) {
        const res = await t.http.get(`${a.base}/keys/${id}`).set(a.auth).expect(404);
        expect(res.body.errors).toEqual([notFound('key', id)]);
      }
      const other = await g.account();
      const foreign = await g.key(other.account);
      await t.http.get(`${a.base}/keys/${foreign.id}`).set(a.auth).expect(404);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'shows a key to a %s',
      async (role) => {
        const u = await g.user(a.account, { role });
        await t.http
          .get(`${a.base}/keys/${(await g.key(a.account)).id}`)
          .set(u.auth)
          .expect(200);
      },
    );

    it('shows an environment its keys and, when shared, global ones; never another environment’s', async () => {
      const iso = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const isoKey = await g.key(a.account, { environment: iso.environment });
      const global = await g.key(a.account);
      await t.http.get(`${a.base}/keys/${isoKey.id}`).set(iso.auth).expect(200);
      await t.http.get(`${a.base}/keys/${global.id}`).set(shared.auth).expect(200);
      await t.http.get(`${a.base}/keys/${global.id}`).set(iso.auth).expect(404);
      await t.http.get(`${a.base}/keys/${isoKey.id}`).set(shared.auth).expect(404);
    });

    it('shows a product its own keys; another product’s key is a 404', async () => {
      const p = await g.product(a.account);
      const own = await g.key(a.account, {
        policy: await g.policy(a.account, { usePool: true, product: p.product }),
      });
      await t.http.get(`${a.base}/keys/${own.id}`).set(p.auth).expect(200);
      const res = await t.http
        .get(`${a.base}/keys/${(await g.key(a.account)).id}`)
        .set(p.auth)
        .expect(404);
      expect(res.body.errors[0].code).toBe('NOT_FOUND');
    });

    it('hides keys from users and licenses (404)', async () => {
      const policy = await g.policy(a.account, { usePool: true });
      const k = await g.key(a.account, { policy });
      const u = await g.user(a.account);
      await t.http.get(`${a.base}/keys/${k.id}`).set(u.auth).expect(404);
      const l = await licenseBearer(t, g, a.account, policy);
      await t.http.get(`${a.base}/keys/${k.id}`).set(l.auth).expect(404);
    });
  });
});
