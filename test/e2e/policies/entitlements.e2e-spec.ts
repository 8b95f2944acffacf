import { PolicyEntitlement } from '@app/modules/policies/policy-entitlement.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { entitlementResource } from '../entitlements/support';
import { badRequest, denied, lacks, notFound } from '../products/support';
import { expectSigned } from '../users/support';

const RECORDS_ENV =
  "You do not have permission to complete the request (a record's environment is not compatible with the current environment)";

describe('/v1/accounts/:account/policies/:policy/entitlements', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const url = (policy: string, id?: string) =>
    `${a.base}/policies/${policy}/entitlements${id ? `/${id}` : ''}`;
  const linkage = (...ids: string[]) => ({ data: ids.map((id) => ({ type: 'entitlement', id })) });
  const attach = (policy: string, body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .post(url(policy))
      .set(auth)
      .send(body as object);
  const detach = (policy: string, body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .delete(url(policy))
      .set(auth)
      .send(body as object);
  const attachedTo = (policyId: string) =>
    t.ds.getRepository(PolicyEntitlement).countBy({ policyId });

  describe('GET (index, show)', () => {
    it("lists and shows a policy's entitlements to staff and to its product", async () => {
      const product = await g.product(a.account);
      const p = await g.policy(a.account, { product: product.product });
      const e1 = await g.entitlement(a.account);
      t.clock.advance(1000);
      const e2 = await g.entitlement(a.account);
      await g.entitlement(a.account);
      await g.policyEntitlement(p, e1);
      await g.policyEntitlement(p, e2);
      const res = await t.http.get(url(p.id)).set(a.auth).expect(200);
      expectSigned(res);
      expect(res.body).toEqual({ data: [entitlementResource(e2), entitlementResource(e1)] });
      expect((await t.http.get(url(p.id)).set(product.auth).expect(200)).body.data).toHaveLength(2);
      const ro = await g.user(a.account, { role: 'read-only' });
      await t.http.get(url(p.id)).set(ro.auth).expect(200);
      const one = await t.http.get(url(p.id, e1.id)).set(product.auth).expect(200);
      expect(one.body).toEqual({ data: entitlementResource(e1) });
    });

    it('404s an entitlement not attached, another product and users', async () => {
      const p = await g.policy(a.account);
      const e = await g.entitlement(a.account);
      const res = await t.http.get(url(p.id, e.id)).set(a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('entitlement', e.id)]);
      await t.http.get(url(p.id, 'code')).set(a.auth).expect(404);
      const other = await g.product(a.account);
      expect((await t.http.get(url(p.id)).set(other.auth).expect(404)).body.errors).toEqual([
        notFound('policy', p.id),
      ]);
      const u = await g.user(a.account);
      await t.http.get(url(p.id)).set(u.auth).expect(404);
    });

    it('forbids a token without entitlement.read', async () => {
      const p = await g.policy(a.account);
      const tok = await g.token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['policy.read'] },
      );
      await t.http
        .get(url(p.id))
        .set({ Authorization: `Bearer ${tok.raw}` })
        .expect(403);
    });
  });

  describe('POST (attach)', () => {
    it('attaches entitlements (200, policy-entitlements) and emits policy.entitlements.attached', async () => {
      const p = await g.policy(a.account);
      const [e1, e2, e3] = [
        await g.entitlement(a.account),
        await g.entitlement(a.account),
        await g.entitlement(a.account),
      ];
      const before = t.events.named('policy.entitlements.attached', a.id).length;
      const res = await attach(p.id, linkage(e1.id, e2.id, e3.id)).expect(200);
      expectSigned(res);
      expect(res.headers.location).toBeUndefined();
      expect(res.body.data).toHaveLength(3);
      const first = res.body.data[0];
      const base = `/v1/accounts/${a.id}`;
      expect(first).toEqual({
        id: expect.any(String),
        type: 'policy-entitlements',
        attributes: { created: expect.any(String), updated: expect.any(String) },
        relationships: {
          account: { links: { related: base }, data: { type: 'accounts', id: a.id } },
          environment: { links: { related: null }, data: null },
          entitlement: {
            links: { related: `${base}/entitlements/${e1.id}` },
            data: { type: 'entitlements', id: e1.id },
          },
          policy: {
            links: { related: `${base}/policies/${p.id}` },
            data: { type: 'policies', id: p.id },
          },
        },
        links: { related: `${base}/policies/${p.id}/entitlements/${e1.id}` },
      });
      expect(await attachedTo(p.id)).toBe(3);
      const events = t.events.named('policy.entitlements.attached', a.id);
      expect(events).toHaveLength(before + 1);
      expect((events[events.length - 1].resource.record as unknown[]).length).toBe(3);
    });

    it('lets a developer, a sales agent and the owning product attach', async () => {
      const product = await g.product(a.account);
      const p = await g.policy(a.account, { product: product.product });
      for (const role of ['developer', 'sales-agent'] as const) {
        const u = await g.user(a.account, { role });
        await attach(p.id, linkage((await g.entitlement(a.account)).id), u.auth).expect(200);
      }
      await attach(p.id, linkage((await g.entitlement(a.account)).id), product.auth).expect(200);
    });

    it.each([
      [{ data: [] }, 'length must be between 1 and 100 (inclusive)', '/data'],
      [{}, 'is missing', '/data'],
      [
        { data: [{ type: 'entitlements', id: 'code' }] },
        'type mismatch (received string expected UUID string)',
        '/data/0/id',
      ],
      [
        { data: [{ type: 'users', id: '3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1' }] },
        'is invalid',
        '/data/0/type',
      ],
      [
        { data: { type: 'entitlements', id: '3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1' } },
        'type mismatch (received object expected array)',
        '/data',
      ],
    ])('rejects %j', async (body, detail, pointer) => {
      const p = await g.policy(a.account);
      const res = await attach(p.id, body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('rejects more than 100 entitlements', async () => {
      const p = await g.policy(a.account);
      const ids = Array.from({ length: 101 }, () => '3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1');
      const res = await attach(p.id, linkage(...ids)).expect(400);
      expect(res.body.errors).toEqual([
        badRequest('length must be between 1 and 100 (inclusive)', '/data'),
      ]);
    });

    it('looks the policy up before it validates the body (404 beats 400)', async () => {
      await attach('3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1', { data: [] }).expect(404);
    });

    it('rejects an entitlement already attached, and the request attaches nothing', async () => {
      const p = await g.policy(a.account);
      const e1 = await g.entitlement(a.account);
      const e2 = await g.entitlement(a.account);
      await g.policyEntitlement(p, e2);
      const res = await attach(p.id, linkage(e1.id, e2.id)).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'already exists',
          code: 'ENTITLEMENT_TAKEN',
          source: { pointer: '/data/relationships/entitlement' },
          links: {
            about:
              'https://keygen.sh/docs/api/entitlements/#entitlements-object-relationships-entitlement',
          },
        },
      ]);
      expect(await attachedTo(p.id)).toBe(1);
      const dup = await attach(p.id, linkage(e1.id, e1.id)).expect(422);
      expect(dup.body.errors[0].code).toBe('ENTITLEMENT_TAKEN');
    });

    it('rejects unknown entitlements and those of other accounts', async () => {
      const p = await g.policy(a.account);
      const e = await g.entitlement(a.account);
      const other = await g.account();
      const foreign = await g.entitlement(other.account);
      for (const id of ['818f1f34-676b-4e0b-ba57-a98d02263212', foreign.id]) {
        const res = await attach(p.id, linkage(e.id, id)).expect(422);
        expect(res.body.errors).toEqual([
          {
            title: 'Unprocessable resource',
            detail: 'must exist',
            code: 'ENTITLEMENT_NOT_FOUND',
            source: { pointer: '/data/relationships/entitlement' },
            links: {
              about:
                'https://keygen.sh/docs/api/entitlements/#entitlements-object-relationships-entitlement',
            },
          },
        ]);
      }
      expect(await attachedTo(p.id)).toBe(0);
    });

    it("forbids attaching other environments' entitlements to a global policy", async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const p = await g.policy(a.account);
      const e = await g.entitlement(a.account, { environment: env.environment });
      const res = await attach(p.id, linkage(e.id)).expect(403);
      expect(res.body.errors).toEqual([denied(RECORDS_ENV)]);
    });

    it('lets a shared policy take shared and global entitlements, but not isolated ones', async () => {
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const iso = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const p = await g.policy(a.account, { environment: shared.environment });
      const mine = await g.entitlement(a.account, { environment: shared.environment });
      const global = await g.entitlement(a.account);
      const auth = { ...a.auth, 'Keygen-Environment': shared.environment.code };
      const res = await attach(p.id, linkage(mine.id, global.id), auth).expect(200);
      expect(res.body.data[0].relationships.environment.data).toEqual({
        type: 'environments',
        id: shared.environment.id,
      });
      const isolated = await g.entitlement(a.account, { environment: iso.environment });
      expect((await attach(p.id, linkage(isolated.id), auth).expect(403)).body.errors).toEqual([
        denied(RECORDS_ENV),
      ]);
    });

    it('forbids support agents, read-only and other products', async () => {
      const p = await g.policy(a.account);
      const e = await g.entitlement(a.account);
      const support = await g.user(a.account, { role: 'support-agent' });
      expect((await attach(p.id, linkage(e.id), support.auth).expect(403)).body.errors).toEqual([
        denied(),
      ]);
      const ro = await g.user(a.account, { role: 'read-only' });
      expect((await attach(p.id, linkage(e.id), ro.auth).expect(403)).body.errors).toEqual([
        denied(lacks('read only')),
      ]);
      const product = await g.product(a.account);
      await attach(p.id, linkage(e.id), product.auth).expect(404);
    });
  });

  describe('DELETE (detach)', () => {
    it('detaches entitlements (204) and emits policy.entitlements.detached', async () => {
      const p = await g.policy(a.account);
      const e1 = await g.entitlement(a.account);
      const e2 = await g.entitlement(a.account);
      await g.policyEntitlement(p, e1);
      await g.policyEntitlement(p, e2);
      const before = t.events.named('policy.entitlements.detached', a.id).length;
      const res = await detach(p.id, linkage(e1.id)).expect(204);
      expect(res.text).toBe('');
      expect(await attachedTo(p.id)).toBe(1);
      expect(t.events.named('policy.entitlements.detached', a.id)).toHaveLength(before + 1);
    });

    it('rejects an entitlement that is not attached, pointing at its index, and detaches nothing', async () => {
      const p = await g.policy(a.account);
      const e = await g.entitlement(a.account);
      await g.policyEntitlement(p, e);
      const missing = '818f1f34-676b-4e0b-ba57-a98d02263212';
      const res = await detach(p.id, linkage(e.id, missing)).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail: `cannot detach entitlement '${missing}' (entitlement is not attached)`,
          source: { pointer: '/data/1' },
        },
      ]);
      expect(await attachedTo(p.id)).toBe(1);
    });

    it('400s an empty list', async () => {
      const p = await g.policy(a.account);
      const res = await detach(p.id, { data: [] }).expect(400);
      expect(res.body.errors).toEqual([
        badRequest('length must be between 1 and 100 (inclusive)', '/data'),
      ]);
    });

    it('lets a shared environment detach its entitlements from a global policy, but not global ones', async () => {
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const p = await g.policy(a.account);
      const global = await g.entitlement(a.account);
      const mine = await g.entitlement(a.account, { environment: shared.environment });
      await g.policyEntitlement(p, global);
      await g.policyEntitlement(p, mine, { environment: shared.environment });
      const auth = { ...a.auth, 'Keygen-Environment': shared.environment.code };
      await detach(p.id, linkage(global.id), auth).expect(403);
      await detach(p.id, linkage(mine.id), auth).expect(204);
      expect(await attachedTo(p.id)).toBe(1);
    });

    it('lets the owning product detach, forbids read-only', async () => {
      const product = await g.product(a.account);
      const p = await g.policy(a.account, { product: product.product });
      const e = await g.entitlement(a.account);
      await g.policyEntitlement(p, e);
      const ro = await g.user(a.account, { role: 'read-only' });
      await detach(p.id, linkage(e.id), ro.auth).expect(403);
      await detach(p.id, linkage(e.id), product.auth).expect(204);
    });
  });
});
