import { uuidv4 } from '@app/common/ids';
import { Machine, MachineComponent } from '@app/modules/machines/machine.entity';
import { License } from '@app/modules/licenses/license.entity';
import { Token } from '@app/modules/tokens/token.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import {
  RECORD_ENV,
  activationDoc,
  cast,
  expectBadRequest,
  expectForbidden,
  expectUnprocessable,
  lacks,
  machineError,
  machineResource,
  type Cast,
} from './support';

describe('POST /v1/accounts/:account/machines', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const activate = (body: unknown, auth: Record<string, string>, base = c.a.base) =>
    t.http
      .post(`${base}/machines`)
      .set(auth)
      .send(body as object);
  /**
   * Activates on the cast's license as an admin, sending the document as JSON text so
   * that `literals` (number literals JSON.stringify can't write) go through verbatim.
   */
  const activateRaw = (
    literals: Record<string, string>,
    attributes: Record<string, unknown> = {},
  ) => {
    const placeholders = Object.fromEntries(Object.keys(literals).map((k) => [k, `<${k}>`]));
    let body = JSON.stringify(activationDoc(c.license, { ...attributes, ...placeholders }));
    for (const [k, literal] of Object.entries(literals)) {
      body = body.replace(`"<${k}>"`, literal);
    }
    return t.http
      .post(`${c.a.base}/machines`)
      .set({ ...c.roles.admin, 'Content-Type': 'application/vnd.api+json' })
      .send(body);
  };
  const stored = (id: string) => t.ds.getRepository(Machine).findOneByOrFail({ id });
  const count = (licenseId: string) => t.ds.getRepository(Machine).countBy({ licenseId });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());

  describe('201', () => {
    it('activates with every attribute, renders Keygen’s document and emits machine.created', async () => {
      const before = t.events.named('machine.created', c.a.id).length;
      const res = await activate(
        activationDoc(c.license, {
          fingerprint: 'fp-all-attributes',
          name: 'Office',
          ip: '192.168.1.1',
          hostname: 'office-1',
          platform: 'linux',
          cores: 8,
          memory: 16777216,
          disk: 1099511627776,
          metadata: { nodeId: 'a', deepKey: { innerKey: 1 } },
        }),
        c.roles.admin,
      ).expect(201);
      const row = await stored(res.body.data.id);
      expect(row).toMatchObject({
        fingerprint: 'fp-all-attributes',
        memory: '16777216',
        disk: '1099511627776',
        metadata: { node_id: 'a', deep_key: { inner_key: 1 } },
        policyId: c.policy.id,
        productId: c.policy.productId,
        ownerId: null,
        lastHeartbeatAt: null,
      });
      expect(res.body).toEqual({
        data: machineResource(row, {
          fingerprint: 'fp-all-attributes',
          cores: 8,
          memory: 16777216,
          disk: 1099511627776,
          ip: '192.168.1.1',
          hostname: 'office-1',
          platform: 'linux',
          name: 'Office',
          requireHeartbeat: false,
          heartbeatStatus: 'NOT_STARTED',
          heartbeatDuration: 600,
          maxProcesses: null,
          lastCheckOut: null,
          lastHeartbeat: null,
          nextHeartbeat: null,
          metadata: { nodeId: 'a', deepKey: { innerKey: 1 } },
          created: row.createdAt.toISOString(),
          updated: row.updatedAt.toISOString(),
        }),
      });
      expect(res.headers.location).toBe(`https://api.keyward.test${c.a.base}/machines/${row.id}`);
      const events = t.events.named('machine.created', c.a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'machines', id: row.id });
    });

    it('keeps 64-bit memory and disk exact end to end', async () => {
      const res = await activateRaw(
        { memory: '9223372036854775807', disk: '9007199254740993' },
        { fingerprint: 'fp-64' },
      ).expect(201);
      expect(res.text).toContain('"memory":9223372036854775807');
      expect(res.text).toContain('"disk":9007199254740993');
      const row = await stored(res.body.data.id);
      expect(row.memory).toBe('9223372036854775807');
      expect(row.disk).toBe('9007199254740993');
      const show = await t.http
        .get(`${c.a.base}/machines/${row.id}`)
        .set(c.roles.admin)
        .expect(200);
      expect(show.text).toContain('"memory":9223372036854775807');
      expect(show.text).toContain('"disk":9007199254740993');
    });

    it('rejects memory past the 64-bit maximum and float literals', async () => {
      expectUnprocessable(
        await activateRaw({ memory: '9223372036854775808' }),
        machineError(
          'MEMORY_INVALID',
          'must be less than or equal to 9223372036854775807',
          '/data/attributes/memory',
        ),
      );
      expectBadRequest(
        await activateRaw({ disk: '1.0' }),
        'type mismatch (received float expected integer)',
        '/data/attributes/disk',
      );
    });

    it('accepts the singular type, a preset id, and nulls for optional text', async () => {
      const id = uuidv4();
      const res = await activate(
        activationDoc(c.license, { name: null, ip: null }, {}, { id, type: 'machine' }),
        c.roles.admin,
      ).expect(201);
      expect(res.body.data.id).toBe(id);
      expect(res.body.data.attributes).toMatchObject({ name: null, ip: null });
    });

    it('starts ALIVE at activation with FROM_CREATION', async () => {
      const policy = await g.policy(c.a.account, {
        floating: true,
        maxMachines: null,
        requireHeartbeat: true,
        heartbeatBasis: 'FROM_CREATION',
        heartbeatDuration: 120,
      });
      const lic = await g.license(c.a.account, { policy });
      const res = await activate(activationDoc(lic.license), c.roles.admin).expect(201);
      const row = await stored(res.body.data.id);
      expect(row.lastHeartbeatAt).toEqual(row.createdAt);
      expect(res.body.data.attributes).toMatchObject({
        requireHeartbeat: true,
        heartbeatStatus: 'ALIVE',
        heartbeatDuration: 120,
        lastHeartbeat: row.createdAt.toISOString(),
        nextHeartbeat: new Date(row.createdAt.getTime() + 120_000).toISOString(),
      });
    });

    it('shows FROM_CREATION machines as NOT_STARTED in the activation response for API ≤1.2', async () => {
      const policy = await g.policy(c.a.account, {
        floating: true,
        requireHeartbeat: true,
        heartbeatBasis: 'FROM_CREATION',
      });
      const lic = await g.license(c.a.account, { policy });
      const res = await activate(activationDoc(lic.license), {
        ...c.roles.admin,
        'Keygen-Version': '1.2',
      }).expect(201);
      expect(res.body.data.attributes).toMatchObject({
        heartbeatStatus: 'NOT_STARTED',
        lastHeartbeat: null,
      });
      const row = await stored(res.body.data.id);
      expect(row.lastHeartbeatAt).not.toBeNull();
      const show = await t.http
        .get(`${c.a.base}/machines/${row.id}`)
        .set({ ...c.roles.admin, 'Keygen-Version': '1.2' })
        .expect(200);
      expect(show.body.data.attributes.heartbeatStatus).toBe('ALIVE');
    });

    it('lets each allowed bearer activate', async () => {
      const allowed: Array<[string, Record<string, string>, Record<string, unknown>]> = [
        ['developer', c.roles.developer, {}],
        ['sales-agent', c.roles['sales-agent'], {}],
        ['product', c.product, {}],
        ['license token', c.licenseAuth, {}],
        ['license key', c.licenseKeyAuth, {}],
        ['license owner', c.licenseOwner.auth, {}],
        [
          'licensee naming itself',
          c.licensee.auth,
          { owner: { data: { type: 'users', id: c.licensee.user.id } } },
        ],
      ];
      for (const [, auth, rels] of allowed) {
        await activate(activationDoc(c.license, {}, rels), auth).expect(201);
      }
    });

    it('lets an environment activate licenses of its environment', async () => {
      const env = await g.environment(c.a.account);
      const policy = await g.policy(c.a.account, { floating: true, environment: env.environment });
      const lic = await g.license(c.a.account, { policy });
      const res = await activate(activationDoc(lic.license), env.auth).expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });
  });

  describe('403', () => {
    it('denies support agents and read-only users', async () => {
      expectForbidden(await activate(activationDoc(c.license), c.roles['support-agent']));
      expectForbidden(
        await activate(activationDoc(c.license), c.roles['read-only']),
        lacks('read only'),
      );
    });

    it('denies another product, another license, and users not on the license', async () => {
      expectForbidden(await activate(activationDoc(c.license), c.otherProduct));
      expectForbidden(await activate(activationDoc(c.license), c.otherLicense.auth));
      expectForbidden(await activate(activationDoc(c.license), c.otherLicense.keyAuth));
      expectForbidden(await activate(activationDoc(c.license), c.stranger.auth));
    });

    it('denies a licensee activating without naming itself as owner', async () => {
      expectForbidden(await activate(activationDoc(c.license), c.licensee.auth));
      expectForbidden(
        await activate(
          activationDoc(
            c.license,
            {},
            { owner: { data: { type: 'users', id: c.licenseOwner.user.id } } },
          ),
          c.licensee.auth,
        ),
      );
    });

    it('denies users on a protected license but lets the license itself activate', async () => {
      const policy = await g.policy(c.a.account, {
        floating: true,
        protected: true,
        authenticationStrategy: 'MIXED',
      });
      const owner = await g.user(c.a.account);
      const lic = await g.license(c.a.account, { policy, owner: owner.user });
      expectForbidden(await activate(activationDoc(lic.license), owner.auth));
      await activate(activationDoc(lic.license), lic.auth).expect(201);
    });

    it('needs component.create for inline components', async () => {
      const lic = await g.license(c.a.account, {
        policy: c.policy,
        permissions: ['machine.create'],
      });
      const body = activationDoc(
        lic.license,
        {},
        {
          components: {
            data: [{ type: 'components', attributes: { fingerprint: 'c1', name: 'CPU' } }],
          },
        },
      );
      expectForbidden(await activate(body, lic.auth), lacks('license'));
      await activate(activationDoc(lic.license), lic.auth).expect(201);
    });

    it('answers 403 when the named license lives in another environment', async () => {
      const env = await g.environment(c.a.account);
      expectForbidden(await activate(activationDoc(c.license), env.auth), RECORD_ENV);
    });

    it('checks the body (400) before authorization (403)', async () => {
      const res = await activate(
        { data: { type: 'machines', attributes: { fingerprint: 'x' } } },
        c.stranger.auth,
      );
      expectBadRequest(res, 'is missing', '/data/relationships');
    });
  });

  describe('400', () => {
    const cases: Array<[string, unknown, string, string]> = [
      [
        'missing fingerprint',
        { data: { type: 'machines', attributes: {}, relationships: {} } },
        'is missing',
        '/data/attributes/fingerprint',
      ],
      [
        'blank fingerprint',
        { data: { type: 'machines', attributes: { fingerprint: '' } } },
        'cannot be blank',
        '/data/attributes/fingerprint',
      ],
      [
        'unknown attribute',
        { data: { type: 'machines', attributes: { fingerprint: 'x', foo: 1 } } },
        'unpermitted parameter',
        '/data/attributes/foo',
      ],
      [
        'wrong type',
        { data: { type: 'machines', attributes: { fingerprint: 'x', cores: '8' } } },
        'type mismatch (received string expected integer)',
        '/data/attributes/cores',
      ],
      [
        'bad data.type',
        { data: { type: 'licenses', attributes: { fingerprint: 'x' } } },
        'is invalid',
        '/data/type',
      ],
      [
        'bad id',
        { data: { type: 'machines', id: 'nope', attributes: { fingerprint: 'x' } } },
        'type mismatch (received string expected UUID string)',
        '/data/id',
      ],
      [
        'missing license',
        { data: { type: 'machines', attributes: { fingerprint: 'x' }, relationships: {} } },
        'is missing',
        '/data/relationships/license',
      ],
    ];
    it.each(cases)('rejects %s', async (_, body, detail, pointer) => {
      expectBadRequest(await activate(body, c.roles.admin), detail, pointer);
    });

    it('lets only staff, products and environments set the group', async () => {
      const group = await g.group(c.a.account);
      const rels = { group: { data: { type: 'groups', id: group.id } } };
      expectBadRequest(
        await activate(activationDoc(c.license, {}, rels), c.licenseAuth),
        'unpermitted parameter',
        '/data/relationships/group',
      );
      await activate(activationDoc(c.license, {}, rels), c.roles['sales-agent']).expect(201);
    });

    it('rejects blank inline component names', async () => {
      const body = activationDoc(
        c.license,
        {},
        {
          components: {
            data: [{ type: 'components', attributes: { fingerprint: 'c', name: '' } }],
          },
        },
      );
      expectBadRequest(
        await activate(body, c.roles.admin),
        'cannot be blank',
        '/data/relationships/components/data/0/attributes/name',
      );
    });
  });

  describe('422', () => {
    it('reports an unknown license', async () => {
      expectUnprocessable(
        await activate(activationDoc({ id: uuidv4() }), c.roles.admin),
        machineError('LICENSE_NOT_FOUND', 'must exist', '/data/relationships/license'),
      );
    });

    it('reports an unknown owner, and an owner who is not a license user', async () => {
      expectUnprocessable(
        await activate(
          activationDoc(c.license, {}, { owner: { data: { type: 'users', id: uuidv4() } } }),
          c.roles.admin,
        ),
        machineError('OWNER_NOT_FOUND', 'must exist', '/data/relationships/owner'),
      );
      expectUnprocessable(
        await activate(
          activationDoc(
            c.license,
            {},
            { owner: { data: { type: 'users', id: c.stranger.user.id } } },
          ),
          c.roles.admin,
        ),
        machineError('OWNER_INVALID', 'must be a valid license user', '/data/relationships/owner'),
      );
    });

    it('reports reserved, too long, conflicting and taken fingerprints', async () => {
      expectUnprocessable(
        await activate(activationDoc(c.license, { fingerprint: 'actions' }), c.roles.admin),
        machineError('FINGERPRINT_NOT_ALLOWED', 'is reserved', '/data/attributes/fingerprint'),
      );
      expectUnprocessable(
        await activate(activationDoc(c.license, { fingerprint: 'x'.repeat(4097) }), c.roles.admin),
        machineError(
          'FINGERPRINT_TOO_LONG',
          'is too long (maximum is 4096 characters)',
          '/data/attributes/fingerprint',
        ),
      );
      const first = await activate(activationDoc(c.license), c.roles.admin).expect(201);
      expectUnprocessable(
        await activate(
          activationDoc(c.license, { fingerprint: first.body.data.id }),
          c.roles.admin,
        ),
        machineError(
          'FINGERPRINT_CONFLICT',
          "must not conflict with another machine's identifier (UUID)",
          '/data/attributes/fingerprint',
        ),
      );
      expectUnprocessable(
        await activate(
          activationDoc(c.license, { fingerprint: first.body.data.attributes.fingerprint }),
          c.roles.admin,
        ),
        machineError('FINGERPRINT_TAKEN', 'has already been taken', '/data/attributes/fingerprint'),
      );
    });

    it('reports a preset id that is already used', async () => {
      const first = await activate(activationDoc(c.license), c.roles.admin).expect(201);
      const res = await activate(
        activationDoc(c.license, {}, {}, { id: first.body.data.id }),
        c.roles.admin,
      );
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'must not conflict with another machine',
          code: 'ID_CONFLICT',
          source: { pointer: '/data/id' },
          links: { about: 'https://keygen.sh/docs/api/machines/#machines-object' },
        },
      ]);
    });

    it('reports attribute ranges and lengths together', async () => {
      const res = await activate(
        activationDoc(c.license, { cores: 0, disk: 0, name: 'n'.repeat(256), ip: 'i'.repeat(256) }),
        c.roles.admin,
      );
      expectUnprocessable(
        res,
        machineError(
          'CORES_INVALID',
          'must be greater than or equal to 1',
          '/data/attributes/cores',
        ),
        machineError('DISK_INVALID', 'must be greater than or equal to 1', '/data/attributes/disk'),
        machineError(
          'IP_TOO_LONG',
          'is too long (maximum is 255 characters)',
          '/data/attributes/ip',
        ),
        machineError(
          'NAME_TOO_LONG',
          'is too long (maximum is 255 characters)',
          '/data/attributes/name',
        ),
      );
    });

    it('reports metadata over the key limit', async () => {
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
      expectUnprocessable(
        await activate(activationDoc(c.license, { metadata }), c.roles.admin),
        machineError(
          'METADATA_TOO_LONG',
          'too many keys (exceeded limit of 64 keys)',
          '/data/attributes/metadata',
        ),
      );
    });
  });

  describe('machine limits', () => {
    async function licenseWith(policy: Record<string, unknown>, license: Partial<License> = {}) {
      const p = await g.policy(c.a.account, { floating: true, ...policy });
      return g.license(c.a.account, { policy: p, ...license });
    }
    const limitError = (bucket: string, max: number) =>
      machineError(
        'MACHINE_LIMIT_EXCEEDED',
        `machine count has exceeded maximum allowed for ${bucket} (${max})`,
        '/data',
      );

    it.each<[string, Record<string, unknown>, Partial<License>, number]>([
      [
        'rejects a second machine when maxMachines is 1 (node-locked)',
        { floating: false, maxMachines: 1 },
        {},
        1,
      ],
      ['uses the license override over the policy', { maxMachines: 5 }, { maxMachines: 2 }, 2],
    ])('%s', async (_, policy, license, max) => {
      const lic = await licenseWith(policy, license);
      for (let i = 0; i < max; i++) {
        await activate(activationDoc(lic.license), c.roles.admin).expect(201);
      }
      expectUnprocessable(
        await activate(activationDoc(lic.license), c.roles.admin),
        limitError('license', max),
      );
    });

    it.each([
      ['ALLOW_1_25X_OVERAGE', 4, 5],
      ['ALLOW_1_5X_OVERAGE', 4, 6],
      ['ALLOW_2X_OVERAGE', 4, 8],
      ['NO_OVERAGE', 4, 4],
    ])('allows %s up to the overage (%i → %i machines)', async (overageStrategy, max, allowed) => {
      const lic = await licenseWith({ maxMachines: max, overageStrategy });
      for (let i = 0; i < allowed; i++) {
        await activate(activationDoc(lic.license), c.roles.admin).expect(201);
      }
      expect((await activate(activationDoc(lic.license), c.roles.admin)).status).toBe(422);
    });

    it('never limits ALWAYS_ALLOW_OVERAGE', async () => {
      const lic = await licenseWith({ maxMachines: 1, overageStrategy: 'ALWAYS_ALLOW_OVERAGE' });
      for (let i = 0; i < 3; i++) {
        await activate(activationDoc(lic.license), c.roles.admin).expect(201);
      }
    });

    it('counts per user under PER_USER, with the unowned bucket', async () => {
      const p = await g.policy(c.a.account, {
        floating: true,
        maxMachines: 1,
        machineLeasingStrategy: 'PER_USER',
      });
      const owner = await g.user(c.a.account);
      const other = await g.user(c.a.account);
      const lic = await g.license(c.a.account, { policy: p, owner: owner.user });
      await g.licenseUser(lic.license, other.user);
      const as = (u: { user: { id: string } }) => ({
        owner: { data: { type: 'users', id: u.user.id } },
      });
      await activate(activationDoc(lic.license, {}, as(owner)), c.roles.admin).expect(201);
      await activate(activationDoc(lic.license, {}, as(other)), c.roles.admin).expect(201);
      await activate(activationDoc(lic.license), c.roles.admin).expect(201);
      expectUnprocessable(
        await activate(activationDoc(lic.license, {}, as(other)), c.roles.admin),
        limitError('user', 1),
      );
      expect((await activate(activationDoc(lic.license), c.roles.admin)).status).toBe(422);
    });

    it('limits cores, memory and disk with no first-machine exemption', async () => {
      const lic = await licenseWith({ maxCores: 8, maxMemory: 1000, maxDisk: 10 });
      expectUnprocessable(
        await activate(
          activationDoc(lic.license, { cores: 12, memory: 1001, disk: 11 }),
          c.roles.admin,
        ),
        machineError(
          'MACHINE_CORE_LIMIT_EXCEEDED',
          'machine core count has exceeded maximum allowed for license (8)',
          '/data',
        ),
        machineError(
          'MACHINE_MEMORY_LIMIT_EXCEEDED',
          'machine memory has exceeded maximum allowed for license (1000)',
          '/data',
        ),
        machineError(
          'MACHINE_DISK_LIMIT_EXCEEDED',
          'machine disk has exceeded maximum allowed for license (10)',
          '/data',
        ),
      );
      await activate(activationDoc(lic.license, { cores: 6 }), c.roles.admin).expect(201);
      expectUnprocessable(
        await activate(activationDoc(lic.license, { cores: 3 }), c.roles.admin),
        machineError(
          'MACHINE_CORE_LIMIT_EXCEEDED',
          'machine core count has exceeded maximum allowed for license (8)',
          '/data',
        ),
      );
      await activate(activationDoc(lic.license, { cores: 2 }), c.roles.admin).expect(201);
    });

    it('applies the uniqueness strategy across licenses', async () => {
      const strategies: Array<[string, string]> = [
        ['UNIQUE_PER_ACCOUNT', 'has already been taken for this account'],
        ['UNIQUE_PER_PRODUCT', 'has already been taken for this product'],
        ['UNIQUE_PER_POLICY', 'has already been taken for this policy'],
      ];
      for (const [machineUniquenessStrategy, detail] of strategies) {
        const p = await g.policy(c.a.account, { floating: true, machineUniquenessStrategy });
        const one = await g.license(c.a.account, { policy: p });
        const two = await g.license(c.a.account, { policy: p });
        const fingerprint = `shared-${machineUniquenessStrategy}`;
        await activate(activationDoc(one.license, { fingerprint }), c.roles.admin).expect(201);
        expectUnprocessable(
          await activate(activationDoc(two.license, { fingerprint }), c.roles.admin),
          machineError('FINGERPRINT_TAKEN', detail, '/data/attributes/fingerprint'),
        );
      }
      // UNIQUE_PER_LICENSE: another license may reuse it.
      const one = await g.license(c.a.account, { policy: c.policy });
      await activate(
        activationDoc(one.license, { fingerprint: 'per-license' }),
        c.roles.admin,
      ).expect(201);
      await activate(
        activationDoc(c.license, { fingerprint: 'per-license' }),
        c.roles.admin,
      ).expect(201);
    });

    it('never lets 20 parallel activations pass maxMachines=5', async () => {
      const lic = await licenseWith({ maxMachines: 5 });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => activate(activationDoc(lic.license), c.roles.admin)),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 422)).toHaveLength(15);
      for (const r of results.filter((x) => x.status === 422)) {
        expect(r.body.errors).toEqual([limitError('license', 5)]);
      }
      expect(await count(lic.license.id)).toBe(5);
    });
  });

  describe('groups', () => {
    it('inherits the license’s group, then the owner’s', async () => {
      const licGroup = await g.group(c.a.account);
      const ownerGroup = await g.group(c.a.account);
      const owner = await g.user(c.a.account);
      await g.group(c.a.account, { members: [] });
      const lic = await g.license(c.a.account, { policy: c.policy, owner: owner.user });
      await t.ds.getRepository(License).update({ id: lic.license.id }, { groupId: licGroup.id });
      const res = await activate(activationDoc(lic.license), c.roles.admin).expect(201);
      expect(res.body.data.relationships.group.data).toEqual({ type: 'groups', id: licGroup.id });

      const userInGroup = await g.user(c.a.account);
      await g.group(c.a.account, { members: [] });
      await t.ds.query('UPDATE users SET group_id = $1 WHERE id = $2', [
        ownerGroup.id,
        userInGroup.user.id,
      ]);
      const lic2 = await g.license(c.a.account, { policy: c.policy, owner: userInGroup.user });
      const res2 = await activate(
        activationDoc(
          lic2.license,
          {},
          { owner: { data: { type: 'users', id: userInGroup.user.id } }, group: { data: null } },
        ),
        c.roles.admin,
      ).expect(201);
      expect(res2.body.data.relationships.group.data).toEqual({
        type: 'groups',
        id: ownerGroup.id,
      });
    });

    it('reports unknown groups and full groups', async () => {
      expectUnprocessable(
        await activate(
          activationDoc(c.license, {}, { group: { data: { type: 'groups', id: uuidv4() } } }),
          c.roles.admin,
        ),
        machineError('GROUP_NOT_FOUND', 'must exist', '/data/relationships/group'),
      );
      const group = await g.group(c.a.account, { maxMachines: 1 });
      const rels = { group: { data: { type: 'groups', id: group.id } } };
      await activate(activationDoc(c.license, {}, rels), c.roles.admin).expect(201);
      expectUnprocessable(
        await activate(activationDoc(c.license, {}, rels), c.roles.admin),
        machineError(
          'GROUP_MACHINE_LIMIT_EXCEEDED',
          'machine count has exceeded maximum allowed by current group (1)',
          '/data/relationships/group',
        ),
      );
    });
  });

  describe('inline components', () => {
    const comp = (fingerprint: string, name = 'part') => ({
      type: 'components',
      attributes: { fingerprint, name },
    });

    it('creates the components with the machine, without component.created', async () => {
      const before = t.events.named('component.created', c.a.id).length;
      const res = await activate(
        activationDoc(
          c.license,
          {},
          { components: { data: [comp('cpu-1', 'CPU'), comp('disk-1', 'Disk')] } },
        ),
        c.roles.admin,
      ).expect(201);
      const rows = await t.ds
        .getRepository(MachineComponent)
        .findBy({ machineId: res.body.data.id });
      expect(rows.map((r) => r.fingerprint).sort()).toEqual(['cpu-1', 'disk-1']);
      expect(t.events.named('component.created', c.a.id)).toHaveLength(before);
    });

    it('rejects more than 20 components before authorization', async () => {
      const data = Array.from({ length: 21 }, (_, i) => comp(`c${i}`));
      const res = await activate(
        activationDoc(c.license, {}, { components: { data } }),
        c.stranger.auth,
      );
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { title: 'Unprocessable entity', detail: 'too many records' },
      ]);
    });

    it('reports duplicated fingerprints per entry and creates nothing', async () => {
      const fingerprint = 'dup-machine';
      const res = await activate(
        activationDoc(
          c.license,
          { fingerprint },
          { components: { data: [comp('a'), comp('b'), comp('a')] } },
        ),
        c.roles.admin,
      );
      const err = (i: number) =>
        ({
          title: 'Unprocessable resource',
          detail: 'is duplicated',
          code: 'COMPONENTS_FINGERPRINT_CONFLICT',
          source: { pointer: `/data/relationships/components/data/${i}/attributes/fingerprint` },
          links: {
            about: `https://keygen.sh/docs/api/machines/#machines-object-relationships-components`,
          },
        }) as Record<string, unknown>;
      expectUnprocessable(res, err(0), err(2));
      expect(await t.ds.getRepository(Machine).countBy({ fingerprint })).toBe(0);
    });

    it('applies the component uniqueness strategy', async () => {
      const p = await g.policy(c.a.account, {
        floating: true,
        componentUniquenessStrategy: 'UNIQUE_PER_LICENSE',
      });
      const lic = await g.license(c.a.account, { policy: p });
      await activate(
        activationDoc(lic.license, {}, { components: { data: [comp('gpu')] } }),
        c.roles.admin,
      ).expect(201);
      const res = await activate(
        activationDoc(lic.license, {}, { components: { data: [comp('gpu')] } }),
        c.roles.admin,
      );
      expectUnprocessable(res, {
        title: 'Unprocessable resource',
        detail: 'has already been taken for this license',
        code: 'COMPONENTS_FINGERPRINT_TAKEN',
        source: { pointer: '/data/relationships/components/data/0/attributes/fingerprint' },
        links: {
          about: 'https://keygen.sh/docs/api/machines/#machines-object-relationships-components',
        },
      });
    });
  });

  describe('license tokens', () => {
    it('counts activations and stops at maxActivations', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy });
      const tokens = t.ds.getRepository(Token);
      const tok = await tokens.findOneByOrFail({ bearerId: lic.license.id });
      await tokens.update({ id: tok.id }, { maxActivations: 1 });
      await activate(activationDoc(lic.license), lic.auth).expect(201);
      expect((await tokens.findOneByOrFail({ id: tok.id })).activations).toBe(1);
      const res = await activate(activationDoc(lic.license), lic.auth);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'exceeds maximum allowed (1)',
          code: 'ACTIVATIONS_LIMIT_EXCEEDED',
          source: { pointer: '/data/attributes/activations' },
          links: { about: 'https://keygen.sh/docs/api/tokens/#tokens-object-attrs-activations' },
        },
      ]);
      expect((await tokens.findOneByOrFail({ id: tok.id })).activations).toBe(1);
      expect(await count(lic.license.id)).toBe(1);
    });

    it('leaves the counter alone when validation fails', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy });
      const tok = await t.ds.getRepository(Token).findOneByOrFail({ bearerId: lic.license.id });
      expect(
        (await activate(activationDoc(lic.license, { fingerprint: 'action' }), lic.auth)).status,
      ).toBe(422);
      expect((await t.ds.getRepository(Token).findOneByOrFail({ id: tok.id })).activations).toBe(0);
    });
  });

  describe('license expiry', () => {
    it('sets the expiry on the first activation with FROM_FIRST_ACTIVATION', async () => {
      const p = await g.policy(c.a.account, {
        floating: true,
        expirationBasis: 'FROM_FIRST_ACTIVATION',
        duration: 86400,
      });
      const lic = await g.license(c.a.account, { policy: p });
      t.clock.freeze();
      try {
        await activate(activationDoc(lic.license), c.roles.admin).expect(201);
        const row = await t.ds.getRepository(License).findOneByOrFail({ id: lic.license.id });
        expect(row.expiry?.getTime()).toBe(t.clock.now().getTime() + 86400_000);
        t.clock.advance(1000);
        await activate(activationDoc(lic.license), c.roles.admin).expect(201);
        const again = await t.ds.getRepository(License).findOneByOrFail({ id: lic.license.id });
        expect(again.expiry).toEqual(row.expiry);
      } finally {
        t.clock.reset();
      }
    });
  });
  describe('license-key and license-token gates (§1.5.3)', () => {
    const gate = (res: { status: number; body: { errors: Array<Record<string, unknown>> } }) => ({
      status: res.status,
      code: res.body.errors?.[0]?.code,
      detail: res.body.errors?.[0]?.detail,
    });

    it('refuses an unknown key, suspended and REVOKE_ACCESS-expired licenses, and TOKEN-only policies', async () => {
      const unknown = await activate(activationDoc(c.license), {
        Authorization: 'License nope-nope',
      });
      expect(gate(unknown)).toMatchObject({ status: 401, code: 'LICENSE_INVALID' });

      const suspended = await g.license(c.a.account, { policy: c.policy, suspended: true });
      expect(gate(await activate(activationDoc(suspended.license), suspended.keyAuth))).toEqual({
        status: 403,
        code: 'LICENSE_SUSPENDED',
        detail: 'License is suspended',
      });

      const revoking = await g.policy(c.a.account, {
        floating: true,
        authenticationStrategy: 'LICENSE',
        expirationStrategy: 'REVOKE_ACCESS',
      });
      const expired = await g.license(c.a.account, {
        policy: revoking,
        expiry: new Date(Date.now() - 1000),
      });
      expect(gate(await activate(activationDoc(expired.license), expired.keyAuth))).toEqual({
        status: 403,
        code: 'LICENSE_EXPIRED',
        detail: 'License is expired',
      });

      const tokenOnly = await g.policy(c.a.account, {
        floating: true,
        authenticationStrategy: 'TOKEN',
      });
      const lic = await g.license(c.a.account, { policy: tokenOnly });
      expect(gate(await activate(activationDoc(lic.license), lic.keyAuth))).toMatchObject({
        status: 403,
        code: 'LICENSE_NOT_ALLOWED',
        detail: 'License key authentication is not allowed by policy',
      });
    });

    it('lets an expired RESTRICT_ACCESS license activate with its key, and a suspended one with its token', async () => {
      const restrict = await g.policy(c.a.account, {
        floating: true,
        authenticationStrategy: 'MIXED',
        expirationStrategy: 'RESTRICT_ACCESS',
      });
      const expired = await g.license(c.a.account, {
        policy: restrict,
        expiry: new Date(Date.now() - 1000),
      });
      await activate(activationDoc(expired.license), expired.keyAuth).expect(201);
      const suspended = await g.license(c.a.account, { policy: restrict, suspended: true });
      await activate(activationDoc(suspended.license), suspended.auth).expect(201);
    });

    it('refuses a license token when the policy only allows license keys', async () => {
      const keyOnly = await g.policy(c.a.account, {
        floating: true,
        authenticationStrategy: 'LICENSE',
      });
      const lic = await g.license(c.a.account, { policy: keyOnly });
      expect(gate(await activate(activationDoc(lic.license), lic.auth))).toMatchObject({
        status: 403,
        code: 'TOKEN_NOT_ALLOWED',
        detail: 'Token authentication is not allowed by policy',
      });
      await activate(activationDoc(lic.license), lic.keyAuth).expect(201);
    });
  });
});
