import { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { badRequest, denied, lacks, RECORD_ENV } from '../products/support';
import { expectSigned } from '../users/support';
import { DEFAULT_ATTRIBUTES, policyDoc, policyError, policyResource } from './support';

describe('POST /v1/accounts/:account/policies', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let productId: string;

  const post = (body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .post(`${a.base}/policies`)
      .set(auth)
      .send(body as object);
  const stored = (id: string) => t.ds.getRepository(Policy).findOneByOrFail({ id });
  const create = async (
    attributes: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    (
      await post(policyDoc(productId, { name: 'P', ...attributes }), {
        ...a.auth,
        ...headers,
      }).expect(201)
    ).body.data.attributes as Record<string, unknown>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    productId = (await g.product(a.account)).product.id;
  });
  afterAll(() => t.close());

  describe('201', () => {
    it("creates a node-locked policy with Keygen's defaults and renders it in full", async () => {
      const before = t.events.named('policy.created', a.id).length;
      const res = await post(policyDoc(productId, { name: 'Basic', maxMachines: null })).expect(
        201,
      );
      expectSigned(res);
      const row = await stored(res.body.data.id);
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/policies/${row.id}`,
      );
      expect(res.body).toEqual({ data: policyResource(row) });
      expect(res.body.data.attributes).toEqual({
        name: 'Basic',
        ...DEFAULT_ATTRIBUTES,
        created: row.createdAt.toISOString(),
        updated: row.updatedAt.toISOString(),
      });
      const events = t.events.named('policy.created', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'policies', id: row.id });
    });

    it('forces one machine on node-locked policies and keeps floating limits', async () => {
      expect((await create({ maxMachines: 1 })).maxMachines).toBe(1);
      expect(await create({ floating: true, maxMachines: 5 })).toMatchObject({
        floating: true,
        maxMachines: 5,
      });
      expect((await create({ floating: true })).maxMachines).toBeNull();
    });

    it('inherits the protected flag of a protected account unless given', async () => {
      const locked = await g.account({ protected: true });
      const p = await g.product(locked.account);
      const inherit = await t.http
        .post(`${locked.base}/policies`)
        .set(locked.auth)
        .send(policyDoc(p.product.id, { name: 'P' }))
        .expect(201);
      expect(inherit.body.data.attributes.protected).toBe(true);
      const explicit = await t.http
        .post(`${locked.base}/policies`)
        .set(locked.auth)
        .send(policyDoc(p.product.id, { name: 'P', protected: false }))
        .expect(201);
      expect(explicit.body.data.attributes.protected).toBe(false);
      expect((await create({ protected: true })).protected).toBe(true);
    });

    it.each([
      'RSA_2048_PKCS1_ENCRYPT',
      'RSA_2048_PKCS1_SIGN',
      'RSA_2048_PKCS1_PSS_SIGN',
      'RSA_2048_JWT_RS256',
      'RSA_2048_PKCS1_SIGN_V2',
      'RSA_2048_PKCS1_PSS_SIGN_V2',
      'ED25519_SIGN',
      'ECDSA_P256_SIGN',
    ])('accepts the %s scheme', async (scheme) => {
      expect(await create({ scheme })).toMatchObject({ scheme, encrypted: false });
    });

    it('uses LEGACY_ENCRYPT for encrypted policies without (or with) that scheme', async () => {
      expect(await create({ encrypted: true })).toMatchObject({
        scheme: 'LEGACY_ENCRYPT',
        encrypted: true,
      });
      expect(await create({ encrypted: true, scheme: 'LEGACY_ENCRYPT' })).toMatchObject({
        scheme: 'LEGACY_ENCRYPT',
      });
    });

    it('stores every writable attribute', async () => {
      const attributes = {
        duration: 86400,
        strict: true,
        floating: true,
        usePool: true,
        maxMachines: 8,
        maxProcesses: 4,
        maxUsers: 8,
        maxCores: 16,
        maxMemory: 8589934592,
        maxDisk: 4,
        maxUses: 2147483647,
        machineUniquenessStrategy: 'UNIQUE_PER_ACCOUNT',
        machineMatchingStrategy: 'MATCH_MOST',
        componentUniquenessStrategy: 'UNIQUE_PER_PRODUCT',
        componentMatchingStrategy: 'MATCH_ALL',
        expirationStrategy: 'MAINTAIN_ACCESS',
        expirationBasis: 'FROM_FIRST_ACTIVATION',
        renewalBasis: 'FROM_NOW_IF_EXPIRED',
        transferStrategy: 'RESET_EXPIRY',
        authenticationStrategy: 'MIXED',
        machineLeasingStrategy: 'PER_USER',
        processLeasingStrategy: 'PER_LICENSE',
        overageStrategy: 'ALLOW_1_25X_OVERAGE',
        protected: true,
        requireProductScope: true,
        requirePolicyScope: true,
        requireMachineScope: true,
        requireFingerprintScope: true,
        requireComponentsScope: true,
        requireUserScope: true,
        requireChecksumScope: true,
        requireVersionScope: true,
        requireCheckIn: true,
        checkInInterval: 'week',
        checkInIntervalCount: 365,
        heartbeatDuration: 60,
        heartbeatCullStrategy: 'KEEP_DEAD',
        heartbeatResurrectionStrategy: 'ALWAYS_REVIVE',
        heartbeatBasis: 'FROM_CREATION',
        requireHeartbeat: true,
        metadata: { tier: 'gold', nestedKey: { innerKey: true } },
      };
      const res = await create(attributes);
      expect(res).toMatchObject({
        ...attributes,
        metadata: { tier: 'gold', nestedKey: { innerKey: true } },
      });
    });

    it.each([
      [{ requireHeartbeat: true }, {}, 'FROM_CREATION'],
      [{ requireHeartbeat: false }, {}, 'FROM_FIRST_PING'],
      [{ requireHeartbeat: true }, { 'Keygen-Version': '1.3' }, 'FROM_CREATION'],
      [{ requireHeartbeat: true }, { 'Keygen-Version': '1.2' }, 'FROM_FIRST_PING'],
      [{ requireHeartbeat: true, heartbeatBasis: 'FROM_FIRST_PING' }, {}, 'FROM_FIRST_PING'],
    ])('defaults the heartbeat basis of %j (%j) to %s', async (attrs, headers, basis) => {
      expect((await create(attrs, headers)).heartbeatBasis).toBe(basis);
    });

    it.each([
      ['1.2', 'NO_OVERAGE'],
      ['1.1', 'ALWAYS_ALLOW_OVERAGE'],
      ['1.0', 'ALWAYS_ALLOW_OVERAGE'],
    ])('defaults the overage strategy at API %s to %s', async (version, strategy) => {
      const attrs = await create({}, { 'Keygen-Version': version });
      expect(attrs.overageStrategy).toBe(strategy);
    });

    it('accepts and renders `concurrent` at API 1.1, appended last', async () => {
      const off = await create({ concurrent: false }, { 'Keygen-Version': '1.1' });
      expect(off).toMatchObject({ overageStrategy: 'NO_OVERAGE', concurrent: false });
      expect(Object.keys(off).slice(-1)).toEqual(['concurrent']);
      const on = await create({ concurrent: true }, { 'Keygen-Version': '1.0' });
      expect(on).toMatchObject({ overageStrategy: 'ALWAYS_ALLOW_OVERAGE', concurrent: true });
    });

    it('accepts `leasingStrategy` at API 1.6 and renders it renamed', async () => {
      const res = await post(policyDoc(productId, { name: 'P', leasingStrategy: 'PER_LICENSE' }), {
        ...a.auth,
        'Keygen-Version': '1.6',
      }).expect(201);
      const attrs = res.body.data.attributes;
      expect(attrs.leasingStrategy).toBe('PER_LICENSE');
      expect(attrs.processLeasingStrategy).toBeUndefined();
      expect(Object.keys(attrs).slice(-1)).toEqual(['leasingStrategy']);
      expect((await stored(res.body.data.id)).processLeasingStrategy).toBe('PER_LICENSE');
    });

    it('accepts the fingerprint strategies at API 1.3 and renders every rename', async () => {
      const attrs = await create(
        {
          fingerprintUniquenessStrategy: 'UNIQUE_PER_PRODUCT',
          fingerprintMatchingStrategy: 'MATCH_TWO',
        },
        { 'Keygen-Version': '1.3' },
      );
      expect(attrs).toMatchObject({
        fingerprintUniquenessStrategy: 'UNIQUE_PER_PRODUCT',
        fingerprintMatchingStrategy: 'MATCH_TWO',
        leasingStrategy: 'PER_MACHINE',
      });
      expect(attrs.machineUniquenessStrategy).toBeUndefined();
      expect(Object.keys(attrs).slice(-3)).toEqual([
        'leasingStrategy',
        'fingerprintUniquenessStrategy',
        'fingerprintMatchingStrategy',
      ]);
    });

    it.each(['developer', 'sales-agent'] as const)('lets a %s create a policy', async (role) => {
      const u = await g.user(a.account, { role });
      await post(policyDoc(productId, { name: 'P' }), u.auth).expect(201);
    });

    it('lets a product create a policy for itself', async () => {
      const p = await g.product(a.account);
      const res = await post(
        policyDoc(p.product.id, {
          name: 'Add-On',
          encrypted: true,
          scheme: 'LEGACY_ENCRYPT',
          duration: 1209600,
        }),
        p.auth,
      ).expect(201);
      expect(res.body.data.relationships.product.data.id).toBe(p.product.id);
    });

    it('creates policies inside the current environment, also for a global product when shared', async () => {
      const iso = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const isoProduct = await g.product(a.account, { environment: iso.environment });
      const isolated = await post(
        policyDoc(isoProduct.product.id, { name: 'Iso' }),
        iso.auth,
      ).expect(201);
      expect(isolated.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: iso.environment.id,
      });
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await post(policyDoc(productId, { name: 'Shared' }), shared.auth).expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: shared.environment.id,
      });
    });

    it('does not validate check-in values while check-ins are off', async () => {
      expect(
        await create({ checkInInterval: 'millennium', checkInIntervalCount: 0 }),
      ).toMatchObject({
        requireCheckIn: false,
        checkInInterval: 'millennium',
        checkInIntervalCount: 0,
      });
    });
  });

  describe('400', () => {
    it.each([
      [
        { data: { type: 'policies', attributes: { name: 'P' } } },
        'is missing',
        '/data/relationships',
      ],
      [
        { data: { type: 'policies', attributes: { name: 'P' }, relationships: {} } },
        'is missing',
        '/data/relationships/product',
      ],
      [
        { data: { type: 'policies', attributes: { name: 'P' }, relationships: { product: {} } } },
        'is missing',
        '/data/relationships/product/data',
      ],
      [
        {
          data: {
            type: 'policies',
            attributes: { name: 'P' },
            relationships: { product: { data: null } },
          },
        },
        'cannot be null',
        '/data/relationships/product/data',
      ],
      [
        {
          data: {
            type: 'policies',
            attributes: {},
            relationships: { product: { data: { type: 'products', id: 'nope' } } },
          },
        },
        'type mismatch (received string expected UUID string)',
        '/data/relationships/product/data/id',
      ],
      [
        {
          data: {
            type: 'policies',
            attributes: {},
            relationships: {
              product: { data: { type: 'users', id: '3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1' } },
            },
          },
        },
        'is invalid',
        '/data/relationships/product/data/type',
      ],
      [{ data: { type: 'policies', relationships: {} } }, 'is missing', '/data/attributes'],
    ])('rejects %j', async (body, detail, pointer) => {
      const res = await post(body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it.each([
      [{ name: '' }, 'cannot be blank', '/data/attributes/name'],
      [
        { duration: '1 day' },
        'type mismatch (received string expected integer)',
        '/data/attributes/duration',
      ],
      [
        { maxMachines: 1.5 },
        'type mismatch (received float expected integer)',
        '/data/attributes/maxMachines',
      ],
      [
        { strict: 'yes' },
        'type mismatch (received string expected boolean)',
        '/data/attributes/strict',
      ],
      [
        { overageStrategy: 1 },
        'type mismatch (received integer expected string)',
        '/data/attributes/overageStrategy',
      ],
      [
        { metadata: [] },
        'type mismatch (received array expected object)',
        '/data/attributes/metadata',
      ],
      [{ bogus: true }, 'unpermitted parameter', '/data/attributes/bogus'],
      [
        { leasingStrategy: 'PER_LICENSE' },
        'unpermitted parameter',
        '/data/attributes/leasingStrategy',
      ],
      [
        { fingerprintUniquenessStrategy: 'UNIQUE_PER_POLICY' },
        'unpermitted parameter',
        '/data/attributes/fingerprintUniquenessStrategy',
      ],
      [{ concurrent: true }, 'unpermitted parameter', '/data/attributes/concurrent'],
    ])('rejects the attributes %j', async (attributes, detail, pointer) => {
      const res = await post(policyDoc(productId, { name: 'P', ...attributes })).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it.each([
      [
        '1.6',
        { fingerprintMatchingStrategy: 'MATCH_ANY' },
        '/data/attributes/fingerprintMatchingStrategy',
      ],
      ['1.2', { concurrent: false }, '/data/attributes/concurrent'],
      ['1.7', { leasingStrategy: 'PER_USER' }, '/data/attributes/leasingStrategy'],
    ])('rejects version-gated attributes at API %s', async (version, attrs, pointer) => {
      const res = await post(policyDoc(productId, { name: 'P', ...attrs }), {
        ...a.auth,
        'Keygen-Version': version,
      }).expect(400);
      expect(res.body.errors).toEqual([badRequest('unpermitted parameter', pointer)]);
    });

    it('validates the body before authorizing (400 beats 403)', async () => {
      const u = await g.user(a.account);
      await post(policyDoc(productId, { name: 'P', bogus: 1 }), u.auth).expect(400);
    });

    it('rejects a check-in count too large for its column while check-ins are off', async () => {
      const res = await post(
        policyDoc(productId, { name: 'P', checkInIntervalCount: 2147483648 }),
      ).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail: 'integer is too large' }]);
    });
  });

  describe('401', () => {
    it('rejects anonymous callers and tokens of other accounts', async () => {
      await post(policyDoc(productId, { name: 'P' }), {}).expect(401);
      const other = await g.account();
      await post(policyDoc(productId, { name: 'P' }), other.auth).expect(401);
    });
  });

  describe('403', () => {
    it.each([
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
      ['user', denied(lacks('user'))],
    ] as const)('forbids a %s', async (role, error) => {
      const u = await g.user(a.account, { role });
      const res = await post(policyDoc(productId, { name: 'P' }), u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a product naming another or an unknown product', async () => {
      const p = await g.product(a.account);
      const res = await post(policyDoc(productId, { name: 'P' }), p.auth).expect(403);
      expect(res.body.errors).toEqual([denied()]);
      await post(policyDoc('3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1', { name: 'P' }), p.auth).expect(
        403,
      );
    });

    it("forbids a global request for a product in an environment (the policy takes the product's)", async () => {
      const env = await g.environment(a.account);
      const p = await g.product(a.account, { environment: env.environment });
      const res = await post(policyDoc(p.product.id, { name: 'P' })).expect(403);
      expect(res.body.errors).toEqual([denied(RECORD_ENV)]);
    });

    it('forbids a token without policy.create', async () => {
      const tok = await g.token(
        a.account,
        { type: 'users', id: a.admin.id, role: 'admin', environmentId: null },
        { permissions: ['policy.read'] },
      );
      const res = await post(policyDoc(productId, { name: 'P' }), {
        Authorization: `Bearer ${tok.raw}`,
      }).expect(403);
      expect(res.body.errors[0].detail).toContain('(token lacks permission to perform action)');
    });
  });

  describe('422', () => {
    const one = async (attributes: Record<string, unknown>) =>
      (await post(policyDoc(productId, { name: 'P', ...attributes })).expect(422)).body.errors;

    it.each([
      [{ duration: 0 }, 'duration', 'DURATION_INVALID', 'must be greater than 0'],
      [{ duration: -5 }, 'duration', 'DURATION_INVALID', 'must be greater than 0'],
      [
        { duration: 86399 },
        'duration',
        'DURATION_INVALID',
        'must be greater than or equal to 86400 (1 day)',
      ],
      [
        { duration: 2147483648 },
        'duration',
        'DURATION_INVALID',
        'must be less than or equal to 2147483647',
      ],
      [
        { heartbeatDuration: 59 },
        'heartbeatDuration',
        'HEARTBEAT_DURATION_INVALID',
        'must be greater than or equal to 60 (1 minute)',
      ],
      [
        { heartbeatDuration: 0 },
        'heartbeatDuration',
        'HEARTBEAT_DURATION_INVALID',
        'must be greater than 0',
      ],
      [
        { heartbeatDuration: 2147483648 },
        'heartbeatDuration',
        'HEARTBEAT_DURATION_INVALID',
        'must be less than or equal to 2147483647',
      ],
      [
        { floating: true, maxMachines: 0 },
        'maxMachines',
        'MAX_MACHINES_INVALID',
        'must be greater than or equal to 1 for floating policy',
      ],
      [
        { floating: true, maxMachines: -1 },
        'maxMachines',
        'MAX_MACHINES_INVALID',
        'must be greater than or equal to 0',
      ],
      [
        { floating: true, maxMachines: 2147483648 },
        'maxMachines',
        'MAX_MACHINES_INVALID',
        'must be less than or equal to 2147483647',
      ],
      [
        { floating: false, maxMachines: 5 },
        'maxMachines',
        'MAX_MACHINES_INVALID',
        'must be equal to 1 for non-floating policy',
      ],
      [
        { maxMachines: 0 },
        'maxMachines',
        'MAX_MACHINES_INVALID',
        'must be equal to 1 for non-floating policy',
      ],
      [{ maxCores: 0 }, 'maxCores', 'MAX_CORES_INVALID', 'must be greater than or equal to 1'],
      [
        { maxCores: 2147483648 },
        'maxCores',
        'MAX_CORES_INVALID',
        'must be less than or equal to 2147483647',
      ],
      [{ maxMemory: 0 }, 'maxMemory', 'MAX_MEMORY_INVALID', 'must be greater than or equal to 1'],
      [{ maxDisk: -1 }, 'maxDisk', 'MAX_DISK_INVALID', 'must be greater than or equal to 1'],
      [{ maxUses: -1 }, 'maxUses', 'MAX_USES_INVALID', 'must be greater than or equal to 0'],
      [
        { maxUses: 2147483648 },
        'maxUses',
        'MAX_USES_INVALID',
        'must be less than or equal to 2147483647',
      ],
      [{ maxProcesses: 0 }, 'maxProcesses', 'MAX_PROCESSES_INVALID', 'must be greater than 0'],
      [{ maxUsers: 0 }, 'maxUsers', 'MAX_USERS_INVALID', 'must be greater than 0'],
      [
        { maxUsers: 2147483648 },
        'maxUsers',
        'MAX_USERS_INVALID',
        'must be less than or equal to 2147483647',
      ],
      [
        { name: 'n'.repeat(256) },
        'name',
        'NAME_TOO_LONG',
        'is too long (maximum is 255 characters)',
      ],
      [{ scheme: 'AES_SHA256' }, 'scheme', 'SCHEME_NOT_ALLOWED', 'unsupported signing scheme'],
      [
        { encrypted: true, scheme: 'RSA_2048_PKCS1_SIGN' },
        'scheme',
        'SCHEME_NOT_ALLOWED',
        'unsupported encryption scheme (scheme must be LEGACY_ENCRYPT for legacy encrypted policies)',
      ],
      [
        { scheme: 'LEGACY_ENCRYPT' },
        'scheme',
        'SCHEME_INVALID',
        'must be encrypted when using LEGACY_ENCRYPT scheme',
      ],
      [
        { usePool: true, scheme: 'ED25519_SIGN' },
        'scheme',
        'SCHEME_NOT_SUPPORTED',
        'cannot use a scheme and use a pool',
      ],
      [
        { machineUniquenessStrategy: 'UNIQUE' },
        'machineUniquenessStrategy',
        'MACHINE_UNIQUENESS_STRATEGY_NOT_ALLOWED',
        'unsupported machine uniqueness strategy',
      ],
      [
        { machineMatchingStrategy: 'MATCH_3' },
        'machineMatchingStrategy',
        'MACHINE_MATCHING_STRATEGY_NOT_ALLOWED',
        'unsupported machine matching strategy',
      ],
      [
        { machineUniquenessStrategy: 'UNIQUE_PER_MACHINE' },
        'machineUniquenessStrategy',
        'MACHINE_UNIQUENESS_STRATEGY_NOT_ALLOWED',
        'unsupported machine uniqueness strategy',
      ],
      [
        { componentUniquenessStrategy: 'x' },
        'componentUniquenessStrategy',
        'COMPONENT_UNIQUENESS_STRATEGY_NOT_ALLOWED',
        'unsupported component uniqueness strategy',
      ],
      [
        { componentMatchingStrategy: 'x' },
        'componentMatchingStrategy',
        'COMPONENT_MATCHING_STRATEGY_NOT_ALLOWED',
        'unsupported component matching strategy',
      ],
      [
        { expirationStrategy: 'restrict_access' },
        'expirationStrategy',
        'EXPIRATION_STRATEGY_NOT_ALLOWED',
        'unsupported expiration strategy',
      ],
      [
        { expirationBasis: 'FROM_NOW' },
        'expirationBasis',
        'EXPIRATION_BASIS_NOT_ALLOWED',
        'unsupported expiration basis',
      ],
      [
        { renewalBasis: 'FROM_CREATION' },
        'renewalBasis',
        'RENEWAL_BASIS_NOT_ALLOWED',
        'unsupported renewal basis',
      ],
      [
        { transferStrategy: 'x' },
        'transferStrategy',
        'TRANSFER_STRATEGY_NOT_ALLOWED',
        'unsupported transfer strategy',
      ],
      [
        { authenticationStrategy: 'BASIC' },
        'authenticationStrategy',
        'AUTHENTICATION_STRATEGY_NOT_ALLOWED',
        'unsupported authentication strategy',
      ],
      [
        { machineLeasingStrategy: 'PER_MACHINE' },
        'machineLeasingStrategy',
        'MACHINE_LEASING_STRATEGY_NOT_ALLOWED',
        'unsupported machine leasing strategy',
      ],
      [
        { processLeasingStrategy: 'x' },
        'processLeasingStrategy',
        'PROCESS_LEASING_STRATEGY_NOT_ALLOWED',
        'unsupported process leasing strategy',
      ],
      [
        { heartbeatCullStrategy: 'x' },
        'heartbeatCullStrategy',
        'HEARTBEAT_CULL_STRATEGY_NOT_ALLOWED',
        'unsupported heartbeat cull strategy',
      ],
      [
        { heartbeatResurrectionStrategy: '3_MINUTE_REVIVE' },
        'heartbeatResurrectionStrategy',
        'HEARTBEAT_RESURRECTION_STRATEGY_NOT_ALLOWED',
        'unsupported heartbeat resurrection strategy',
      ],
      [
        { heartbeatBasis: 'FROM_NOW' },
        'heartbeatBasis',
        'HEARTBEAT_BASIS_NOT_ALLOWED',
        'unsupported heartbeat basis',
      ],
      [
        { heartbeatResurrectionStrategy: 'ALWAYS_REVIVE' },
        'heartbeatCullStrategy',
        'HEARTBEAT_CULL_STRATEGY_NOT_ALLOWED',
        'incompatible heartbeat cull strategy (must be KEEP_DEAD when resurrection strategy is ALWAYS_REVIVE)',
      ],
      [
        { overageStrategy: 'ALLOW_3X_OVERAGE' },
        'overageStrategy',
        'OVERAGE_STRATEGY_NOT_ALLOWED',
        'unsupported overage strategy',
      ],
    ])('rejects %j on %s', async (attributes, attr, code, detail) => {
      expect(await one(attributes)).toEqual([policyError(attr, code, detail)]);
    });

    const overage = (strategy: string, why: string) =>
      policyError(
        'overageStrategy',
        'OVERAGE_STRATEGY_NOT_ALLOWED',
        `incompatible overage strategy (cannot use ${strategy} ${why})`,
      );

    it.each([
      [
        { overageStrategy: 'ALLOW_1_25X_OVERAGE' },
        overage('ALLOW_1_25X_OVERAGE', 'for node-locked policy'),
      ],
      [
        { overageStrategy: 'ALLOW_1_25X_OVERAGE', floating: true, maxMachines: 5 },
        overage('ALLOW_1_25X_OVERAGE', 'with a max machines value not divisible by 4'),
      ],
      [
        { overageStrategy: 'ALLOW_1_25X_OVERAGE', floating: true, maxCores: 6 },
        overage('ALLOW_1_25X_OVERAGE', 'with a max cores value not divisible by 4'),
      ],
      [
        { overageStrategy: 'ALLOW_1_25X_OVERAGE', floating: true, maxMemory: 2 },
        overage('ALLOW_1_25X_OVERAGE', 'with a max memory value not divisible by 4'),
      ],
      [
        { overageStrategy: 'ALLOW_1_25X_OVERAGE', floating: true, maxDisk: 10 },
        overage('ALLOW_1_25X_OVERAGE', 'with a max disk value not divisible by 4'),
      ],
      [
        { overageStrategy: 'ALLOW_1_25X_OVERAGE', floating: true, maxProcesses: 3 },
        overage('ALLOW_1_25X_OVERAGE', 'with a max processes value not divisible by 4'),
      ],
      [
        { overageStrategy: 'ALLOW_1_25X_OVERAGE', floating: true, maxUsers: 7 },
        overage('ALLOW_1_25X_OVERAGE', 'with a max users value not divisible by 4'),
      ],
      [
        { overageStrategy: 'ALLOW_1_5X_OVERAGE' },
        overage('ALLOW_1_5X_OVERAGE', 'for node-locked policy'),
      ],
      [
        { overageStrategy: 'ALLOW_1_5X_OVERAGE', floating: true, maxMachines: 3 },
        overage('ALLOW_1_5X_OVERAGE', 'with a max machines value not divisible by 2'),
      ],
      [
        { overageStrategy: 'ALLOW_1_5X_OVERAGE', floating: true, maxCores: 3 },
        overage('ALLOW_1_5X_OVERAGE', 'with a max cores value not divisible by 2'),
      ],
      [
        { overageStrategy: 'ALLOW_1_5X_OVERAGE', floating: true, maxUsers: 1 },
        overage('ALLOW_1_5X_OVERAGE', 'with a max users value not divisible by 2'),
      ],
    ])('rejects the overage combination %j', async (attributes, error) => {
      expect(await one(attributes)).toEqual([error]);
    });

    it.each([
      { overageStrategy: 'ALLOW_1_25X_OVERAGE', floating: true, maxMachines: 8, maxCores: 4 },
      { overageStrategy: 'ALLOW_1_5X_OVERAGE', floating: true, maxMachines: 2, maxUsers: 4 },
      { overageStrategy: 'ALLOW_2X_OVERAGE', maxMachines: 1 },
      { overageStrategy: 'ALWAYS_ALLOW_OVERAGE' },
      { heartbeatResurrectionStrategy: 'ALWAYS_REVIVE', heartbeatCullStrategy: 'KEEP_DEAD' },
    ])('accepts %j', async (attributes) => {
      await post(policyDoc(productId, { name: 'P', ...attributes })).expect(201);
    });

    it('requires a valid interval and count when check-ins are required', async () => {
      const expected = [
        policyError(
          'checkInInterval',
          'CHECK_IN_INTERVAL_NOT_ALLOWED',
          'must be one of: day, week, month, year',
        ),
        policyError(
          'checkInIntervalCount',
          'CHECK_IN_INTERVAL_COUNT_NOT_ALLOWED',
          'must be a number between 1 and 365 inclusive',
        ),
      ];
      expect(await one({ requireCheckIn: true })).toEqual(expected);
      expect(
        await one({ requireCheckIn: true, checkInInterval: 'millennium', checkInIntervalCount: 0 }),
      ).toEqual(expected);
      expect(
        await one({ requireCheckIn: true, checkInInterval: 'day', checkInIntervalCount: 366 }),
      ).toEqual([expected[1]]);
    });

    it('reports a pooled encrypted policy twice (encrypted, then the implied scheme)', async () => {
      expect(await one({ usePool: true, encrypted: true })).toEqual([
        policyError('encrypted', 'ENCRYPTED_NOT_SUPPORTED', 'cannot be encrypted and use a pool'),
        policyError('scheme', 'SCHEME_NOT_SUPPORTED', 'cannot use a scheme and use a pool'),
      ]);
    });

    it('reports a missing name', async () => {
      const res = await post(policyDoc(productId, {})).expect(422);
      expect(res.body.errors).toEqual([policyError('name', 'NAME_MISSING', "can't be blank")]);
    });

    it('reports an unknown product or one of another account', async () => {
      const other = await g.account();
      const foreign = await g.product(other.account);
      for (const id of ['3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1', foreign.product.id]) {
        const res = await post(policyDoc(id, { name: 'P' })).expect(422);
        expect(res.body.errors).toEqual([
          {
            title: 'Unprocessable resource',
            detail: 'must exist',
            code: 'PRODUCT_NOT_FOUND',
            source: { pointer: '/data/relationships/product' },
            links: {
              about: 'https://keygen.sh/docs/api/policies/#policies-object-relationships-product',
            },
          },
        ]);
      }
    });

    it("rejects an isolated environment's policy for a global product", async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const res = await post(policyDoc(productId, { name: 'P' }), env.auth).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'must be compatible with product environment',
          code: 'ENVIRONMENT_NOT_ALLOWED',
          source: { pointer: '/data/relationships/environment' },
          links: {
            about: 'https://keygen.sh/docs/api/policies/#policies-object-relationships-environment',
          },
        },
      ]);
    });

    it('reports every failure grouped by attribute and creates nothing', async () => {
      const before = t.events.named('policy.created', a.id).length;
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
      const errors = await one({
        name: 'n'.repeat(300),
        duration: 0,
        maxMachines: 3,
        scheme: 'LEGACY_ENCRYPT',
        usePool: true,
        expirationStrategy: 'x',
        metadata,
        overageStrategy: 'ALLOW_1_5X_OVERAGE',
        maxUsers: 0,
      });
      // The scheme rules run last, so the scheme group comes after the overage error...
      expect(errors.map((e: { code: string }) => e.code)).toEqual([
        'NAME_TOO_LONG',
        'DURATION_INVALID',
        'MAX_MACHINES_INVALID',
        'EXPIRATION_STRATEGY_NOT_ALLOWED',
        'METADATA_TOO_LONG',
        'MAX_USERS_INVALID',
        'OVERAGE_STRATEGY_NOT_ALLOWED',
        'SCHEME_NOT_SUPPORTED',
        'SCHEME_INVALID',
      ]);
      // ...unless the scheme already failed earlier: its group keeps its first position.
      const early = await one({ scheme: 'NOPE', usePool: true, expirationStrategy: 'x' });
      expect(early.map((e: { code: string }) => e.code)).toEqual([
        'SCHEME_NOT_ALLOWED',
        'SCHEME_NOT_SUPPORTED',
        'EXPIRATION_STRATEGY_NOT_ALLOWED',
      ]);
      expect(t.events.named('policy.created', a.id)).toHaveLength(before);
    });
  });
});
