import { Policy } from '@app/modules/policies/policy.entity';
import { PolicyEntitlement } from '@app/modules/policies/policy-entitlement.entity';
import { Product } from '@app/modules/products/product.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { denied, lacks, notFound, RECORD_ENV } from '../products/support';
import { expectSigned } from '../users/support';

describe('DELETE /v1/accounts/:account/policies/:id', () => {
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
    t.http.delete(`${a.base}/policies/${id}`).set(auth);
  const exists = async (id: string) => (await t.ds.getRepository(Policy).countBy({ id })) > 0;

  it('deletes the policy with its entitlement attachments and emits policy.deleted', async () => {
    const p = await g.policy(a.account);
    const e = await g.entitlement(a.account);
    await g.policyEntitlement(p, e);
    const before = t.events.named('policy.deleted', a.id).length;
    const res = await destroy(p.id).expect(204);
    expectSigned(res);
    expect(await exists(p.id)).toBe(false);
    expect(await t.ds.getRepository(PolicyEntitlement).countBy({ policyId: p.id })).toBe(0);
    expect(t.events.named('policy.deleted', a.id)).toHaveLength(before + 1);
  });

  it('lets a developer, the owning product and an environment delete', async () => {
    const dev = await g.user(a.account, { role: 'developer' });
    await destroy((await g.policy(a.account)).id, dev.auth).expect(204);
    const product = await g.product(a.account);
    await destroy(
      (await g.policy(a.account, { product: product.product })).id,
      product.auth,
    ).expect(204);
    for (const isolationStrategy of ['ISOLATED', 'SHARED'] as const) {
      const env = await g.environment(a.account, { isolationStrategy });
      await destroy(
        (await g.policy(a.account, { environment: env.environment })).id,
        env.auth,
      ).expect(204);
    }
  });

  it.each([
    ['sales-agent', denied()],
    ['support-agent', denied()],
    ['read-only', denied(lacks('read only'))],
  ] as const)('forbids a %s', async (role, error) => {
    const p = await g.policy(a.account);
    const u = await g.user(a.account, { role });
    expect((await destroy(p.id, u.auth).expect(403)).body.errors).toEqual([error]);
    expect(await exists(p.id)).toBe(true);
  });

  it('forbids a shared environment deleting a global policy', async () => {
    const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
    const p = await g.policy(a.account);
    expect((await destroy(p.id, env.auth).expect(403)).body.errors).toEqual([denied(RECORD_ENV)]);
  });

  it('404s other products, users and unknown ids; 401s anonymous', async () => {
    const p = await g.policy(a.account);
    const product = await g.product(a.account);
    expect((await destroy(p.id, product.auth).expect(404)).body.errors).toEqual([
      notFound('policy', p.id),
    ]);
    const u = await g.user(a.account);
    await destroy(p.id, u.auth).expect(404);
    await destroy('nope').expect(404);
    await destroy(p.id, {}).expect(401);
  });

  it('goes with its product when the product is deleted', async () => {
    const product = await g.product(a.account);
    const p = await g.policy(a.account, { product: product.product });
    await t.http.delete(`${a.base}/products/${product.product.id}`).set(a.auth).expect(204);
    expect(await exists(p.id)).toBe(false);
    expect(await t.ds.getRepository(Product).countBy({ id: product.product.id })).toBe(0);
  });
});
