import { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { badRequest, denied, lacks, notFound, RECORD_ENV } from '../products/support';
import { policyError, policyResource, updateDoc } from './support';

describe('PATCH /v1/accounts/:account/policies/:id', () => {
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
      .patch(`${a.base}/policies/${id}`)
      .set(auth)
      .send(body as object);
  const stored = (id: string) => t.ds.getRepository(Policy).findOneByOrFail({ id });

  describe('200', () => {
    it('updates attributes, bumps `updated` and emits policy.updated', async () => {
      const p = await g.policy(a.account, { duration: 31557600, maxCores: 12, maxUses: 5 });
      t.clock.advance(3000);
      const before = t.events.named('policy.updated', a.id).length;
      const res = await patch(
        p.id,
        updateDoc(
          {
            requireFingerprintScope: true,
            requireComponentsScope: true,
            name: 'Trial',
            maxProcesses: 69,
            maxUsers: 420,
            maxCores: 32,
            maxUses: 3,
          },
          { id: p.id },
        ),
      ).expect(200);
      const row = await stored(p.id);
      expect(res.body).toEqual({
        data: policyResource(row, {
          name: 'Trial',
          duration: 31557600,
          requireFingerprintScope: true,
          requireComponentsScope: true,
          maxProcesses: 69,
          maxUsers: 420,
          maxCores: 32,
          maxUses: 3,
        }),
      });
      expect(row.updatedAt.getTime()).toBeGreaterThan(p.updatedAt.getTime());
      expect(t.events.named('policy.updated', a.id)).toHaveLength(before + 1);
    });

    it('clears nullable attributes and turns check-ins off', async () => {
      const p = await g.policy(a.account, {
        requireUserScope: true,
        requireCheckIn: true,
        checkInInterval: 'day',
        checkInIntervalCount: 1,
        duration: 86000,
      });
      const res = await patch(
        p.id,
        updateDoc({
          requireUserScope: false,
          requireChecksumScope: true,
          requireVersionScope: true,
          requireCheckIn: false,
          checkInInterval: null,
          checkInIntervalCount: null,
          duration: null,
        }),
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        requireUserScope: false,
        requireChecksumScope: true,
        requireVersionScope: true,
        requireCheckIn: false,
        checkInInterval: null,
        checkInIntervalCount: null,
        duration: null,
      });
    });

    it('drops null for non-nullable attributes and keeps `updated` when nothing changed', async () => {
      const p = await g.policy(a.account);
      t.clock.advance(3000);
      const res = await patch(
        p.id,
        updateDoc({ name: null, expirationStrategy: null, strict: null }),
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        name: p.name,
        expirationStrategy: 'RESTRICT_ACCESS',
        strict: false,
        updated: p.updatedAt.toISOString(),
      });
    });

    it('maps `concurrent` at API 1.1 and 1.0', async () => {
      for (const version of ['1.1', '1.0']) {
        const p = await g.policy(a.account, { overageStrategy: 'ALWAYS_ALLOW_OVERAGE' });
        const res = await patch(p.id, updateDoc({ concurrent: false }), {
          ...a.auth,
          'Keygen-Version': version,
        }).expect(200);
        expect(res.body.data.attributes).toMatchObject({
          overageStrategy: 'NO_OVERAGE',
          concurrent: false,
        });
      }
    });

    it('accepts the fingerprint strategies at API 1.0 and renders them renamed', async () => {
      const p = await g.policy(a.account);
      const res = await patch(
        p.id,
        updateDoc({
          fingerprintUniquenessStrategy: 'UNIQUE_PER_ACCOUNT',
          fingerprintMatchingStrategy: 'MATCH_MOST',
        }),
        { ...a.auth, 'Keygen-Version': '1.0' },
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        fingerprintUniquenessStrategy: 'UNIQUE_PER_ACCOUNT',
        fingerprintMatchingStrategy: 'MATCH_MOST',
      });
      expect((await stored(p.id)).machineMatchingStrategy).toBe('MATCH_MOST');
    });

    it('accepts PUT, and lets developer, sales agent, product (own) and environment update', async () => {
      const product = await g.product(a.account);
      const p = await g.policy(a.account, { product: product.product });
      await t.http
        .put(`${a.base}/policies/${p.id}`)
        .set(a.auth)
        .send(updateDoc({ name: 'Put' }))
        .expect(200);
      for (const role of ['developer', 'sales-agent'] as const) {
        const u = await g.user(a.account, { role });
        await patch(p.id, updateDoc({ name: role }), u.auth).expect(200);
      }
      await patch(p.id, updateDoc({ name: 'by product' }), product.auth).expect(200);
      const env = await g.environment(a.account);
      const envPolicy = await g.policy(a.account, { environment: env.environment });
      await patch(envPolicy.id, updateDoc({ name: 'by env' }), env.auth).expect(200);
    });
  });

  describe('400', () => {
    it.each([
      [updateDoc({ scheme: 'ED25519_SIGN' }), 'unpermitted parameter', '/data/attributes/scheme'],
      [updateDoc({ encrypted: true }), 'unpermitted parameter', '/data/attributes/encrypted'],
      [updateDoc({ usePool: true }), 'unpermitted parameter', '/data/attributes/usePool'],
      [updateDoc({ concurrent: false }), 'unpermitted parameter', '/data/attributes/concurrent'],
      [
        updateDoc({ fingerprintUniquenessStrategy: 'UNIQUE_PER_ACCOUNT' }),
        'unpermitted parameter',
        '/data/attributes/fingerprintUniquenessStrategy',
      ],
      [
        updateDoc({ name: 'x' }, { relationships: { product: { data: null } } }),
        'unpermitted parameter',
        '/data/relationships',
      ],
      [{ data: { type: 'policies' } }, 'is missing', '/data/attributes'],
      [
        updateDoc({ maxMachines: '2' }),
        'type mismatch (received string expected integer)',
        '/data/attributes/maxMachines',
      ],
    ])('rejects %j', async (body, detail, pointer) => {
      const p = await g.policy(a.account);
      const res = await patch(p.id, body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('authorizes before it validates the body (403 beats 400)', async () => {
      const p = await g.policy(a.account);
      const support = await g.user(a.account, { role: 'support-agent' });
      await patch(p.id, updateDoc({ scheme: 'x' }), support.auth).expect(403);
    });
  });

  describe('403', () => {
    it.each([
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const p = await g.policy(a.account);
      const u = await g.user(a.account, { role });
      expect((await patch(p.id, updateDoc({ name: 'x' }), u.auth).expect(403)).body.errors).toEqual(
        [error],
      );
    });

    it('forbids a shared environment updating a global policy', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const p = await g.policy(a.account);
      expect(
        (await patch(p.id, updateDoc({ name: 'x' }), env.auth).expect(403)).body.errors,
      ).toEqual([denied(RECORD_ENV)]);
    });
  });

  describe('404', () => {
    it("hides other products' policies from a product and every policy from users", async () => {
      const product = await g.product(a.account);
      const p = await g.policy(a.account);
      const res = await patch(p.id, updateDoc({ name: 'x' }), product.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('policy', p.id)]);
      const u = await g.user(a.account, { permissions: ['policy.read'] });
      await patch(p.id, updateDoc({ name: 'x' }), u.auth).expect(404);
    });
  });

  describe('422', () => {
    it('validates the whole merged record', async () => {
      const floating = await g.policy(a.account, { floating: true, maxMachines: 5 });
      const res = await patch(floating.id, updateDoc({ floating: false })).expect(422);
      expect(res.body.errors).toEqual([
        policyError(
          'maxMachines',
          'MAX_MACHINES_INVALID',
          'must be equal to 1 for non-floating policy',
        ),
      ]);
      const p = await g.policy(a.account);
      const checkIn = await patch(p.id, updateDoc({ requireCheckIn: true })).expect(422);
      expect(checkIn.body.errors.map((e: { code: string }) => e.code)).toEqual([
        'CHECK_IN_INTERVAL_NOT_ALLOWED',
        'CHECK_IN_INTERVAL_COUNT_NOT_ALLOWED',
      ]);
      const overage = await patch(
        p.id,
        updateDoc({ overageStrategy: 'ALLOW_1_5X_OVERAGE' }),
      ).expect(422);
      expect(overage.body.errors[0].detail).toBe(
        'incompatible overage strategy (cannot use ALLOW_1_5X_OVERAGE for node-locked policy)',
      );
      const dur = await patch(p.id, updateDoc({ duration: 0 })).expect(422);
      expect(dur.body.errors).toEqual([
        policyError('duration', 'DURATION_INVALID', 'must be greater than 0'),
      ]);
      expect((await stored(p.id)).duration).toBeNull();
    });
  });
});
