import { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { badRequest, denied, lacks, notFound, RECORD_ENV } from '../products/support';
import { entitlementDoc, entitlementError, entitlementResource } from './support';

describe('PATCH/DELETE /v1/accounts/:account/entitlements/:id', () => {
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
      .patch(`${a.base}/entitlements/${id}`)
      .set(auth)
      .send(body as object);
  const destroy = (id: string, auth: Record<string, string> = a.auth) =>
    t.http.delete(`${a.base}/entitlements/${id}`).set(auth);

  describe('update', () => {
    it('updates name, code and metadata and emits entitlement.updated', async () => {
      const e = await g.entitlement(a.account);
      t.clock.advance(2000);
      const before = t.events.named('entitlement.updated', a.id).length;
      const res = await patch(
        e.id,
        entitlementDoc({ name: 'Renamed', code: 'renamed', metadata: { k: 1 } }, { id: e.id }),
      ).expect(200);
      const row = await t.ds.getRepository(Entitlement).findOneByOrFail({ id: e.id });
      expect(res.body).toEqual({
        data: entitlementResource(row, { name: 'Renamed', code: 'renamed', metadata: { k: 1 } }),
      });
      expect(row.updatedAt.getTime()).toBeGreaterThan(e.updatedAt.getTime());
      expect(t.events.named('entitlement.updated', a.id)).toHaveLength(before + 1);
    });

    it('addresses by code, accepts PUT and keeps its own code', async () => {
      const e = await g.entitlement(a.account, { code: 'own-code' });
      await patch('own-code', entitlementDoc({ code: 'OWN-CODE' })).expect(200);
      await t.http
        .put(`${a.base}/entitlements/${e.id}`)
        .set(a.auth)
        .send(entitlementDoc({ name: 'Put' }))
        .expect(200);
    });

    it('lets a developer and an environment update', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await patch(
        (await g.entitlement(a.account)).id,
        entitlementDoc({ name: 'D' }),
        dev.auth,
      ).expect(200);
      const env = await g.environment(a.account);
      const e = await g.entitlement(a.account, { environment: env.environment });
      await patch(e.id, entitlementDoc({ name: 'E' }), env.auth).expect(200);
    });

    it('400s bad bodies, after authorizing', async () => {
      const e = await g.entitlement(a.account);
      const res = await patch(e.id, entitlementDoc({ code: '' })).expect(400);
      expect(res.body.errors).toEqual([badRequest('cannot be blank', '/data/attributes/code')]);
      const missing = await patch(e.id, { data: { type: 'entitlements' } }).expect(400);
      expect(missing.body.errors).toEqual([badRequest('is missing', '/data/attributes')]);
      const sales = await g.user(a.account, { role: 'sales-agent' });
      await patch(e.id, { data: { type: 'bad' } }, sales.auth).expect(403);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const e = await g.entitlement(a.account);
      const u = await g.user(a.account, { role });
      const res = await patch(e.id, entitlementDoc({ name: 'x' }), u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a product and a shared environment on a global entitlement', async () => {
      const e = await g.entitlement(a.account);
      const p = await g.product(a.account);
      expect(
        (await patch(e.id, entitlementDoc({ name: 'x' }), p.auth).expect(403)).body.errors,
      ).toEqual([denied(lacks('product'))]);
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      expect(
        (await patch(e.id, entitlementDoc({ name: 'x' }), env.auth).expect(403)).body.errors,
      ).toEqual([denied(RECORD_ENV)]);
    });

    it('rejects a taken code (422) and 404s the unknown', async () => {
      await g.entitlement(a.account, { code: 'someone-else' });
      const e = await g.entitlement(a.account);
      const res = await patch(e.id, entitlementDoc({ code: 'Someone-Else' })).expect(422);
      expect(res.body.errors).toEqual([
        entitlementError('code', 'CODE_TAKEN', 'has already been taken'),
      ]);
      const missing = await patch('nope', entitlementDoc({ name: 'x' })).expect(404);
      expect(missing.body.errors).toEqual([notFound('entitlement', 'nope')]);
    });
  });

  describe('destroy', () => {
    it('deletes the entitlement and emits entitlement.deleted', async () => {
      const e = await g.entitlement(a.account, { code: 'doomed' });
      const before = t.events.named('entitlement.deleted', a.id).length;
      await destroy('doomed').expect(204);
      expect(await t.ds.getRepository(Entitlement).countBy({ id: e.id })).toBe(0);
      expect(t.events.named('entitlement.deleted', a.id)).toHaveLength(before + 1);
    });

    it('lets a developer and an environment delete', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await destroy((await g.entitlement(a.account)).id, dev.auth).expect(204);
      const env = await g.environment(a.account);
      await destroy(
        (await g.entitlement(a.account, { environment: env.environment })).id,
        env.auth,
      ).expect(204);
    });

    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const e = await g.entitlement(a.account);
      const u = await g.user(a.account, { role });
      expect((await destroy(e.id, u.auth).expect(403)).body.errors).toEqual([error]);
    });

    it('forbids a product, 404s users and the unknown, 401s anonymous', async () => {
      const e = await g.entitlement(a.account);
      const p = await g.product(a.account);
      await destroy(e.id, p.auth).expect(403);
      const u = await g.user(a.account);
      await destroy(e.id, u.auth).expect(404);
      await destroy('unknown').expect(404);
      await destroy(e.id, {}).expect(401);
    });
  });
});
