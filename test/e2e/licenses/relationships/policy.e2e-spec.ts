import { addDuration } from '@libs/licensing';
import { Machine } from '@app/modules/machines/machine.entity';
import { License } from '@app/modules/licenses/license.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import {
  FORBIDDEN,
  badRequest,
  expectMustExist,
  expectSigned,
  lacks,
  licenseError,
  notFound,
  readMatrix,
  statuses,
  world,
  writeMatrix,
  type World,
} from './support';

const UNKNOWN_POLICY = '00000000-0000-4000-8000-000000000000';

describe('/v1/accounts/:account/licenses/:license/policy and /product', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  const url = (w: World, license: string, rel = 'policy') =>
    `${w.a.base}/licenses/${license}/${rel}`;
  const body = (id: string, type = 'policies') => ({ data: { type, id } });

  describe('GET /policy', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('answers readers, the own product; users and licenses lack policy.read by default', async () => {
      expect(await statuses(w, (auth, id) => t.http.get(url(w, id)).set(auth))).toEqual(
        readMatrix(),
      );
    });

    it('renders the policy, by id or key', async () => {
      const res = await t.http.get(url(w, w.key)).set(w.a.auth).expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({
        id: w.policy.id,
        type: 'policies',
        links: { self: `/v1/accounts/${w.a.id}/policies/${w.policy.id}` },
      });
    });

    it('names the missing permission', async () => {
      const res = await t.http.get(url(w, w.license.id)).set(w.auth.owner).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: lacks('user') }]);
      const lic = await t.http.get(url(w, w.license.id)).set(w.auth.license).expect(403);
      expect(lic.body.errors[0].detail).toBe(lacks('license'));
    });

    it('404s an unknown license and 401s another account', async () => {
      const res = await t.http.get(url(w, 'nope')).set(w.a.auth).expect(404);
      expect(res.body.errors).toEqual([notFound('license', 'nope')]);
      const other = await g.account();
      const r2 = await t.http.get(url(w, w.license.id)).set(other.auth).expect(401);
      expect(r2.body.errors[0].code).toBe('TOKEN_INVALID');
    });
  });

  describe('GET /policy and /product with the read permissions granted', () => {
    it('lets the owner, a licensee and the license itself read them', async () => {
      const w = await world(t, {
        userPermissions: ['policy.read', 'product.read'],
        licensePermissions: ['policy.read', 'product.read'],
      });
      for (const rel of ['policy', 'product']) {
        expect(
          await statuses(w, (auth, id) => t.http.get(url(w, id, rel)).set(auth), [
            'owner',
            'licensee',
            'license',
            'user',
          ]),
        ).toEqual({ owner: 200, licensee: 200, license: 200, user: 404 });
      }
    });
  });

  describe('GET /product', () => {
    it('answers readers and the own product with the policy’s product', async () => {
      const w = await world(t);
      expect(await statuses(w, (auth, id) => t.http.get(url(w, id, 'product')).set(auth))).toEqual(
        readMatrix(),
      );
      const res = await t.http
        .get(url(w, w.license.id, 'product'))
        .set(w.a.auth)
        .expect(200);
      expect(res.body.data).toMatchObject({ id: w.product.id, type: 'products' });
    });
  });

  describe('PUT /policy', () => {
    let w: World;
    let next: Policy;
    let envNext: Policy;
    beforeAll(async () => {
      w = await world(t);
      next = await g.policy(w.a.account, { product: w.product });
      envNext = await g.policy(w.a.account, { environment: w.environment });
    });

    const change = (auth: Record<string, string>, id: string) =>
      t.http
        .put(url(w, id))
        .set(auth)
        .send(body(id === w.envLicense.id ? envNext.id : next.id));

    it('lets writers, the own product and the (unprotected) owner change it', async () => {
      expect(await statuses(w, change)).toEqual(writeMatrix('owner'));
    });

    it('answers the license with the new policy and product, and emits license.policy.updated', async () => {
      const other = await g.product(w.a.account);
      const elsewhere = await g.policy(w.a.account, { product: other.product });
      const m = await g.machine(w.otherLicense);
      const before = t.events.named('license.policy.updated', w.a.id).length;
      const res = await t.http
        .put(url(w, w.otherLicense.id))
        .set(w.a.auth)
        .send(body(elsewhere.id, 'policy'))
        .expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({
        id: w.otherLicense.id,
        type: 'licenses',
        relationships: {
          policy: { data: { type: 'policies', id: elsewhere.id } },
          product: { data: { type: 'products', id: other.product.id } },
        },
      });
      const row = await t.ds.getRepository(License).findOneByOrFail({ id: w.otherLicense.id });
      expect([row.policyId, row.productId]).toEqual([elsewhere.id, other.product.id]);
      const machine = await t.ds.getRepository(Machine).findOneByOrFail({ id: m.id });
      expect([machine.policyId, machine.productId]).toEqual([elsewhere.id, other.product.id]);
      const events = t.events.named('license.policy.updated', w.a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({
        type: 'licenses',
        id: w.otherLicense.id,
      });
    });

    it('routes PATCH too', async () => {
      const res = await t.http
        .patch(url(w, w.license.id))
        .set(w.a.auth)
        .send(body(w.policy.id))
        .expect(200);
      expect(res.body.data.relationships.policy.data.id).toBe(w.policy.id);
    });

    it('forbids a product to move its license to another product’s policy or an unknown one', async () => {
      const foreign = await g.policy(w.a.account, { product: w.otherProduct });
      const res = await t.http
        .put(url(w, w.license.id))
        .set(w.auth.product)
        .send(body(foreign.id))
        .expect(403);
      expect(res.body.errors).toEqual([
        { title: 'Access denied', detail: expect.stringContaining(FORBIDDEN) },
      ]);
      await t.http
        .put(url(w, w.license.id))
        .set(w.auth.product)
        .send(body(UNKNOWN_POLICY))
        .expect(403);
    });
  });

  describe('PUT /policy by the owner', () => {
    it('needs the license and the new policy unprotected', async () => {
      const w = await world(t);
      const open = await g.policy(w.a.account, { product: w.product });
      const locked = await g.policy(w.a.account, { product: w.product, protected: true });
      await t.http.put(url(w, w.license.id)).set(w.auth.owner).send(body(locked.id)).expect(403);
      await t.http.put(url(w, w.license.id)).set(w.auth.owner).send(body(open.id)).expect(200);
      await t.ds.getRepository(License).update({ id: w.license.id }, { protected: true });
      await t.http.put(url(w, w.license.id)).set(w.auth.owner).send(body(w.policy.id)).expect(403);
    });

    it('422s an unknown policy for the owner (authorized, then not found)', async () => {
      const w = await world(t);
      const res = await t.http
        .put(url(w, w.license.id))
        .set(w.auth.owner)
        .send(body(UNKNOWN_POLICY))
        .expect(422);
      expect(res.body.errors).toEqual([
        licenseError('relationships/policy', 'POLICY_NOT_FOUND', 'must exist'),
      ]);
    });
  });

  describe('PUT /policy: 422', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('POLICY_NOT_FOUND for an unknown policy or another account’s', async () => {
      const foreign = await g.policy((await g.account()).account);
      await expectMustExist(
        (id) => t.http.put(url(w, w.license.id)).set(w.a.auth).send(body(id)),
        'policy',
        'POLICY_NOT_FOUND',
        [UNKNOWN_POLICY, foreign.id],
      );
    });

    it.each([
      [
        'encrypted ↔ unencrypted',
        { encrypted: true, scheme: 'LEGACY_ENCRYPT' },
        'cannot change from an encrypted policy to an unencrypted policy (or vice-versa)',
      ],
      [
        'pooled ↔ unpooled',
        { usePool: true },
        'cannot change from a pooled policy to an unpooled policy (or vice-versa)',
      ],
      [
        'another scheme',
        { scheme: 'ED25519_SIGN' },
        'cannot change to a policy with a different scheme',
      ],
      [
        'a stricter machine uniqueness strategy',
        { machineUniquenessStrategy: 'UNIQUE_PER_ACCOUNT' },
        'cannot change to a policy with a more strict machine uniqueness strategy',
      ],
      [
        'a stricter component uniqueness strategy',
        { componentUniquenessStrategy: 'UNIQUE_PER_POLICY' },
        'cannot change to a policy with a more strict component uniqueness strategy',
      ],
    ] as Array<[string, Partial<Policy>, string]>)('%s', async (_name, attrs, detail) => {
      const next = await g.policy(w.a.account, { product: w.product, ...attrs });
      const before = t.events.named('license.policy.updated', w.a.id).length;
      const res = await t.http
        .put(url(w, w.license.id))
        .set(w.a.auth)
        .send(body(next.id))
        .expect(422);
      expect(res.body.errors).toEqual([
        licenseError('relationships/policy', 'POLICY_NOT_COMPATIBLE', detail),
      ]);
      expect(t.events.named('license.policy.updated', w.a.id)).toHaveLength(before);
      const row = await t.ds.getRepository(License).findOneByOrFail({ id: w.license.id });
      expect(row.policyId).toBe(w.policy.id);
    });

    it('accepts less strict uniqueness strategies', async () => {
      const l = await g.license(w.a.account, {
        policy: await g.policy(w.a.account, {
          product: w.product,
          machineUniquenessStrategy: 'UNIQUE_PER_PRODUCT',
          componentUniquenessStrategy: 'UNIQUE_PER_LICENSE',
        }),
      });
      const looser = await g.policy(w.a.account, {
        product: w.product,
        machineUniquenessStrategy: 'UNIQUE_PER_POLICY',
        componentUniquenessStrategy: 'UNIQUE_PER_MACHINE',
      });
      await t.http.put(url(w, l.license.id)).set(w.a.auth).send(body(looser.id)).expect(200);
    });

    it('a maxMachines override the new node-locked policy cannot take', async () => {
      const floating = await g.policy(w.a.account, {
        product: w.product,
        floating: true,
        maxMachines: 5,
      });
      const l = await g.license(w.a.account, { policy: floating, maxMachines: 3 });
      const res = await t.http
        .put(url(w, l.license.id))
        .set(w.a.auth)
        .send(body(w.policy.id))
        .expect(422);
      expect(res.body.errors).toEqual([
        licenseError(
          'attributes/maxMachines',
          'MAX_MACHINES_INVALID',
          'must be equal to 1 for non-floating policy',
        ),
      ]);
    });
  });

  describe('PUT /policy: transfer strategy', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });
    afterEach(() => t.clock.reset());

    const expiryAfter = async (next: Partial<Policy>) => {
      const expiry = new Date('2042-02-21T17:09:26.685Z');
      const l = await g.license(w.a.account, { policy: w.policy, expiry });
      const p = await g.policy(w.a.account, { product: w.product, ...next });
      t.clock.freeze();
      const res = await t.http.put(url(w, l.license.id)).set(w.a.auth).send(body(p.id)).expect(200);
      return { res, expiry };
    };

    it('RESET_EXPIRY with a duration restarts the expiry from now (calendar arithmetic)', async () => {
      const { res } = await expiryAfter({ transferStrategy: 'RESET_EXPIRY', duration: 31556952 });
      expect(res.body.data.attributes.expiry).toBe(
        addDuration(t.clock.now(), 31556952).toISOString(),
      );
    });

    it('RESET_EXPIRY without a duration clears the expiry', async () => {
      const { res } = await expiryAfter({ transferStrategy: 'RESET_EXPIRY', duration: null });
      expect(res.body.data.attributes.expiry).toBeNull();
    });

    it('KEEP_EXPIRY (and the default) keep it', async () => {
      const kept = await expiryAfter({ transferStrategy: 'KEEP_EXPIRY', duration: 86400 });
      expect(kept.res.body.data.attributes.expiry).toBe(kept.expiry.toISOString());
      const unset = await expiryAfter({ transferStrategy: null, duration: 86400 });
      expect(unset.res.body.data.attributes.expiry).toBe(unset.expiry.toISOString());
    });
  });

  describe('PUT /policy: 400', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it.each([
      [{}, 'is missing', '/data'],
      [{ data: null }, 'cannot be null', '/data'],
      [{ data: [] }, 'type mismatch (received array expected object)', '/data'],
      [
        { data: { type: 'users', id: '00000000-0000-4000-8000-000000000000' } },
        'is invalid',
        '/data/type',
      ],
      [
        { data: { type: 'policies', id: 'nope' } },
        'type mismatch (received string expected UUID string)',
        '/data/id',
      ],
      [
        { data: { type: 'policies', id: 1 } },
        'type mismatch (received integer expected UUID string)',
        '/data/id',
      ],
      [{ data: { type: 'policies' } }, 'is missing', '/data/id'],
    ])('%j → 400 %s', async (payload, detail, pointer) => {
      const res = await t.http.put(url(w, w.license.id)).set(w.a.auth).send(payload).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('checks the body only after the lookup (404 first)', async () => {
      await t.http.put(url(w, 'nope')).set(w.a.auth).send({}).expect(404);
    });
  });
});
