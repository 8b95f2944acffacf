import { Key } from '@app/modules/keys/key.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { badRequest, denied, lacks, notFound, RECORD_ENV } from '../products/support';
import { keyError, keyResource, licenseBearer } from './support';

const updateDoc = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  data: { type: 'keys', attributes, ...extra },
});

describe('PATCH/PUT/DELETE /v1/accounts/:account/keys/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const patch = (id: string, body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .patch(`${a.base}/keys/${id}`)
      .set(auth)
      .send(body as object);
  const destroy = (id: string, auth: Record<string, string> = a.auth) =>
    t.http.delete(`${a.base}/keys/${id}`).set(auth);
  const unique = () => `key-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const exists = async (id: string) => (await t.ds.getRepository(Key).countBy({ id })) === 1;

  describe('update', () => {
    it('changes the key and emits key.updated; data.id is ignored', async () => {
      const policy = await g.policy(a.account, { usePool: true });
      const k = await g.key(a.account, { policy });
      t.clock.advance(2000);
      const before = t.events.named('key.updated', a.id).length;
      const res = await patch(
        k.id,
        updateDoc({ key: 'KTDCQ3RmtKaYewE2LpEtpbjrHwF6jB' }, { id: k.id }),
      ).expect(200);
      const row = await t.ds.getRepository(Key).findOneByOrFail({ id: k.id });
      expect(row.key).toBe('KTDCQ3RmtKaYewE2LpEtpbjrHwF6jB');
      expect(row.updatedAt.getTime()).toBeGreaterThan(k.updatedAt.getTime());
      expect(res.body).toEqual({ data: keyResource(row, policy.productId) });
      expect(t.events.named('key.updated', a.id)).toHaveLength(before + 1);
    });

    it('accepts PUT, and an update that changes nothing keeps `updated`', async () => {
      const k = await g.key(a.account);
      t.clock.advance(2000);
      const res = await t.http
        .put(`${a.base}/keys/${k.id}`)
        .set(a.auth)
        .send(updateDoc({ key: k.key }))
        .expect(200);
      expect(res.body.data.attributes.updated).toBe(k.updatedAt.toISOString());
      await patch(k.id, updateDoc({})).expect(200);
    });

    it('lets a developer, an environment and the owning product update', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await patch((await g.key(a.account)).id, updateDoc({ key: unique() }), dev.auth).expect(200);
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const envKey = await g.key(a.account, { environment: env.environment });
      await patch(envKey.id, updateDoc({ key: unique() }), env.auth).expect(200);
      const p = await g.product(a.account);
      const own = await g.key(a.account, {
        policy: await g.policy(a.account, { usePool: true, product: p.product }),
      });
      await patch(own.id, updateDoc({ key: unique() }), p.auth).expect(200);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const u = await g.user(a.account, { role });
      const res = await patch(
        (await g.key(a.account)).id,
        updateDoc({ key: unique() }),
        u.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a shared environment from writing a global key', async () => {
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await patch(
        (await g.key(a.account)).id,
        updateDoc({ key: unique() }),
        shared.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([denied(RECORD_ENV)]);
    });

    it('hides keys from other products, users, licenses and other accounts (404)', async () => {
      const policy = await g.policy(a.account, { usePool: true });
      const k = await g.key(a.account, { policy });
      const p = await g.product(a.account);
      const u = await g.user(a.account);
      const l = await licenseBearer(t, g, a.account, policy);
      for (const auth of [p.auth, u.auth, l.auth]) {
        const res = await patch(k.id, updateDoc({ key: unique() }), auth).expect(404);
        expect(res.body.errors).toEqual([notFound('key', k.id)]);
      }
      const other = await g.account();
      const foreign = await g.key(other.account);
      await patch(foreign.id, updateDoc({ key: unique() })).expect(404);
      await patch('invalid', updateDoc({ key: unique() })).expect(404);
      await patch(k.id, updateDoc({ key: unique() }), {}).expect(401);
    });

    it('400s a policy change, unknown attributes and wrong types, after authorizing', async () => {
      const k = await g.key(a.account);
      const policy = await g.policy(a.account, { usePool: true });
      const rel = await patch(k.id, {
        data: {
          type: 'keys',
          attributes: {},
          relationships: { policy: { data: { type: 'policies', id: policy.id } } },
        },
      }).expect(400);
      expect(rel.body.errors).toEqual([badRequest('unpermitted parameter', '/data/relationships')]);
      await patch(k.id, {
        data: {
          type: 'keys',
          relationships: { policy: { data: { type: 'policies', id: policy.id } } },
        },
      }).expect(400);
      const unknown = await patch(k.id, updateDoc({ name: 'x' })).expect(400);
      expect(unknown.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/attributes/name'),
      ]);
      const type = await patch(k.id, updateDoc({ key: 123456789 })).expect(400);
      expect(type.body.errors).toEqual([
        badRequest('type mismatch (received integer expected string)', '/data/attributes/key'),
      ]);
      const missing = await patch(k.id, { data: { type: 'keys' } }).expect(400);
      expect(missing.body.errors).toEqual([badRequest('is missing', '/data/attributes')]);
      const sales = await g.user(a.account, { role: 'sales-agent' });
      await patch(k.id, { data: { type: 'bad' } }, sales.auth).expect(403);
    });

    it('422s length, reserved, taken and license conflicts, and saves nothing', async () => {
      const k = await g.key(a.account);
      const taken = await g.key(a.account);
      const l = await g.license(a.account, { key: `license-${unique()}` });
      const cases: Array<[string, ReturnType<typeof keyError>]> = [
        [
          'short',
          keyError('attributes/key', 'KEY_TOO_SHORT', 'is too short (minimum is 8 characters)'),
        ],
        [
          'k'.repeat(1025),
          keyError('attributes/key', 'KEY_TOO_LONG', 'is too long (maximum is 1024 characters)'),
        ],
        [taken.key, keyError('attributes/key', 'KEY_TAKEN', 'has already been taken')],
        [
          l.license.id,
          keyError(
            'attributes/key',
            'KEY_CONFLICT',
            "must not conflict with another license's identifier (UUID)",
          ),
        ],
        [
          l.key,
          keyError('attributes/key', 'KEY_CONFLICT', "is already being used as a license's key"),
        ],
      ];
      for (const [key, error] of cases) {
        const res = await patch(k.id, updateDoc({ key })).expect(422);
        expect(res.body.errors).toEqual([error]);
      }
      const reserved = await patch(k.id, updateDoc({ key: 'action' })).expect(422);
      expect(reserved.body.errors[0]).toEqual(
        keyError('attributes/key', 'KEY_NOT_ALLOWED', 'is reserved'),
      );
      expect((await t.ds.getRepository(Key).findOneByOrFail({ id: k.id })).key).toBe(k.key);
    });

    it('keeps a key whose policy is no longer pooled (the pool rule is create-only)', async () => {
      const policy = await g.policy(a.account, { usePool: true });
      const k = await g.key(a.account, { policy });
      await t.ds.query('UPDATE policies SET use_pool = false WHERE id = $1', [policy.id]);
      await patch(k.id, updateDoc({ key: unique() })).expect(200);
    });
  });

  describe('destroy', () => {
    it('deletes a key (204) and emits key.deleted', async () => {
      const k = await g.key(a.account);
      const before = t.events.named('key.deleted', a.id).length;
      const res = await destroy(k.id).expect(204);
      expect(res.text).toBe('');
      expect(await exists(k.id)).toBe(false);
      const events = t.events.named('key.deleted', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'keys', id: k.id });
    });

    it('lets a developer, an environment and the owning product delete', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await destroy((await g.key(a.account)).id, dev.auth).expect(204);
      const env = await g.environment(a.account);
      await destroy((await g.key(a.account, { environment: env.environment })).id, env.auth).expect(
        204,
      );
      const p = await g.product(a.account);
      const own = await g.key(a.account, {
        policy: await g.policy(a.account, { usePool: true, product: p.product }),
      });
      await destroy(own.id, p.auth).expect(204);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const k = await g.key(a.account);
      const u = await g.user(a.account, { role });
      expect((await destroy(k.id, u.auth).expect(403)).body.errors).toEqual([error]);
      expect(await exists(k.id)).toBe(true);
    });

    it('forbids a shared environment from deleting a global key', async () => {
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const k = await g.key(a.account);
      expect((await destroy(k.id, shared.auth).expect(403)).body.errors).toEqual([
        denied(RECORD_ENV),
      ]);
    });

    it('hides keys from other products, users, licenses and other accounts (404)', async () => {
      const policy = await g.policy(a.account, { usePool: true });
      const k = await g.key(a.account, { policy });
      const p = await g.product(a.account);
      const u = await g.user(a.account);
      const l = await licenseBearer(t, g, a.account, policy);
      for (const auth of [p.auth, u.auth, l.auth]) {
        await destroy(k.id, auth).expect(404);
      }
      const other = await g.account();
      await destroy((await g.key(other.account)).id).expect(404);
      await destroy(k.id, other.auth).expect(401);
      expect(await exists(k.id)).toBe(true);
    });
  });
});
