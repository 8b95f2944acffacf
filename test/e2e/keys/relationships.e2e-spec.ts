import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { denied, lacks, notFound } from '../products/support';
import { productResource } from '../products/support';
import { policyResource } from '../policies/support';
import { licenseBearer } from './support';

describe('GET /v1/accounts/:account/keys/:id/(policy|product)', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const get = (path: string, auth: Record<string, string> = a.auth) =>
    t.http.get(`${a.base}/keys/${path}`).set(auth);

  it('renders the key’s policy and the policy’s product', async () => {
    const p = await g.product(a.account);
    const policy = await g.policy(a.account, { usePool: true, product: p.product });
    const k = await g.key(a.account, { policy });
    expect((await get(`${k.id}/policy`).expect(200)).body).toEqual({
      data: policyResource(policy, { usePool: true }),
    });
    expect((await get(`${k.id}/product`).expect(200)).body).toEqual({
      data: productResource(p.product),
    });
  });

  it.each(['developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
    'shows both to a %s',
    async (role) => {
      const u = await g.user(a.account, { role });
      const k = await g.key(a.account);
      await get(`${k.id}/policy`, u.auth).expect(200);
      await get(`${k.id}/product`, u.auth).expect(200);
    },
  );

  it('shows both to an environment for its keys', async () => {
    const env = await g.environment(a.account);
    const k = await g.key(a.account, { environment: env.environment });
    await get(`${k.id}/policy`, env.auth).expect(200);
    await get(`${k.id}/product`, env.auth).expect(200);
  });

  it('shows both to the owning product; another product gets a 404', async () => {
    const p = await g.product(a.account);
    const own = await g.key(a.account, {
      policy: await g.policy(a.account, { usePool: true, product: p.product }),
    });
    await get(`${own.id}/policy`, p.auth).expect(200);
    await get(`${own.id}/product`, p.auth).expect(200);
    const other = await g.key(a.account);
    for (const rel of ['policy', 'product']) {
      const res = await get(`${other.id}/${rel}`, p.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('key', other.id)]);
    }
  });

  it('checks policy.read / product.read on a product token', async () => {
    const p = await g.product(a.account, { permissions: ['key.read'] });
    const own = await g.key(a.account, {
      policy: await g.policy(a.account, { usePool: true, product: p.product }),
    });
    expect((await get(`${own.id}/policy`, p.auth).expect(403)).body.errors).toEqual([
      denied(lacks('product')),
    ]);
    await get(`${own.id}/product`, p.auth).expect(403);
  });

  it('hides keys from users, licenses and other accounts (404)', async () => {
    const policy = await g.policy(a.account, { usePool: true });
    const k = await g.key(a.account, { policy });
    const u = await g.user(a.account);
    const l = await licenseBearer(t, g, a.account, policy);
    for (const auth of [u.auth, l.auth]) {
      await get(`${k.id}/policy`, auth).expect(404);
      await get(`${k.id}/product`, auth).expect(404);
    }
    const other = await g.account();
    const foreign = await g.key(other.account);
    await get(`${foreign.id}/policy`).expect(404);
    await get(`${foreign.id}/product`).expect(404);
    await get('invalid/policy').expect(404);
    await get(`${k.id}/policy`, other.auth).expect(401);
    await get(`${k.id}/product`, {}).expect(401);
  });
});
