import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import { DENIED, denied, lacks, licenseResource, notFound, type Given } from './crud-support';

const DAY = 24 * 3600 * 1000;

describe('GET /v1/accounts/:account/licenses[/:id]', () => {
  let t: TestApp;
  let g: Given;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  /** An account with one product's licenses and the bearers that may or may not see them. */
  async function world() {
    const a = await g.account();
    const product = await g.product(a.account);
    const policy = await g.policy(a.account, { product: product.product });
    const owner = await g.user(a.account);
    const licensee = await g.user(a.account);
    const stranger = await g.user(a.account);
    const owned = await g.license(a.account, { policy, owner: owner.user });
    t.clock.advance(1000);
    const shared = await g.license(a.account, { policy });
    await g.licenseUser(shared.license, licensee.user);
    t.clock.advance(1000);
    const otherPolicy = await g.policy(a.account);
    const other = await g.license(a.account, { policy: otherPolicy });
    return { a, product, policy, owner, licensee, stranger, owned, shared, other, otherPolicy };
  }

  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((d) => d.id);

  describe('show', () => {
    it('renders the license in full, by id and by key', async () => {
      const w = await world();
      const res = await t.http
        .get(`${w.a.base}/licenses/${w.owned.license.id}`)
        .set(w.a.auth)
        .expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: licenseResource(w.owned.license, w.policy) });
      const byKey = await t.http
        .get(`${w.a.base}/licenses/${encodeURIComponent(w.owned.key)}`)
        .set(w.a.auth)
        .expect(200);
      expect(byKey.body.data.id).toBe(w.owned.license.id);
    });

    it('counts licensees and the owner in the users meta, and sums machines', async () => {
      const w = await world();
      await g.licenseUser(w.owned.license, w.licensee.user);
      await g.machine(w.owned.license, { cores: 4, memory: '1024', disk: '10' });
      await g.machine(w.owned.license, { cores: 2 });
      const res = await t.http
        .get(`${w.a.base}/licenses/${w.owned.license.id}`)
        .set(w.a.auth)
        .expect(200);
      expect(res.body.data.relationships.users.meta).toEqual({ count: 2 });
      expect(res.body.data.relationships.machines.meta).toEqual({
        cores: 6,
        memory: 1024,
        disk: 10,
        count: 2,
      });
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'shows any license to a %s',
      async (role) => {
        const w = await world();
        const u = await g.user(w.a.account, { role });
        await t.http.get(`${w.a.base}/licenses/${w.other.license.id}`).set(u.auth).expect(200);
      },
    );

    it('shows an environment its licenses only', async () => {
      const w = await world();
      const e = await g.environment(w.a.account);
      const mine = await g.license(w.a.account, {
        policy: await g.policy(w.a.account, { environment: e.environment }),
      });
      await t.http.get(`${w.a.base}/licenses/${mine.license.id}`).set(e.auth).expect(200);
      await t.http.get(`${w.a.base}/licenses/${w.owned.license.id}`).set(e.auth).expect(404);
    });

    it('shows a product its own licenses; others are not found', async () => {
      const w = await world();
      await t.http
        .get(`${w.a.base}/licenses/${w.owned.license.id}`)
        .set(w.product.auth)
        .expect(200);
      const res = await t.http
        .get(`${w.a.base}/licenses/${w.other.license.id}`)
        .set(w.product.auth)
        .expect(404);
      expect(res.body.errors).toEqual([notFound(w.other.license.id)]);
    });

    it('shows a user the licenses it owns or is attached to', async () => {
      const w = await world();
      await t.http.get(`${w.a.base}/licenses/${w.owned.license.id}`).set(w.owner.auth).expect(200);
      await t.http
        .get(`${w.a.base}/licenses/${w.shared.license.id}`)
        .set(w.licensee.auth)
        .expect(200);
      await t.http
        .get(`${w.a.base}/licenses/${w.owned.license.id}`)
        .set(w.stranger.auth)
        .expect(404);
      await t.http
        .get(`${w.a.base}/licenses/${w.owned.license.id}`)
        .set(w.licensee.auth)
        .expect(404);
    });

    it('shows a license itself (token, or key with license authentication) and nothing else', async () => {
      const w = await world();
      await t.http.get(`${w.a.base}/licenses/${w.owned.license.id}`).set(w.owned.auth).expect(200);
      await t.http.get(`${w.a.base}/licenses/${w.other.license.id}`).set(w.owned.auth).expect(404);
      const mixed = await g.policy(w.a.account, { authenticationStrategy: 'MIXED' });
      const keyed = await g.license(w.a.account, { policy: mixed });
      await t.http.get(`${w.a.base}/licenses/${keyed.license.id}`).set(keyed.keyAuth).expect(200);
      await t.http.get(`${w.a.base}/licenses/${w.owned.license.id}`).set(keyed.keyAuth).expect(404);
    });

    it('denies a token without license.read (403 after the lookup)', async () => {
      const w = await world();
      const u = await g.user(w.a.account, { permissions: ['user.read'] });
      const theirs = await g.license(w.a.account, { policy: w.policy, owner: u.user });
      const res = await t.http
        .get(`${w.a.base}/licenses/${theirs.license.id}`)
        .set(u.auth)
        .expect(403);
      expect(res.body.errors).toEqual([denied(lacks('user'))]);
    });

    it("answers 404 for unknown ids and other accounts' licenses, 401 anonymously", async () => {
      const w = await world();
      const b = await g.account();
      const foreign = await g.license(b.account);
      await t.http.get(`${w.a.base}/licenses/${foreign.license.id}`).set(w.a.auth).expect(404);
      await t.http.get(`${w.a.base}/licenses/nope`).set(w.a.auth).expect(404);
      await t.http.get(`${w.a.base}/licenses/${w.owned.license.id}`).expect(401);
    });
  });

  describe('status', () => {
    async function statusOf(a: GivenAccount, policy: Policy, attrs: Record<string, unknown> = {}) {
      const l = await g.license(a.account, { policy, ...attrs });
      const res = await t.http.get(`${a.base}/licenses/${l.license.id}`).set(a.auth).expect(200);
      return res.body.data.attributes.status as string;
    }

    it('computes BANNED > SUSPENDED > EXPIRED > EXPIRING > INACTIVE > ACTIVE', async () => {
      const a = await g.account();
      const policy = await g.policy(a.account);
      const now = t.clock.now().getTime();
      const banned = await g.user(a.account, { banned: true });
      expect(await statusOf(a, policy, { owner: banned.user, suspended: true })).toBe('BANNED');
      expect(await statusOf(a, policy, { suspended: true, expiry: new Date(now - DAY) })).toBe(
        'SUSPENDED',
      );
      expect(await statusOf(a, policy, { expiry: new Date(now - 1000) })).toBe('EXPIRED');
      expect(await statusOf(a, policy, { expiry: new Date(now + 2 * DAY) })).toBe('EXPIRING');
      expect(await statusOf(a, policy, { expiry: new Date(now + 4 * DAY) })).toBe('ACTIVE');
    });

    it('turns INACTIVE 90 days after creation without activity', async () => {
      const a = await g.account();
      const policy = await g.policy(a.account);
      const idle = await g.license(a.account, { policy });
      const validated = await g.license(a.account, { policy });
      const show = async (id: string) =>
        (await t.http.get(`${a.base}/licenses/${id}`).set(a.auth).expect(200)).body.data.attributes
          .status as string;
      t.clock.advance(89 * DAY);
      await t.ds.query('UPDATE licenses SET last_validated_at = $1 WHERE id = $2', [
        t.clock.now(),
        validated.license.id,
      ]);
      expect(await show(idle.license.id)).toBe('ACTIVE');
      t.clock.advance(2 * DAY);
      expect(await show(idle.license.id)).toBe('INACTIVE');
      expect(await show(validated.license.id)).toBe('ACTIVE');
    });
  });

  describe('index', () => {
    it('lists every license to staff, newest first', async () => {
      const w = await world();
      const res = await t.http.get(`${w.a.base}/licenses`).set(w.a.auth).expect(200);
      expectSigned(res);
      expect(ids(res.body)).toEqual([w.other.license.id, w.shared.license.id, w.owned.license.id]);
      for (const role of ['developer', 'sales-agent', 'support-agent', 'read-only'] as const) {
        const u = await g.user(w.a.account, { role });
        expect(
          ids((await t.http.get(`${w.a.base}/licenses`).set(u.auth).expect(200)).body),
        ).toHaveLength(3);
      }
    });

    it('lists a product its own licenses', async () => {
      const w = await world();
      const res = await t.http.get(`${w.a.base}/licenses`).set(w.product.auth).expect(200);
      expect(ids(res.body)).toEqual([w.shared.license.id, w.owned.license.id]);
    });

    it('lists a user the licenses it owns or is attached to', async () => {
      const w = await world();
      expect(
        ids((await t.http.get(`${w.a.base}/licenses`).set(w.owner.auth).expect(200)).body),
      ).toEqual([w.owned.license.id]);
      expect(
        ids((await t.http.get(`${w.a.base}/licenses`).set(w.licensee.auth).expect(200)).body),
      ).toEqual([w.shared.license.id]);
      expect(
        (await t.http.get(`${w.a.base}/licenses`).set(w.stranger.auth).expect(200)).body.data,
      ).toEqual([]);
    });

    it('lists an environment its own licenses', async () => {
      const w = await world();
      const e = await g.environment(w.a.account);
      const mine = await g.license(w.a.account, {
        policy: await g.policy(w.a.account, { environment: e.environment }),
      });
      expect(ids((await t.http.get(`${w.a.base}/licenses`).set(e.auth).expect(200)).body)).toEqual([
        mine.license.id,
      ]);
    });

    it('denies a license (403)', async () => {
      const w = await world();
      const res = await t.http.get(`${w.a.base}/licenses`).set(w.owned.auth).expect(403);
      expect(res.body.errors).toEqual([denied(DENIED)]);
    });

    it('paginates', async () => {
      const w = await world();
      const res = await t.http
        .get(`${w.a.base}/licenses?page[size]=2&page[number]=2`)
        .set(w.a.auth)
        .expect(200);
      expect(ids(res.body)).toEqual([w.owned.license.id]);
      expect(res.body.links).toMatchObject({ meta: { pages: 2, count: 3 } });
    });
  });
});
