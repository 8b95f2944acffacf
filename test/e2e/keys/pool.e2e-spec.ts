import { Key } from '@app/modules/keys/key.entity';
import { KeysService } from '@app/modules/keys/keys.service';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { denied, lacks, notFound } from '../products/support';
import { expectSigned } from '../users/support';
import { keyResource, licenseBearer, poolError } from './support';

describe('/v1/accounts/:account/policies/:id/pool', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const pool = (policyId: string, auth: Record<string, string> = a.auth, sub = '') =>
    t.http.get(`${a.base}/policies/${policyId}/pool${sub}`).set(auth);
  const pop = (policyId: string, auth: Record<string, string> = a.auth) =>
    t.http.delete(`${a.base}/policies/${policyId}/pool`).set(auth);
  const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((k) => k.id);
  const remaining = (policyId: string) => t.ds.getRepository(Key).countBy({ policyId });

  /** A pooled policy with `n` keys, one second apart (the last is the newest). */
  async function pooled(n: number, opts: Parameters<typeof g.policy>[1] = {}) {
    const policy = await g.policy(a.account, { usePool: true, ...opts });
    const keys: Key[] = [];
    for (let i = 0; i < n; i++) {
      keys.push(await g.key(a.account, { policy, environment: opts.environment }));
      t.clock.advance(1000);
    }
    return { policy, keys };
  }

  describe('GET /pool', () => {
    it("lists the policy's keys, newest first, and nothing else", async () => {
      const { policy, keys } = await pooled(3);
      await pooled(2);
      const res = await pool(policy.id).expect(200);
      expectSigned(res);
      expect(res.body.data).toEqual(
        [...keys].reverse().map((k) => keyResource(k, policy.productId)),
      );
    });

    it('lists an empty pool for an unpooled policy', async () => {
      const policy = await g.policy(a.account);
      await g.key(a.account);
      expect((await pool(policy.id).expect(200)).body.data).toEqual([]);
    });

    it('paginates', async () => {
      const { policy } = await pooled(3);
      const res = await pool(policy.id, a.auth, '?page[size]=2&page[number]=2').expect(200);
      expect(res.body.data).toHaveLength(1);
      await pool(policy.id, a.auth, '?page[size]=0&page[number]=1').expect(400);
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lists the pool to a %s',
      async (role) => {
        const { policy } = await pooled(2);
        const u = await g.user(a.account, { role });
        expect((await pool(policy.id, u.auth).expect(200)).body.data).toHaveLength(2);
      },
    );

    it("lists an environment its pool; a global policy's pool from a shared one shows both", async () => {
      const iso = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const { policy: isoPolicy } = await pooled(2, { environment: iso.environment });
      expect((await pool(isoPolicy.id, iso.auth).expect(200)).body.data).toHaveLength(2);
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const { policy: global } = await pooled(2);
      await g.key(a.account, { policy: global, environment: shared.environment });
      expect((await pool(global.id, shared.auth).expect(200)).body.data).toHaveLength(3);
      expect((await pool(global.id).expect(200)).body.data).toHaveLength(2);
      await pool(global.id, iso.auth).expect(404);
    });

    it("lists a product its own policy's pool; another product's policy is a 404", async () => {
      const p = await g.product(a.account);
      const { policy } = await pooled(2, { product: p.product });
      expect((await pool(policy.id, p.auth).expect(200)).body.data).toHaveLength(2);
      const { policy: other } = await pooled(1);
      const res = await pool(other.id, p.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('policy', other.id)]);
    });

    it('404s users and licenses for a policy outside their scope', async () => {
      const { policy } = await pooled(1);
      const u = await g.user(a.account, { permissions: ['policy.read'] });
      await pool(policy.id, u.auth).expect(404);
      const l = await licenseBearer(t, g, a.account);
      await pool(policy.id, l.auth).expect(404);
    });

    it('403s a license on its own policy and a user holding a license of it (no key.read)', async () => {
      const { policy, keys } = await pooled(1);
      const l = await licenseBearer(t, g, a.account, policy);
      expect((await pool(policy.id, l.auth).expect(403)).body.errors).toEqual([
        denied(lacks('license')),
      ]);
      await pool(policy.id, l.auth, `/${keys[0].id}`).expect(403);
      const u = await g.user(a.account);
      await g.license(a.account, { policy, owner: u.user });
      expect((await pool(policy.id, u.auth).expect(403)).body.errors).toEqual([
        denied(lacks('user')),
      ]);
      await pool(policy.id, u.auth, `/${keys[0].id}`).expect(403);
    });

    it('404s unknown, malformed and other accounts’ policies', async () => {
      const other = await g.account();
      const foreign = await g.policy(other.account, { usePool: true });
      for (const id of [foreign.id, 'invalid', '00000000-0000-4000-8000-000000000000']) {
        expect((await pool(id).expect(404)).body.errors).toEqual([notFound('policy', id)]);
      }
      await pool(foreign.id, other.auth).expect(401);
    });
  });

  describe('GET /pool/:key', () => {
    it('shows a key of the pool', async () => {
      const { policy, keys } = await pooled(2);
      const res = await pool(policy.id, a.auth, `/${keys[0].id}`).expect(200);
      expect(res.body).toEqual({ data: keyResource(keys[0], policy.productId) });
    });

    it('404s a key of another pool, an unknown key and a key of an unpooled policy', async () => {
      const { policy } = await pooled(1);
      const { keys: elsewhere } = await pooled(1);
      const unpooled = await g.policy(a.account);
      for (const [pid, kid] of [
        [policy.id, elsewhere[0].id],
        [policy.id, 'invalid'],
        [unpooled.id, elsewhere[0].id],
      ]) {
        expect((await pool(pid, a.auth, `/${kid}`).expect(404)).body.errors).toEqual([
          notFound('key', kid),
        ]);
      }
    });

    it('shows a product keys of its own pool only', async () => {
      const p = await g.product(a.account);
      const { policy, keys } = await pooled(1, { product: p.product });
      await pool(policy.id, p.auth, `/${keys[0].id}`).expect(200);
      const { policy: other, keys: otherKeys } = await pooled(1);
      await pool(other.id, p.auth, `/${otherKeys[0].id}`).expect(404);
    });

    it('shows staff and environments, and hides the pool from users and licenses', async () => {
      const { policy, keys } = await pooled(1);
      const ro = await g.user(a.account, { role: 'read-only' });
      await pool(policy.id, ro.auth, `/${keys[0].id}`).expect(200);
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      await pool(policy.id, shared.auth, `/${keys[0].id}`).expect(200);
      const u = await g.user(a.account);
      await pool(policy.id, u.auth, `/${keys[0].id}`).expect(404);
      const l = await licenseBearer(t, g, a.account);
      await pool(policy.id, l.auth, `/${keys[0].id}`).expect(404);
    });
  });

  describe('DELETE /pool (pop)', () => {
    it('removes the newest key, returns it (200) and emits policy.pool.popped', async () => {
      const { policy, keys } = await pooled(3);
      const before = t.events.named('policy.pool.popped', a.id).length;
      const res = await pop(policy.id).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: keyResource(keys[2], policy.productId) });
      expect(await remaining(policy.id)).toBe(2);
      const events = t.events.named('policy.pool.popped', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'keys', id: keys[2].id });
      expect(ids(await pool(policy.id).expect(200))).toEqual([keys[1].id, keys[0].id]);
    });

    it('422s an empty pool', async () => {
      const { policy } = await pooled(1);
      await pop(policy.id).expect(200);
      const res = await pop(policy.id).expect(422);
      expect(res.body.errors).toEqual([poolError('pool is empty')]);
      expect(res.body.meta.id).toEqual(expect.any(String));
    });

    it('422s an unpooled policy, even one with keys', async () => {
      const policy = await g.policy(a.account);
      await g.key(a.account, { policy });
      const res = await pop(policy.id).expect(422);
      expect(res.body.errors).toEqual([poolError('pool is not supported')]);
      expect(await remaining(policy.id)).toBe(1);
    });

    it('lets a developer, an environment and the owning product pop', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await pop((await pooled(1)).policy.id, dev.auth).expect(200);
      const env = await g.environment(a.account);
      await pop((await pooled(1, { environment: env.environment })).policy.id, env.auth).expect(
        200,
      );
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      await pop((await pooled(1)).policy.id, shared.auth).expect(200);
      const p = await g.product(a.account);
      await pop((await pooled(1, { product: p.product })).policy.id, p.auth).expect(200);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s (before the pool checks)', async (role, error) => {
      const u = await g.user(a.account, { role });
      const { policy } = await pooled(1);
      expect((await pop(policy.id, u.auth).expect(403)).body.errors).toEqual([error]);
      expect((await pop((await g.policy(a.account)).id, u.auth).expect(403)).body.errors).toEqual([
        error,
      ]);
      expect(await remaining(policy.id)).toBe(1);
    });

    it("404s another product's policy, users and licenses outside their scope, other accounts", async () => {
      const { policy } = await pooled(1);
      const p = await g.product(a.account);
      const u = await g.user(a.account);
      const l = await licenseBearer(t, g, a.account);
      for (const auth of [p.auth, u.auth, l.auth]) {
        await pop(policy.id, auth).expect(404);
      }
      const other = await g.account();
      await pop((await g.policy(other.account, { usePool: true })).id).expect(404);
      await pop(policy.id, other.auth).expect(401);
      await pop(policy.id, {}).expect(401);
      expect(await remaining(policy.id)).toBe(1);
    });

    it('403s a license popping its own policy’s pool, and a user holding a license of it', async () => {
      const { policy } = await pooled(1);
      const l = await licenseBearer(t, g, a.account, policy);
      expect((await pop(policy.id, l.auth).expect(403)).body.errors).toEqual([
        denied(lacks('license')),
      ]);
      const u = await g.user(a.account);
      await g.license(a.account, { policy, owner: u.user });
      expect((await pop(policy.id, u.auth).expect(403)).body.errors).toEqual([
        denied(lacks('user')),
      ]);
      expect(await remaining(policy.id)).toBe(1);
    });

    it('hands each of 10 concurrent pops of a 5-key pool a different key, or "pool is empty"', async () => {
      const { policy, keys } = await pooled(5);
      const results = await Promise.all(Array.from({ length: 10 }, () => pop(policy.id)));
      const ok = results.filter((r) => r.status === 200);
      const empty = results.filter((r) => r.status === 422);
      expect(ok).toHaveLength(5);
      expect(empty).toHaveLength(5);
      expect(new Set(ok.map((r) => r.body.data.id as string))).toEqual(
        new Set(keys.map((k) => k.id)),
      );
      for (const r of empty) {
        expect(r.body.errors).toEqual([poolError('pool is empty')]);
      }
      expect(await remaining(policy.id)).toBe(0);
    });
  });

  describe('KeysService.popForLicense', () => {
    const scope = () => ({ accountId: a.id, environmentId: null, shared: false });

    it('pops inside the caller’s transaction without an event; a rollback puts the key back', async () => {
      const { policy, keys } = await pooled(2);
      const svc = t.app.get(KeysService);
      const before = t.events.named('policy.pool.popped', a.id).length;
      const rollback = new Error('rollback');
      await expect(
        t.ds.transaction(async (m) => {
          const held = await svc.popForLicense(scope(), policy.id, m);
          expect(held?.id).toBe(keys[1].id);
          expect(held?.key).toBe(keys[1].key);
          // The held key is locked, so a concurrent pop takes the other one and then finds none.
          expect((await pop(policy.id).expect(200)).body.data.id).toBe(keys[0].id);
          expect((await pop(policy.id).expect(422)).body.errors).toEqual([
            poolError('pool is empty'),
          ]);
          throw rollback;
        }),
      ).rejects.toBe(rollback);
      expect(ids(await pool(policy.id).expect(200))).toEqual([keys[1].id]);
      // Only the HTTP pop emitted.
      expect(t.events.named('policy.pool.popped', a.id)).toHaveLength(before + 1);
    });

    it('returns null for an empty pool and never crosses policies or accounts', async () => {
      const svc = t.app.get(KeysService);
      const { policy } = await pooled(0);
      await pooled(1);
      expect(await t.ds.transaction((m) => svc.popForLicense(scope(), policy.id, m))).toBeNull();
      const other = await g.account();
      const foreign = await g.key(other.account);
      expect(
        await t.ds.transaction((m) => svc.popForLicense(scope(), foreign.policyId, m)),
      ).toBeNull();
      expect(await remaining(foreign.policyId)).toBe(1);
    });

    it('commits with the caller', async () => {
      const svc = t.app.get(KeysService);
      const { policy } = await pooled(1);
      const popped = await t.ds.transaction((m) => svc.popForLicense(scope(), policy.id, m));
      expect(popped).not.toBeNull();
      expect(await remaining(policy.id)).toBe(0);
    });
  });
});
