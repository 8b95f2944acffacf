import { Product } from '@app/modules/products/product.entity';
import { Token } from '@app/modules/tokens/token.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import { denied, lacks, notFound, RECORD_ENV } from './support';

describe('DELETE /v1/accounts/:account/products/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const destroy = (id: string, auth: Record<string, string> = a.auth) =>
    t.http.delete(`${a.base}/products/${id}`).set(auth);
  const exists = async (id: string) => (await t.ds.getRepository(Product).countBy({ id })) > 0;

  describe('204', () => {
    it('deletes the product and its tokens, and emits product.deleted', async () => {
      const p = await g.product(a.account);
      const before = t.events.named('product.deleted', a.id).length;
      const res = await destroy(p.product.id).expect(204);
      expectSigned(res);
      expect(res.text).toBe('');
      expect(await exists(p.product.id)).toBe(false);
      expect(await t.ds.getRepository(Token).countBy({ bearerId: p.product.id })).toBe(0);
      const events = t.events.named('product.deleted', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({
        type: 'products',
        id: p.product.id,
      });
      const after = await t.http.get(`${a.base}/products/${p.product.id}`).set(p.auth).expect(401);
      expect(after.body.errors[0].code).toBe('TOKEN_INVALID');
    });

    it('deletes by code for a developer', async () => {
      const p = await g.product(a.account, { code: 'gone' });
      const dev = await g.user(a.account, { role: 'developer' });
      await destroy('gone', dev.auth).expect(204);
      expect(await exists(p.product.id)).toBe(false);
    });

    it('lets an environment delete its product', async () => {
      const env = await g.environment(a.account);
      const p = await g.product(a.account, { environment: env.environment });
      await destroy(p.product.id, env.auth).expect(204);
    });
  });

  describe('401', () => {
    it('rejects anonymous callers', async () => {
      const p = await g.product(a.account);
      await destroy(p.product.id, {}).expect(401);
      expect(await exists(p.product.id)).toBe(true);
    });
  });

  describe('403', () => {
    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
    ] as const)('forbids a %s', async (role, error) => {
      const p = await g.product(a.account);
      const u = await g.user(a.account, { role });
      const res = await destroy(p.product.id, u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
      expect(await exists(p.product.id)).toBe(true);
    });

    it('forbids a product deleting itself', async () => {
      const p = await g.product(a.account);
      const res = await destroy(p.product.id, p.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('product'))]);
    });

    it('forbids a shared environment deleting a global product', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const p = await g.product(a.account);
      const res = await destroy(p.product.id, env.auth).expect(403);
      expect(res.body.errors).toEqual([denied(RECORD_ENV)]);
    });
  });

  describe('404', () => {
    it('hides products out of scope', async () => {
      const p = await g.product(a.account);
      const other = await g.product(a.account);
      const res = await destroy(other.product.id, p.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('product', other.product.id)]);
      const u = await g.user(a.account);
      await destroy(other.product.id, u.auth).expect(404);
      await destroy('nope').expect(404);
    });
  });
});
