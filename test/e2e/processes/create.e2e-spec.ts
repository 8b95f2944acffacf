import { MachineProcess, type Machine } from '@app/modules/machines/machine.entity';
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
  RECORD_ENV,
  ROUTE_TABLE,
  statuses,
  type Cast,
} from '../machines/children-support';

/** POST /v1/accounts/:account/processes — spawn (spec 03 §3.1–3.3). */
describe('POST /v1/accounts/:account/processes', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const doc = (
    machineId: string,
    attributes: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    data: {
      type: 'processes',
      attributes: { pid: `pid-${Math.random().toString(36).slice(2)}`, ...attributes },
      relationships: { machine: { data: { type: 'machines', id: machineId } } },
      ...extra,
    },
  });
  const spawn = (auth: Record<string, string>, body: unknown, base = c.a.base) =>
    t.http
      .post(`${base}/processes`)
      .set(auth)
      .send(body as object);
  const count = (m: Machine) => t.ds.getRepository(MachineProcess).countBy({ machineId: m.id });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  describe('201', () => {
    it('spawns an ALIVE process with lastHeartbeat now, a Location and process.created', async () => {
      t.clock.freeze(new Date('2022-10-16T14:52:48.000Z'));
      const res = await spawn(
        c.auth.admin,
        doc(c.machine.id, { pid: '1', metadata: { nodeId: 7 } }),
      );
      expect(res.status).toBe(201);
      const id = res.body.data.id as string;
      expect(res.body.data).toEqual(
        childResource(c, 'processes', id, {
          lastHeartbeat: '2022-10-16T14:52:48.000Z',
          nextHeartbeat: '2022-10-16T15:02:48.000Z',
          interval: 600,
          status: 'ALIVE',
          pid: '1',
          created: '2022-10-16T14:52:48.000Z',
          updated: '2022-10-16T14:52:48.000Z',
          metadata: { nodeId: 7 },
        }),
      );
      expect(res.headers.location).toBe(`https://api.keyward.test${c.a.base}/processes/${id}`);
      expect(res.headers['keygen-signature']).toEqual(expect.any(String));
      const events = t.events.named('process.created', c.a.id).filter((e) => e.resource.id === id);
      expect(events).toHaveLength(1);
      const stored = await t.ds.getRepository(MachineProcess).findOneByOrFail({ id });
      expect(stored.metadata).toEqual({ node_id: 7 });
    });

    it('uses the policy heartbeatDuration as the interval', async () => {
      const p = await g.policy(c.a.account, {
        floating: true,
        maxMachines: null,
        heartbeatDuration: 1209600,
      });
      const lic = await g.license(c.a.account, { policy: p });
      const m = await g.machine(lic.license);
      const res = await spawn(c.auth.admin, doc(m.id)).expect(201);
      expect(res.body.data.attributes.interval).toBe(1209600);
    });

    it('accepts the singular type, a pre-set id, and the same pid on another machine', async () => {
      const id = '2f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
      const body = doc(c.machine.id, { pid: 'shared-pid' }, { id, type: 'process' });
      const res = await spawn(c.auth.license, body).expect(201);
      expect(res.body.data.id).toBe(id);
      await spawn(c.auth.admin, doc(c.otherMachine.id, { pid: 'shared-pid' })).expect(201);
    });

    it('ignores the state of the machine and license (dead machine, expired license)', async () => {
      const p = await g.policy(c.a.account, {
        floating: true,
        maxMachines: null,
        requireHeartbeat: true,
        heartbeatDuration: 60,
      });
      const lic = await g.license(c.a.account, {
        policy: p,
        expiry: new Date(Date.now() - 86400_000),
      });
      const dead = await g.machine(lic.license, {
        lastHeartbeatAt: new Date(Date.now() - 3600_000),
      });
      await spawn(c.auth.admin, doc(dead.id)).expect(201);
    });
  });

  describe('who may spawn', () => {
    it('follows the route table (§3.1)', async () => {
      const got = await statuses(c.auth, (auth) => spawn(auth, doc(c.machine.id)));
      expect(got).toEqual(ROUTE_TABLE.create);
    });

    it('denies users on a protected license, but not the license itself', async () => {
      const p = await cast(t, { protected: true });
      expectForbidden(await spawn(p.auth.licenseOwner, doc(p.machine.id), p.a.base));
      expectForbidden(await spawn(p.auth.machineOwner, doc(p.machine.id), p.a.base));
      await spawn(p.auth.license, doc(p.machine.id), p.a.base).expect(201);
      await spawn(p.auth.product, doc(p.machine.id), p.a.base).expect(201);
    });

    it('needs process.create on the bearer and on the token', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy, permissions: ['process.read'] });
      const m = await g.machine(lic.license);
      expectForbidden(await spawn(lic.auth, doc(m.id)), lacks('license'));
      const scoped = await g.license(c.a.account, {
        policy: c.policy,
        tokenPermissions: ['process.read'],
      });
      const m2 = await g.machine(scoped.license);
      expectForbidden(await spawn(scoped.auth, doc(m2.id)), lacks('token'));
    });

    it('answers 403 (not 422) to a license naming an unknown machine, 422 to an admin', async () => {
      const unknown = '16896379-73ae-4d92-a458-6e7841c9ad08';
      expectForbidden(await spawn(c.auth.license, doc(unknown)));
      expectUnprocessable(
        await spawn(c.auth.admin, doc(unknown)),
        modelError('processes', 'MACHINE_NOT_FOUND', 'must exist', '/data/relationships/machine'),
      );
    });

    it('401s without credentials', async () => {
      const res = await t.http.post(`${c.a.base}/processes`).send(doc(c.machine.id));
      expect(res.status).toBe(401);
    });

    it('lets an environment spawn in its environment, not on a global machine', async () => {
      const env = await environmentCast(t, c.a);
      const res = await spawn(env.auth, doc(env.machine.id)).expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
      expectUnprocessable(
        await spawn(env.auth, doc(c.machine.id)),
        modelError(
          'processes',
          'ENVIRONMENT_NOT_ALLOWED',
          'must be compatible with machine environment',
          '/data/relationships/environment',
        ),
      );
      // A global admin without the environment header builds a process in the machine's environment.
      expectForbidden(await spawn(c.auth.admin, doc(env.machine.id)), RECORD_ENV);
    });
  });

  describe('400', () => {
    it('rejects a missing, blank or non-string pid and a missing machine', async () => {
      const noPid = doc(c.machine.id);
      delete (noPid.data as { attributes: Record<string, unknown> }).attributes.pid;
      expectBadRequest(await spawn(c.auth.admin, noPid), 'is missing', '/data/attributes/pid');
      expectBadRequest(
        await spawn(c.auth.license, doc(c.machine.id, { pid: '' })),
        'cannot be blank',
        '/data/attributes/pid',
      );
      expectBadRequest(
        await spawn(c.auth.admin, doc(c.machine.id, { pid: 1 })),
        'type mismatch (received integer expected string)',
        '/data/attributes/pid',
      );
      const noMachine = { data: { type: 'processes', attributes: { pid: '1337' } } };
      expectBadRequest(await spawn(c.auth.admin, noMachine), 'is missing', '/data/relationships');
    });

    it('rejects unknown attributes and a malformed id', async () => {
      expectBadRequest(
        await spawn(c.auth.admin, doc(c.machine.id, { status: 'DEAD' })),
        'unpermitted parameter',
        '/data/attributes/status',
      );
      expectBadRequest(
        await spawn(c.auth.license, doc(c.machine.id, {}, { id: 'not-a-uuid' })),
        'type mismatch (received string expected UUID string)',
        '/data/id',
      );
    });
  });

  describe('422', () => {
    it('rejects a pid already on the machine, reserved pids and long pids', async () => {
      await g.machineProcess(c.machine, { pid: 'taken' });
      expectUnprocessable(
        await spawn(c.auth.license, doc(c.machine.id, { pid: 'taken' })),
        modelError('processes', 'PID_TAKEN', 'has already been taken', '/data/attributes/pid'),
      );
      expectUnprocessable(
        await spawn(c.auth.admin, doc(c.machine.id, { pid: 'actions' })),
        modelError('processes', 'PID_NOT_ALLOWED', 'is reserved', '/data/attributes/pid'),
      );
      expectUnprocessable(
        await spawn(c.auth.admin, doc(c.machine.id, { pid: 'x'.repeat(4097) })),
        modelError(
          'processes',
          'PID_TOO_LONG',
          'is too long (maximum is 4096 characters)',
          '/data/attributes/pid',
        ),
      );
    });

    it('rejects an id used by another process', async () => {
      const existing = await g.machineProcess(c.otherMachine);
      expectUnprocessable(
        await spawn(c.auth.license, doc(c.machine.id, {}, { id: existing.id })),
        modelError(
          'processes',
          'ID_CONFLICT',
          'must not conflict with another process',
          '/data/id',
        ),
      );
    });

    it('rejects metadata with too many keys', async () => {
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
      expectUnprocessable(
        await spawn(c.auth.admin, doc(c.machine.id, { metadata })),
        modelError(
          'processes',
          'METADATA_TOO_LONG',
          'too many keys (exceeded limit of 64 keys)',
          '/data/attributes/metadata',
        ),
      );
    });

    it('emits nothing for a rejected spawn', async () => {
      const before = t.events.named('process.created', c.a.id).length;
      await spawn(c.auth.admin, doc(c.machine.id, { pid: 'actions' })).expect(422);
      expect(t.events.named('process.created', c.a.id)).toHaveLength(before);
    });
  });

  describe('process limits (§3.3)', () => {
    const limitError = (bucket: string, max: number) =>
      modelError(
        'processes',
        'MACHINE_PROCESS_LIMIT_EXCEEDED',
        `process count has exceeded maximum allowed for ${bucket} (${max})`,
        '/data',
      );

    async function licenseWith(policy: Partial<Policy>, licenseMax: number | null = null) {
      const p = await g.policy(c.a.account, { floating: true, maxMachines: null, ...policy });
      const owner = await g.user(c.a.account);
      const lic = await g.license(c.a.account, {
        policy: p,
        owner: owner.user,
        maxProcesses: licenseMax,
      });
      return { license: lic.license, owner: owner.user };
    }
    async function fill(m: Machine, n: number) {
      for (let i = 0; i < n; i++) {
        await g.machineProcess(m);
      }
    }

    it('PER_MACHINE (the default) counts the machine’s processes, dead ones included', async () => {
      const { license } = await licenseWith({ maxProcesses: 5 });
      const m = await g.machine(license);
      const other = await g.machine(license);
      await fill(other, 5);
      await fill(m, 3);
      await g.machineProcess(m, { lastHeartbeatAt: new Date(Date.now() - 86400_000) });
      await spawn(c.auth.admin, doc(m.id)).expect(201);
      expectUnprocessable(await spawn(c.auth.admin, doc(m.id)), limitError('machine', 5));
      expect(await count(m)).toBe(5);
    });

    it('PER_LICENSE counts across the license’s machines', async () => {
      const { license } = await licenseWith({
        maxProcesses: 5,
        processLeasingStrategy: 'PER_LICENSE',
      });
      const m1 = await g.machine(license);
      const m2 = await g.machine(license);
      await fill(m1, 2);
      await fill(m2, 2);
      await spawn(c.auth.admin, doc(m2.id)).expect(201);
      expectUnprocessable(await spawn(c.auth.admin, doc(m1.id)), limitError('license', 5));
    });

    it('PER_USER counts machines of the same owner, the unowned ones as their own bucket', async () => {
      const { license, owner } = await licenseWith({
        maxProcesses: 2,
        processLeasingStrategy: 'PER_USER',
      });
      const mine = await g.machine(license, { ownerId: owner.id });
      const unowned1 = await g.machine(license);
      const unowned2 = await g.machine(license);
      await fill(mine, 1);
      await fill(unowned1, 1);
      await spawn(c.auth.admin, doc(mine.id)).expect(201);
      expectUnprocessable(await spawn(c.auth.admin, doc(mine.id)), limitError('user', 2));
      await spawn(c.auth.admin, doc(unowned2.id)).expect(201);
      expectUnprocessable(await spawn(c.auth.admin, doc(unowned1.id)), limitError('user', 2));
    });

    it('skips the check under ALWAYS_ALLOW_OVERAGE or without a limit', async () => {
      const { license } = await licenseWith({
        maxProcesses: 1,
        overageStrategy: 'ALWAYS_ALLOW_OVERAGE',
      });
      const m = await g.machine(license);
      await fill(m, 3);
      await spawn(c.auth.admin, doc(m.id)).expect(201);
      const free = await licenseWith({ maxProcesses: null });
      const fm = await g.machine(free.license);
      await fill(fm, 30);
      await spawn(c.auth.admin, doc(fm.id)).expect(201);
    });

    it('has no first-process exemption and lets the license override win', async () => {
      const { license } = await licenseWith({ maxProcesses: 10 }, 1);
      const m = await g.machine(license);
      await spawn(c.auth.admin, doc(m.id)).expect(201);
      expectUnprocessable(await spawn(c.auth.admin, doc(m.id)), limitError('machine', 1));
    });

    it.each([
      ['ALLOW_1_25X_OVERAGE', 'PER_MACHINE', 20, 24, 'machine'],
      ['ALLOW_1_5X_OVERAGE', 'PER_MACHINE', 6, 8, 'machine'],
      ['ALLOW_2X_OVERAGE', 'PER_LICENSE', 5, 9, 'license'],
      ['ALLOW_2X_OVERAGE', 'PER_USER', 4, 7, 'user'],
    ])(
      '%s (%s, max %i) allows up to the overage, then rejects',
      async (overage, leasing, max, fill0, bucket) => {
        const { license } = await licenseWith({
          maxProcesses: max,
          overageStrategy: overage,
          processLeasingStrategy: leasing,
        });
        const m = await g.machine(license);
        await fill(m, fill0);
        await spawn(c.auth.admin, doc(m.id)).expect(201);
        expectUnprocessable(await spawn(c.auth.admin, doc(m.id)), limitError(bucket, max));
      },
    );

    it('never lets 20 parallel spawns pass maxProcesses=3: exactly 3 succeed', async () => {
      const { license } = await licenseWith({ maxProcesses: 3 });
      const m = await g.machine(license);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => spawn(c.auth.admin, doc(m.id, { pid: `p${i}` }))),
      );
      const created = results.filter((r) => r.status === 201);
      const rejected = results.filter((r) => r.status === 422);
      expect(created).toHaveLength(3);
      expect(rejected).toHaveLength(17);
      for (const r of rejected) {
        expect(r.body.errors).toEqual([{ ...limitError('machine', 3) }]);
      }
      expect(await count(m)).toBe(3);
    });

    it('holds PER_LICENSE across machines under concurrency too', async () => {
      const { license } = await licenseWith({
        maxProcesses: 3,
        processLeasingStrategy: 'PER_LICENSE',
      });
      const machines = [
        await g.machine(license),
        await g.machine(license),
        await g.machine(license),
      ];
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => spawn(c.auth.admin, doc(machines[i % 3].id))),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(results.filter((r) => r.status === 422)).toHaveLength(9);
    });
  });
});
