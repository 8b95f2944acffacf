import { MachineComponent, type Machine } from '@app/modules/machines/machine.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import {
  cast,
  childResource,
  environmentCast,
  expectBadRequest,
  expectForbidden,
  expectUnprocessable,
  lacks,
  modelError,
  ROUTE_TABLE,
  statuses,
  type Cast,
} from '../machines/children-support';

/** POST /v1/accounts/:account/components (spec 03 §2.1–2.4). */
describe('POST /v1/accounts/:account/components', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const fp = () => `component-${Math.random().toString(36).slice(2)}`;
  const doc = (
    machineId: string,
    attributes: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    data: {
      type: 'components',
      attributes: { fingerprint: fp(), name: 'GPU', ...attributes },
      relationships: { machine: { data: { type: 'machines', id: machineId } } },
      ...extra,
    },
  });
  const create = (auth: Record<string, string>, body: unknown, base = c.a.base) =>
    t.http
      .post(`${base}/components`)
      .set(auth)
      .send(body as object);
  const taken = (detail = 'has already been taken') =>
    modelError('components', 'FINGERPRINT_TAKEN', detail, '/data/attributes/fingerprint');

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  describe('201', () => {
    it('creates a component with a Location and component.created', async () => {
      t.clock.freeze(new Date('2023-08-23T15:00:00.000Z'));
      const res = await create(
        c.auth.admin,
        doc(c.machine.id, { fingerprint: 'gpu-1', name: 'GPU', metadata: { slotNo: 1 } }),
      );
      expect(res.status).toBe(201);
      const id = res.body.data.id as string;
      expect(res.body.data).toEqual(
        childResource(c, 'components', id, {
          fingerprint: 'gpu-1',
          name: 'GPU',
          created: '2023-08-23T15:00:00.000Z',
          updated: '2023-08-23T15:00:00.000Z',
          metadata: { slotNo: 1 },
        }),
      );
      expect(res.headers.location).toBe(`https://api.keyward.test${c.a.base}/components/${id}`);
      expect(
        t.events.named('component.created', c.a.id).filter((e) => e.resource.id === id),
      ).toHaveLength(1);
      const stored = await t.ds.getRepository(MachineComponent).findOneByOrFail({ id });
      expect(stored.metadata).toEqual({ slot_no: 1 });
    });

    it('accepts the singular type', async () => {
      await create(c.auth.license, doc(c.machine.id, {}, { type: 'component' })).expect(201);
    });
  });

  describe('who may create', () => {
    it('follows the route table (§2.1)', async () => {
      const got = await statuses(c.auth, (auth) => create(auth, doc(c.machine.id)));
      expect(got).toEqual(ROUTE_TABLE.create);
    });

    it('denies users on a protected license, but not the license itself', async () => {
      const p = await cast(t, { protected: true });
      expectForbidden(await create(p.auth.licenseOwner, doc(p.machine.id), p.a.base));
      await create(p.auth.license, doc(p.machine.id), p.a.base).expect(201);
    });

    it('needs component.create', async () => {
      const lic = await g.license(c.a.account, {
        policy: c.policy,
        permissions: ['component.read'],
      });
      const m = await g.machine(lic.license);
      expectForbidden(await create(lic.auth, doc(m.id)), lacks('license'));
    });

    it('answers 403 to a license naming an unknown machine, 422 MACHINE_NOT_FOUND to an admin', async () => {
      const unknown = '16896379-73ae-4d92-a458-6e7841c9ad08';
      expectForbidden(await create(c.auth.license, doc(unknown)));
      expectUnprocessable(
        await create(c.auth.admin, doc(unknown)),
        modelError('components', 'MACHINE_NOT_FOUND', 'must exist', '/data/relationships/machine'),
      );
    });

    it('lets an environment create in its environment, not on a global machine', async () => {
      const env = await environmentCast(t, c.a);
      const res = await create(env.auth, doc(env.machine.id)).expect(201);
      expect(res.body.data.relationships.environment.data.id).toBe(env.environment.id);
      expectUnprocessable(
        await create(env.auth, doc(c.machine.id)),
        modelError(
          'components',
          'ENVIRONMENT_NOT_ALLOWED',
          'must be compatible with machine environment',
          '/data/relationships/environment',
        ),
      );
    });

    it('401s without credentials', async () => {
      expect((await create({}, doc(c.machine.id))).status).toBe(401);
    });
  });

  describe('400', () => {
    it('requires fingerprint, name and the machine, non-blank', async () => {
      const body = doc(c.machine.id);
      delete (body.data as { attributes: Record<string, unknown> }).attributes.name;
      expectBadRequest(await create(c.auth.admin, body), 'is missing', '/data/attributes/name');
      expectBadRequest(
        await create(c.auth.admin, doc(c.machine.id, { fingerprint: '' })),
        'cannot be blank',
        '/data/attributes/fingerprint',
      );
      expectBadRequest(
        await create(c.auth.admin, {
          data: { type: 'components', attributes: { fingerprint: 'x', name: 'y' } },
        }),
        'is missing',
        '/data/relationships',
      );
    });

    it('rejects a pre-set id and unknown attributes', async () => {
      expectBadRequest(
        await create(
          c.auth.admin,
          doc(c.machine.id, {}, { id: '2f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }),
        ),
        'unpermitted parameter',
        '/data/id',
      );
      expectBadRequest(
        await create(c.auth.admin, doc(c.machine.id, { serial: 'x' })),
        'unpermitted parameter',
        '/data/attributes/serial',
      );
    });
  });

  describe('422', () => {
    it('rejects reserved and long fingerprints and long names', async () => {
      expectUnprocessable(
        await create(c.auth.admin, doc(c.machine.id, { fingerprint: 'actions' })),
        modelError(
          'components',
          'FINGERPRINT_NOT_ALLOWED',
          'is reserved',
          '/data/attributes/fingerprint',
        ),
      );
      expectUnprocessable(
        await create(
          c.auth.admin,
          doc(c.machine.id, { fingerprint: 'f'.repeat(4097), name: 'n'.repeat(256) }),
        ),
        modelError(
          'components',
          'FINGERPRINT_TOO_LONG',
          'is too long (maximum is 4096 characters)',
          '/data/attributes/fingerprint',
        ),
        modelError(
          'components',
          'NAME_TOO_LONG',
          'is too long (maximum is 255 characters)',
          '/data/attributes/name',
        ),
      );
    });
  });

  describe('componentUniquenessStrategy (§2.4)', () => {
    /** Two machines on one license, a second license of the policy, a second policy of the product. */
    async function world(strategy: string | null) {
      const prod = await g.product(c.a.account);
      const opts: Partial<Policy> = {
        floating: true,
        maxMachines: null,
        componentUniquenessStrategy: strategy,
      };
      const p1 = await g.policy(c.a.account, { product: prod.product, ...opts });
      const p2 = await g.policy(c.a.account, { product: prod.product, ...opts });
      const other = await g.policy(c.a.account, opts);
      const l1 = (await g.license(c.a.account, { policy: p1 })).license;
      const l2 = (await g.license(c.a.account, { policy: p1 })).license;
      const l3 = (await g.license(c.a.account, { policy: p2 })).license;
      const l4 = (await g.license(c.a.account, { policy: other })).license;
      const machine = await g.machine(l1);
      return {
        machine,
        sameLicense: await g.machine(l1),
        samePolicy: await g.machine(l2),
        sameProduct: await g.machine(l3),
        elsewhere: await g.machine(l4),
      };
    }
    const add = async (m: Machine, fingerprint: string) => g.machineComponent(m, { fingerprint });
    const attempt = (m: Machine, fingerprint: string) =>
      create(c.auth.admin, doc(m.id, { fingerprint }));

    it('UNIQUE_PER_MACHINE (and null): only the same machine conflicts', async () => {
      for (const strategy of ['UNIQUE_PER_MACHINE', null]) {
        const w = await world(strategy);
        await add(w.machine, 'dup');
        expectUnprocessable(await attempt(w.machine, 'dup'), taken());
        await attempt(w.sameLicense, 'dup').expect(201);
      }
    });

    it('UNIQUE_PER_LICENSE: the license’s machines conflict, with the plain detail on the same machine', async () => {
      const w = await world('UNIQUE_PER_LICENSE');
      await add(w.sameLicense, 'dup');
      expectUnprocessable(
        await attempt(w.machine, 'dup'),
        taken('has already been taken for this license'),
      );
      await add(w.machine, 'mine');
      expectUnprocessable(await attempt(w.machine, 'mine'), taken());
      await attempt(w.samePolicy, 'dup').expect(201);
    });

    it('UNIQUE_PER_POLICY, UNIQUE_PER_PRODUCT and UNIQUE_PER_ACCOUNT widen the search', async () => {
      const policy = await world('UNIQUE_PER_POLICY');
      await add(policy.samePolicy, 'dup');
      expectUnprocessable(
        await attempt(policy.machine, 'dup'),
        taken('has already been taken for this policy'),
      );
      await add(policy.sameProduct, 'other');
      await attempt(policy.machine, 'other').expect(201);

      const product = await world('UNIQUE_PER_PRODUCT');
      await add(product.sameProduct, 'dup');
      expectUnprocessable(
        await attempt(product.machine, 'dup'),
        taken('has already been taken for this product'),
      );
      await add(product.elsewhere, 'other');
      await attempt(product.machine, 'other').expect(201);

      const account = await world('UNIQUE_PER_ACCOUNT');
      const unique = fp();
      await add(account.elsewhere, unique);
      expectUnprocessable(
        await attempt(account.machine, unique),
        taken('has already been taken for this account'),
      );
      const other = await g.account();
      const otherLicense = await g.license(other.account);
      await g.machineComponent(await g.machine(otherLicense.license), {
        fingerprint: 'cross-account',
      });
      await attempt(account.machine, 'cross-account').expect(201);
    });

    it('compares exactly (case-sensitive)', async () => {
      const w = await world('UNIQUE_PER_ACCOUNT');
      const unique = fp();
      await add(w.elsewhere, unique.toUpperCase());
      await attempt(w.machine, unique).expect(201);
    });

    it('lets only one of 10 parallel creates of one fingerprint on a license through', async () => {
      const w = await world('UNIQUE_PER_LICENSE');
      const machines = [w.machine, w.sameLicense];
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => attempt(machines[i % 2], 'raced')),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 422)).toHaveLength(9);
    });
  });
});
