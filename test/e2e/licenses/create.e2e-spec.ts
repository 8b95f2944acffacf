import { createPublicKey, verify } from 'node:crypto';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { uuidv4 } from '@app/common/ids';
import { Key } from '@app/modules/keys/key.entity';
import { License } from '@app/modules/licenses/license.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import {
  RECORD_ENV,
  badRequest,
  denied,
  lacks,
  licenseDoc,
  licenseError,
  licenseResource,
  owner,
  type Given,
} from './crud-support';

const DEFAULT_KEY = /^[0-9A-F]{6}(-[0-9A-F]{6}){4}-V3$/;
const LEGACY_KEY = /^[0-9a-f]{32}-[0-9a-f]{32}-[0-9a-f]{32}-[0-9a-f]{30}v1$/;

describe('POST /v1/accounts/:account/licenses', () => {
  let t: TestApp;
  let g: Given;
  let a: GivenAccount;
  let policy: Policy;

  const post = (body: unknown, auth: Record<string, string> = a.auth, base = a.base) =>
    t.http
      .post(`${base}/licenses`)
      .set(auth)
      .send(body as object);
  const stored = (id: string) => t.ds.getRepository(License).findOneByOrFail({ id });
  const count = (accountId: string) => t.ds.getRepository(License).countBy({ accountId });
  const addPoolKey = async (p: Policy, key: string) => {
    const now = t.clock.now();
    await t.ds.getRepository(Key).insert({
      id: uuidv4(),
      accountId: p.accountId,
      environmentId: p.environmentId,
      policyId: p.id,
      key,
      createdAt: now,
      updatedAt: now,
    });
  };

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    policy = await g.policy(a.account);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  describe('201', () => {
    it("creates a license with Keygen's defaults, a Location, and license.created", async () => {
      const before = t.events.named('license.created', a.id).length;
      const res = await post(licenseDoc(policy.id)).expect(201);
      expectSigned(res);
      const row = await stored(res.body.data.id);
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/licenses/${row.id}`,
      );
      expect(row.key).toMatch(DEFAULT_KEY);
      expect(row.protected).toBe(false);
      expect(row.permissions).toEqual([...DEFAULT_PERMISSIONS.license]);
      expect(res.body).toEqual({ data: licenseResource(row, policy) });
      const events = t.events.named('license.created', a.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'licenses', id: row.id });
    });

    it('stores the attributes a privileged creator may set', async () => {
      const u = await g.user(a.account);
      const floating = await g.policy(a.account, { floating: true, maxMachines: 3 });
      const res = await post(
        licenseDoc(
          floating.id,
          {
            name: 'Pro',
            key: 'MY-OWN-KEY-1',
            expiry: '2030-01-02T03:04:05.678Z',
            protected: true,
            suspended: true,
            maxMachines: 5,
            maxCores: 8,
            maxMemory: 8589934592,
            maxDisk: 4,
            maxUses: 0,
            maxProcesses: 2,
            maxUsers: 3,
            metadata: { someKey: 'v', nested_key: { innerKey: 1 } },
            permissions: ['license.validate', 'license.read'],
          },
          { relationships: owner(u.user.id) },
        ),
      ).expect(201);
      expect(res.body.data.attributes).toMatchObject({
        name: 'Pro',
        key: 'MY-OWN-KEY-1',
        expiry: '2030-01-02T03:04:05.678Z',
        status: 'SUSPENDED',
        protected: true,
        suspended: true,
        floating: true,
        maxMachines: 5,
        maxCores: 8,
        maxMemory: 8589934592,
        maxDisk: 4,
        // compat: an override of 0 falls back to the policy's value.
        maxUses: null,
        maxProcesses: 2,
        maxUsers: 3,
        metadata: { someKey: 'v', nestedKey: { innerKey: 1 } },
        permissions: ['license.read', 'license.validate'],
      });
      expect(res.body.data.relationships.owner.data).toEqual({ type: 'users', id: u.user.id });
      expect(res.body.data.relationships.users.meta).toEqual({ count: 1 });
      const row = await stored(res.body.data.id);
      expect(row.metadata).toEqual({ some_key: 'v', nested_key: { inner_key: 1 } });
      expect(row.maxUses).toBe(0);
    });

    it('accepts expiry as unix seconds (string or integer), and null', async () => {
      for (const expiry of ['1717517916', 1717517916]) {
        const res = await post(licenseDoc(policy.id, { expiry })).expect(201);
        expect(res.body.data.attributes.expiry).toBe('2024-06-04T16:18:36.000Z');
      }
      const res = await post(licenseDoc(policy.id, { expiry: null })).expect(201);
      expect(res.body.data.attributes.expiry).toBeNull();
    });

    it.each([
      ['developer', 'developer'],
      ['sales agent', 'sales-agent'],
    ] as const)('lets a %s create licenses', async (_label, role) => {
      const u = await g.user(a.account, { role });
      await post(licenseDoc(policy.id), u.auth).expect(201);
    });

    it('lets an environment create a license in its environment', async () => {
      const e = await g.environment(a.account);
      const p = await g.policy(a.account, { environment: e.environment });
      const res = await post(licenseDoc(p.id), e.auth).expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: e.environment.id,
      });
      expect((await stored(res.body.data.id)).environmentId).toBe(e.environment.id);
    });

    it('lets a product create licenses for its own policies, with a client id', async () => {
      const p = await g.product(a.account);
      const own = await g.policy(a.account, { product: p.product });
      const id = uuidv4();
      const res = await post(licenseDoc(own.id, {}, { id }), p.auth).expect(201);
      expect(res.body.data.id).toBe(id);
      expect(res.body.data.relationships.product.data).toEqual({
        type: 'products',
        id: p.product.id,
      });
    });

    it('lets a user create a license for itself on an unprotected policy', async () => {
      const u = await g.user(a.account);
      const res = await post(
        licenseDoc(policy.id, { name: 'Mine' }, { relationships: owner(u.user.id) }),
        u.auth,
      ).expect(201);
      expect(res.body.data.relationships.owner.data.id).toBe(u.user.id);
    });

    it('takes the owner through the `user` alias; a null owner is no owner', async () => {
      const u = await g.user(a.account);
      const alias = await post(
        licenseDoc(policy.id, undefined, {
          relationships: { user: { data: { type: 'users', id: u.user.id } } },
        }),
      ).expect(201);
      expect(alias.body.data.relationships.owner.data.id).toBe(u.user.id);
      const linkage = await post(licenseDoc(policy.id, {}, { relationships: owner(null) })).expect(
        201,
      );
      expect(linkage.body.data.relationships.owner.data).toBeNull();
      const rel = await post(licenseDoc(policy.id, {}, { relationships: { owner: null } })).expect(
        201,
      );
      expect(rel.body.data.relationships.owner.data).toBeNull();
    });

    it('ignores a null key and null metadata, and keeps empty metadata', async () => {
      const res = await post(licenseDoc(policy.id, { key: null, metadata: null })).expect(201);
      expect(res.body.data.attributes.key).toMatch(DEFAULT_KEY);
      expect(res.body.data.attributes.metadata).toEqual({});
      await post(licenseDoc(policy.id, { metadata: {} })).expect(201);
    });

    it('inherits protected from the policy unless given', async () => {
      const locked = await g.policy(a.account, { protected: true });
      expect((await post(licenseDoc(locked.id)).expect(201)).body.data.attributes.protected).toBe(
        true,
      );
      const open = await post(licenseDoc(locked.id, { protected: false })).expect(201);
      expect(open.body.data.attributes.protected).toBe(false);
      expect((await stored(open.body.data.id)).protected).toBe(false);
    });

    it('sets lastCheckIn when the policy requires check-ins', async () => {
      t.clock.freeze(new Date('2024-03-01T10:00:00.000Z'));
      const p = await g.policy(a.account, {
        requireCheckIn: true,
        checkInInterval: 'month',
        checkInIntervalCount: 1,
      });
      const res = await post(licenseDoc(p.id)).expect(201);
      expect(res.body.data.attributes).toMatchObject({
        lastCheckIn: '2024-03-01T10:00:00.000Z',
        nextCheckIn: '2024-04-01T10:00:00.000Z',
        requireCheckIn: true,
      });
    });

    it('sets the expiry from the duration with calendar arithmetic (FROM_CREATION)', async () => {
      t.clock.freeze(new Date('2022-10-16T14:52:48Z'));
      const p = await g.policy(a.account, { duration: 2629746, expirationBasis: 'FROM_CREATION' });
      const res = await post(licenseDoc(p.id)).expect(201);
      expect(res.body.data.attributes.expiry).toBe('2022-11-16T14:52:48.000Z');
      const years = await g.policy(a.account, { duration: 189341712 });
      expect((await post(licenseDoc(years.id)).expect(201)).body.data.attributes.expiry).toBe(
        '2028-10-16T14:52:48.000Z',
      );
      // an explicit null still takes the duration, like Keygen's `expiry.nil?` check
      expect(
        (await post(licenseDoc(p.id, { expiry: null })).expect(201)).body.data.attributes.expiry,
      ).toBe('2022-11-16T14:52:48.000Z');
    });

    it('keeps an explicit expiry and leaves other expiration bases unset', async () => {
      const p = await g.policy(a.account, { duration: 86400, expirationBasis: 'FROM_CREATION' });
      const explicit = await post(licenseDoc(p.id, { expiry: '2022-01-03T14:18:02.743Z' })).expect(
        201,
      );
      expect(explicit.body.data.attributes).toMatchObject({
        expiry: '2022-01-03T14:18:02.743Z',
        status: 'EXPIRED',
      });
      for (const basis of ['FROM_FIRST_VALIDATION', 'FROM_FIRST_ACTIVATION', 'FROM_FIRST_USE']) {
        const later = await g.policy(a.account, { duration: 86400, expirationBasis: basis });
        expect(
          (await post(licenseDoc(later.id)).expect(201)).body.data.attributes.expiry,
        ).toBeNull();
      }
    });

    it('inherits the owner group when none is given', async () => {
      const member = await g.user(a.account);
      const grp = await g.group(a.account, { maxMachines: 1, members: [member.user] });
      const res = await post(
        licenseDoc(policy.id, {}, { relationships: owner(member.user.id) }),
      ).expect(201);
      expect(res.body.data.relationships.group.data).toEqual({ type: 'groups', id: grp.id });
      const explicit = await g.group(a.account);
      const given2 = await post(
        licenseDoc(
          policy.id,
          {},
          {
            relationships: {
              ...owner(member.user.id),
              group: { data: { type: 'groups', id: explicit.id } },
            },
          },
        ),
      ).expect(201);
      expect(given2.body.data.relationships.group.data.id).toBe(explicit.id);
    });

    it("uses the account's default license permissions", async () => {
      const b = await g.account();
      const value = ['license.read', 'license.validate', 'machine.create', 'machine.read'];
      await t.http
        .post(`${b.base}/settings`)
        .set(b.auth)
        .send({
          data: { type: 'settings', attributes: { key: 'default_license_permissions', value } },
        })
        .expect(201);
      const p = await g.policy(b.account);
      const res = await post(licenseDoc(p.id), b.auth, b.base).expect(201);
      expect(res.body.data.attributes.permissions).toEqual(value);
    });

    it('renders permissions intersected with the owner', async () => {
      const u = await g.user(a.account, { permissions: ['license.read', 'machine.read'] });
      const res = await post(
        licenseDoc(
          policy.id,
          { permissions: ['license.read', 'license.validate'] },
          {
            relationships: owner(u.user.id),
          },
        ),
      ).expect(201);
      expect(res.body.data.attributes.permissions).toEqual(['license.read']);
    });
  });

  describe('keys', () => {
    it('stores a client key verbatim; the same key in another account is fine', async () => {
      const res = await post(licenseDoc(policy.id, { key: '{{id}}-literal' })).expect(201);
      expect(res.body.data.attributes.key).toBe('{{id}}-literal');
      const b = await g.account();
      const p = await g.policy(b.account);
      await post(licenseDoc(p.id, { key: '{{id}}-literal' }), b.auth, b.base).expect(201);
    });

    it('rejects a taken, reserved, conflicting or short key (422)', async () => {
      const existing = await g.license(a.account, { policy });
      expect(
        (await post(licenseDoc(policy.id, { key: existing.key })).expect(422)).body.errors,
      ).toEqual([licenseError('attributes/key', 'KEY_TAKEN', 'has already been taken')]);
      expect(
        (await post(licenseDoc(policy.id, { key: 'actions' })).expect(422)).body.errors,
      ).toEqual([licenseError('attributes/key', 'KEY_NOT_ALLOWED', 'is reserved')]);
      expect(
        (await post(licenseDoc(policy.id, { key: existing.license.id })).expect(422)).body.errors,
      ).toEqual([
        licenseError(
          'attributes/key',
          'KEY_CONFLICT',
          "must not conflict with another license's identifier (UUID)",
        ),
      ]);
      expect((await post(licenseDoc(policy.id, { key: 'abc' })).expect(422)).body.errors).toEqual([
        licenseError('attributes/key', 'KEY_TOO_SHORT', 'is too short (minimum is 6 characters)'),
      ]);
      expect(
        (await post(licenseDoc(policy.id, { key: 'x'.repeat(16385) })).expect(422)).body.errors,
      ).toEqual([
        licenseError('attributes/key', 'KEY_TOO_LONG', 'is too long (maximum is 16384 characters)'),
      ]);
      expect((await post(licenseDoc(policy.id, { key: '' })).expect(400)).body.errors).toEqual([
        badRequest('cannot be blank', '/data/attributes/key'),
      ]);
    });

    it('pops a pool key for a pooled policy, and skips the pool for a client key', async () => {
      const pooled = await g.policy(a.account, { usePool: true });
      await addPoolKey(pooled, 'POOL-KEY-AAAAAA');
      const res = await post(licenseDoc(pooled.id)).expect(201);
      expect(res.body.data.attributes.key).toBe('POOL-KEY-AAAAAA');
      expect(await t.ds.getRepository(Key).countBy({ policyId: pooled.id })).toBe(0);
      const own = await post(licenseDoc(pooled.id, { key: 'CLIENT-KEY-1' })).expect(201);
      expect(own.body.data.attributes.key).toBe('CLIENT-KEY-1');
      expect(t.events.named('policy.pool.popped', a.id)).toHaveLength(0);
    });

    it('answers POLICY_POOL_EMPTY for an empty pool and creates nothing', async () => {
      const b = await g.account();
      const pooled = await g.policy(b.account, { usePool: true });
      const res = await post(licenseDoc(pooled.id), b.auth, b.base).expect(422);
      expect(res.body.errors).toEqual([
        licenseError('relationships/policy', 'POLICY_POOL_EMPTY', 'pool is empty'),
      ]);
      expect(await count(b.id)).toBe(0);
    });

    it('shows a legacy encrypted key once and stores only its hash', async () => {
      const legacy = await g.policy(a.account, { encrypted: true, scheme: 'LEGACY_ENCRYPT' });
      const res = await post(licenseDoc(legacy.id)).expect(201);
      const key = res.body.data.attributes.key as string;
      expect(key).toMatch(LEGACY_KEY);
      expect(key.slice(0, 32)).toBe((res.body.data.id as string).replace(/-/g, ''));
      expect(res.body.data.attributes).toMatchObject({ encrypted: true, scheme: 'LEGACY_ENCRYPT' });
      const row = await stored(res.body.data.id);
      expect(row.key).toBeNull();
      expect(row.keyDigest).toMatch(/^\$2[aby]\$/);
      const shown = await t.http.get(`${a.base}/licenses/${row.id}`).set(a.auth).expect(200);
      expect(shown.body.data.attributes).not.toHaveProperty('key');
      const event = t.events.named('license.created', a.id).find((e) => e.resource.id === row.id);
      expect((event?.resource.record as { rawKey?: string }).rawKey).toBeUndefined();
    });

    it('rejects a client key for a legacy encrypted policy', async () => {
      const legacy = await g.policy(a.account, { encrypted: true, scheme: 'LEGACY_ENCRYPT' });
      expect(
        (await post(licenseDoc(legacy.id, { key: 'abcdefgh' })).expect(422)).body.errors,
      ).toEqual([
        licenseError(
          'attributes/key',
          'KEY_NOT_SUPPORTED',
          'cannot be specified for a legacy encrypted license',
        ),
      ]);
    });

    it.each([
      'ED25519_SIGN',
      'ECDSA_P256_SIGN',
      'RSA_2048_PKCS1_SIGN_V2',
      'RSA_2048_PKCS1_PSS_SIGN_V2',
    ])('signs %s keys as key/<dataset>.<signature>', async (scheme) => {
      const p = await g.policy(a.account, { scheme });
      const u = await g.user(a.account);
      const res = await post(licenseDoc(p.id, {}, { relationships: owner(u.user.id) })).expect(201);
      const key = res.body.data.attributes.key as string;
      expect(key).toMatch(/^key\/[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+$/);
      const seed = JSON.parse(
        Buffer.from(key.slice(4, key.indexOf('.')), 'base64url').toString(),
      ) as Record<string, unknown>;
      expect(seed).toEqual({
        account: { id: a.id },
        product: { id: p.productId },
        policy: { id: p.id, duration: null },
        user: { id: u.user.id, email: u.user.email },
        license: {
          id: res.body.data.id,
          created: res.body.data.attributes.created,
          expiry: null,
        },
      });
      expect(res.body.data.attributes.scheme).toBe(scheme);
    });

    it('verifies an ED25519_SIGN key with the account public key', async () => {
      const p = await g.policy(a.account, { scheme: 'ED25519_SIGN' });
      const res = await post(licenseDoc(p.id, { key: 'id={{id}}' })).expect(201);
      const key = res.body.data.attributes.key as string;
      const [signing, sig] = key.split('.');
      expect(Buffer.from(signing.slice(4), 'base64url').toString()).toBe(`id=${res.body.data.id}`);
      const account = await t.http.get(a.base).set(a.auth).expect(200);
      const hex = Buffer.from(account.body.data.meta.keys.ed25519 as string, 'base64').toString();
      const der = Buffer.concat([
        Buffer.from('302a300506032b6570032100', 'hex'),
        Buffer.from(hex, 'hex'),
      ]);
      const pub = createPublicKey({ key: der, format: 'der', type: 'spki' });
      expect(verify(null, Buffer.from(signing), pub, Buffer.from(sig, 'base64url'))).toBe(true);
    });

    it.each(['RSA_2048_PKCS1_SIGN', 'RSA_2048_PKCS1_PSS_SIGN'])(
      'signs %s keys as <dataset>.<signature>',
      async (scheme) => {
        const p = await g.policy(a.account, { scheme });
        const res = await post(licenseDoc(p.id, { key: 'user={{email}}' })).expect(201);
        const [seed, sig] = (res.body.data.attributes.key as string).split('.');
        expect(Buffer.from(seed, 'base64url').toString()).toBe('user=');
        expect(sig.length).toBeGreaterThan(300);
      },
    );

    it('encrypts RSA_2048_PKCS1_ENCRYPT keys and rejects seeds over 245 bytes', async () => {
      const p = await g.policy(a.account, { scheme: 'RSA_2048_PKCS1_ENCRYPT' });
      const res = await post(licenseDoc(p.id)).expect(201);
      expect(res.body.data.attributes.key).toMatch(/^[A-Za-z0-9_=-]{344}$/);
      const big = await post(licenseDoc(p.id, { key: 'x'.repeat(246) })).expect(422);
      expect(big.body.errors).toEqual([
        licenseError(
          'attributes/key',
          'KEY_BYTE_SIZE_EXCEEDED',
          'key exceeds maximum byte length (max size of 245 bytes)',
        ),
      ]);
    });

    it('signs RSA_2048_JWT_RS256 keys and rejects invalid claims', async () => {
      const p = await g.policy(a.account, { scheme: 'RSA_2048_JWT_RS256' });
      const res = await post(licenseDoc(p.id)).expect(201);
      const [header, payload] = (res.body.data.attributes.key as string).split('.');
      expect(Buffer.from(header, 'base64url').toString()).toBe('{"alg":"RS256"}');
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
        iss: 'https://keygen.sh',
        aud: a.id,
        sub: res.body.data.id,
      });
      const bad = await post(licenseDoc(p.id, { key: 'not json' })).expect(422);
      expect(bad.body.errors).toEqual([
        licenseError(
          'attributes/key',
          'KEY_JWT_CLAIMS_INVALID',
          'key is not a valid JWT claims payload (must be a valid JSON encoded string)',
        ),
      ]);
      const exp = await post(licenseDoc(p.id, { key: '{"exp":"soon"}' })).expect(422);
      expect(exp.body.errors[0].detail).toBe(
        'key is not a valid JWT claims payload (exp claim must be a numeric value but it is a string)',
      );
    });

    it('accepts a one-character template for a scheme', async () => {
      const p = await g.policy(a.account, { scheme: 'ECDSA_P256_SIGN' });
      await post(licenseDoc(p.id, { key: 'a' })).expect(201);
    });

    it('answers 409 Conflict when two signed keys come out identical', async () => {
      const p = await g.policy(a.account, { scheme: 'ED25519_SIGN' });
      await post(licenseDoc(p.id, { key: 'same-template' })).expect(201);
      const res = await post(licenseDoc(p.id, { key: 'same-template' })).expect(409);
      expect(res.body.errors[0]).toMatchObject({ title: 'Conflict' });
    });
  });

  describe('400', () => {
    it('rejects invalid JSON', async () => {
      const res = await t.http
        .post(`${a.base}/licenses`)
        .set({ ...a.auth, 'Content-Type': 'application/vnd.api+json' })
        .send('{"data": {')
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({ code: 'JSON_INVALID' });
    });

    it.each([
      ['a missing policy', licenseDoc(null), 'is missing', '/data/relationships/policy'],
      [
        'an owner without data',
        licenseDoc('00000000-0000-4000-8000-000000000000', {}, { relationships: { owner: {} } }),
        'is missing',
        '/data/relationships/owner/data',
      ],
      [
        'a false owner',
        licenseDoc('00000000-0000-4000-8000-000000000000', {}, { relationships: { owner: false } }),
        'type mismatch (received boolean expected object)',
        '/data/relationships/owner',
      ],
      [
        'a non-UUID policy id',
        licenseDoc('nope'),
        'type mismatch (received string expected UUID string)',
        '/data/relationships/policy/data/id',
      ],
      [
        'a numeric name',
        licenseDoc('00000000-0000-4000-8000-000000000000', { name: 1 }),
        'type mismatch (received integer expected string)',
        '/data/attributes/name',
      ],
      [
        'a string maxMachines',
        licenseDoc('00000000-0000-4000-8000-000000000000', { maxMachines: '1' }),
        'type mismatch (received string expected integer)',
        '/data/attributes/maxMachines',
      ],
      [
        'an unknown attribute',
        licenseDoc('00000000-0000-4000-8000-000000000000', { uses: 2 }),
        'unpermitted parameter',
        '/data/attributes/uses',
      ],
      [
        'a non-UUID id',
        licenseDoc('00000000-0000-4000-8000-000000000000', {}, { id: '1' }),
        'type mismatch (received string expected UUID string)',
        '/data/id',
      ],
      [
        'too deep metadata',
        licenseDoc('00000000-0000-4000-8000-000000000000', {
          metadata: { array: [[0], [{ foo: 1 }, 2, [3]]] },
        }),
        'maximum depth of 2 exceeded',
        '/data/attributes/metadata/array/1/0',
      ],
      [
        'a wrong type',
        licenseDoc('00000000-0000-4000-8000-000000000000', {}, { type: 'users' }),
        'is invalid',
        '/data/type',
      ],
    ])('rejects %s', async (_label, body, detail, pointer) => {
      const res = await post(body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it.each([
      ['protected', { protected: true }, '/data/attributes/protected'],
      ['expiry', { expiry: null }, '/data/attributes/expiry'],
      ['suspended', { suspended: false }, '/data/attributes/suspended'],
      ['maxMachines', { maxMachines: 2 }, '/data/attributes/maxMachines'],
      ['permissions', { permissions: ['license.read'] }, '/data/attributes/permissions'],
    ])('rejects a user setting %s (unpermitted)', async (_label, attributes, pointer) => {
      const u = await g.user(a.account);
      const res = await post(
        licenseDoc(policy.id, attributes, { relationships: owner(u.user.id) }),
        u.auth,
      ).expect(400);
      expect(res.body.errors).toEqual([badRequest('unpermitted parameter', pointer)]);
    });

    it('rejects a user choosing the id or the group', async () => {
      const u = await g.user(a.account);
      const grp = await g.group(a.account);
      const withId = await post(
        licenseDoc(policy.id, {}, { id: uuidv4(), relationships: owner(u.user.id) }),
        u.auth,
      ).expect(400);
      expect(withId.body.errors).toEqual([badRequest('unpermitted parameter', '/data/id')]);
      const withGroup = await post(
        licenseDoc(
          policy.id,
          {},
          {
            relationships: { ...owner(u.user.id), group: { data: { type: 'groups', id: grp.id } } },
          },
        ),
        u.auth,
      ).expect(400);
      expect(withGroup.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/relationships/group'),
      ]);
    });

    it('rejects permissions from a sales agent (admin, developer, product, environment only)', async () => {
      const u = await g.user(a.account, { role: 'sales-agent' });
      const res = await post(
        licenseDoc(policy.id, { permissions: ['license.read'] }),
        u.auth,
      ).expect(400);
      expect(res.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/attributes/permissions'),
      ]);
    });
  });

  describe('403', () => {
    it('denies a support agent (role rule) and a read-only user (permission)', async () => {
      const support = await g.user(a.account, { role: 'support-agent' });
      expect((await post(licenseDoc(policy.id), support.auth).expect(403)).body.errors).toEqual([
        denied(),
      ]);
      const readOnly = await g.user(a.account, { role: 'read-only' });
      expect((await post(licenseDoc(policy.id), readOnly.auth).expect(403)).body.errors).toEqual([
        denied(lacks('read only')),
      ]);
    });

    it("denies a product another product's policy, or an unknown policy", async () => {
      const p = await g.product(a.account);
      expect((await post(licenseDoc(policy.id), p.auth).expect(403)).body.errors).toEqual([
        denied(),
      ]);
      await post(licenseDoc(uuidv4()), p.auth).expect(403);
    });

    it('denies a user without owner, for another user, or on a protected policy', async () => {
      const u = await g.user(a.account);
      const other = await g.user(a.account);
      await post(licenseDoc(policy.id), u.auth).expect(403);
      await post(licenseDoc(policy.id, {}, { relationships: owner(other.user.id) }), u.auth).expect(
        403,
      );
      const locked = await g.policy(a.account, { protected: true });
      await post(licenseDoc(locked.id, {}, { relationships: owner(u.user.id) }), u.auth).expect(
        403,
      );
      expect(await count(a.id)).toBeGreaterThan(0);
    });

    it('denies a user whose token lacks license.create', async () => {
      const u = await g.user(a.account, { permissions: ['license.read'] });
      const res = await post(
        licenseDoc(policy.id, {}, { relationships: owner(u.user.id) }),
        u.auth,
      ).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('user'))]);
    });

    it('denies a license', async () => {
      const l = await g.license(a.account, { policy });
      await post(licenseDoc(policy.id), l.auth).expect(403);
    });

    it('denies a global license for a policy of an environment', async () => {
      const e = await g.environment(a.account);
      const p = await g.policy(a.account, { environment: e.environment });
      expect((await post(licenseDoc(p.id)).expect(403)).body.errors).toEqual([denied(RECORD_ENV)]);
    });

    it('answers 401 without credentials', async () => {
      await t.http.post(`${a.base}/licenses`).send(licenseDoc(policy.id)).expect(401);
    });
  });

  describe('422', () => {
    it('rejects an unknown policy (also for a user, who may try)', async () => {
      const res = await post(licenseDoc(uuidv4())).expect(422);
      expect(res.body.errors).toEqual([
        licenseError('relationships/policy', 'POLICY_NOT_FOUND', 'must exist'),
        licenseError('relationships/product', 'PRODUCT_NOT_FOUND', 'must exist'),
      ]);
      const u = await g.user(a.account);
      const mine = await post(
        licenseDoc(uuidv4(), {}, { relationships: owner(u.user.id) }),
        u.auth,
      ).expect(422);
      expect(mine.body.errors[0].code).toBe('POLICY_NOT_FOUND');
    });

    it("rejects another account's policy, user and group", async () => {
      const b = await g.account();
      const foreign = await g.policy(b.account);
      expect((await post(licenseDoc(foreign.id)).expect(422)).body.errors).toEqual([
        licenseError('relationships/policy', 'POLICY_NOT_FOUND', 'must exist'),
      ]);
      const stranger = await g.user(b.account);
      expect(
        (
          await post(licenseDoc(policy.id, {}, { relationships: owner(stranger.user.id) })).expect(
            422,
          )
        ).body.errors,
      ).toEqual([licenseError('relationships/owner', 'OWNER_NOT_FOUND', 'must exist')]);
      const grp = await g.group(b.account);
      expect(
        (
          await post(
            licenseDoc(
              policy.id,
              {},
              {
                relationships: { group: { data: { type: 'groups', id: grp.id } } },
              },
            ),
          ).expect(422)
        ).body.errors,
      ).toEqual([licenseError('relationships/group', 'GROUP_NOT_FOUND', 'must exist')]);
    });

    it('rejects a conflicting client id', async () => {
      const existing = await g.license(a.account, { policy });
      const res = await post(licenseDoc(policy.id, {}, { id: existing.license.id })).expect(422);
      expect(res.body.errors).toEqual([
        licenseError('id', 'ID_CONFLICT', 'must not conflict with another license'),
      ]);
    });

    it('enforces the group license limit, for an explicit and an inherited group', async () => {
      const grp = await g.group(a.account, { maxLicenses: 1 });
      await g.license(a.account, { policy, groupId: grp.id });
      const explicit = await post(
        licenseDoc(
          policy.id,
          { name: 'Group License' },
          {
            relationships: { group: { data: { type: 'groups', id: grp.id } } },
          },
        ),
      ).expect(422);
      const limit = licenseError(
        'relationships/group',
        'GROUP_LICENSE_LIMIT_EXCEEDED',
        'license count has exceeded maximum allowed by current group (1)',
      );
      expect(explicit.body.errors).toEqual([limit]);
      const member = await g.user(a.account);
      await t.ds.query('UPDATE users SET group_id = $1 WHERE id = $2', [grp.id, member.user.id]);
      const inherited = await post(
        licenseDoc(policy.id, {}, { relationships: owner(member.user.id) }),
      ).expect(422);
      expect(inherited.body.errors).toEqual([limit]);
    });

    it('serialises concurrent creates on the group limit', async () => {
      const grp = await g.group(a.account, { maxLicenses: 2 });
      const doc = licenseDoc(
        policy.id,
        {},
        {
          relationships: { group: { data: { type: 'groups', id: grp.id } } },
        },
      );
      const results = await Promise.all([1, 2, 3, 4].map(() => post(doc)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    });

    it('checks limit overrides against the policy', async () => {
      const floating = await g.policy(a.account, { floating: true });
      expect(
        (await post(licenseDoc(floating.id, { maxMachines: 0 })).expect(422)).body.errors,
      ).toEqual([
        licenseError(
          'attributes/maxMachines',
          'MAX_MACHINES_INVALID',
          'must be greater than or equal to 1 for floating policy',
        ),
      ]);
      expect(
        (await post(licenseDoc(policy.id, { maxMachines: 2 })).expect(422)).body.errors,
      ).toEqual([
        licenseError(
          'attributes/maxMachines',
          'MAX_MACHINES_INVALID',
          'must be equal to 1 for non-floating policy',
        ),
      ]);
      expect(
        (await post(licenseDoc(floating.id, { maxMachines: 2147483648 })).expect(422)).body.errors,
      ).toEqual([
        licenseError(
          'attributes/maxMachines',
          'MAX_MACHINES_INVALID',
          'must be less than or equal to 2147483647',
        ),
      ]);
      const res = await post(
        licenseDoc(floating.id, {
          maxCores: 0,
          maxMemory: 0,
          maxDisk: -1,
          maxUses: -1,
          maxProcesses: -1,
          maxUsers: -1,
        }),
      ).expect(422);
      expect(res.body.errors).toEqual([
        licenseError(
          'attributes/maxCores',
          'MAX_CORES_INVALID',
          'must be greater than or equal to 1',
        ),
        licenseError(
          'attributes/maxMemory',
          'MAX_MEMORY_INVALID',
          'must be greater than or equal to 1',
        ),
        licenseError(
          'attributes/maxDisk',
          'MAX_DISK_INVALID',
          'must be greater than or equal to 1',
        ),
        licenseError(
          'attributes/maxUses',
          'MAX_USES_INVALID',
          'must be greater than or equal to 0',
        ),
        licenseError(
          'attributes/maxProcesses',
          'MAX_PROCESSES_INVALID',
          'must be greater than or equal to 0',
        ),
        licenseError(
          'attributes/maxUsers',
          'MAX_USERS_INVALID',
          'must be greater than or equal to 0',
        ),
      ]);
    });

    it('rejects an oversized name and metadata', async () => {
      const res = await post(
        licenseDoc(policy.id, {
          name: 'n'.repeat(1025),
          metadata: { big: 'x'.repeat(17000) },
        }),
      ).expect(422);
      expect(res.body.errors).toEqual([
        licenseError(
          'attributes/metadata',
          'METADATA_TOO_LONG',
          'too large (exceeded limit of 16384 bytes)',
        ),
        licenseError(
          'attributes/name',
          'NAME_TOO_LONG',
          'is too long (maximum is 1024 characters)',
        ),
      ]);
      const keys = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
      expect(
        (await post(licenseDoc(policy.id, { metadata: keys })).expect(422)).body.errors,
      ).toEqual([
        licenseError(
          'attributes/metadata',
          'METADATA_TOO_LONG',
          'too many keys (exceeded limit of 64 keys)',
        ),
      ]);
    });

    it('rejects unknown and role-disallowed permissions', async () => {
      const p = await g.product(a.account);
      const own = await g.policy(a.account, { product: p.product });
      for (const permissions of [
        ['product.create'],
        ['foo.bar'],
        ['license.read', 'license.read'],
      ]) {
        const res = await post(licenseDoc(own.id, { permissions }), p.auth).expect(422);
        expect(res.body.errors).toEqual([
          licenseError(
            'attributes/permissions',
            'PERMISSIONS_NOT_ALLOWED',
            'unsupported permissions',
          ),
        ]);
      }
    });

    it('rejects a policy whose environment the license does not suit', async () => {
      const e = await g.environment(a.account);
      const res = await post(
        licenseDoc(
          policy.id,
          {},
          {
            relationships: {
              environment: { data: { type: 'environments', id: e.environment.id } },
            },
          },
        ),
        e.auth,
      ).expect(422);
      expect(res.body.errors[0]).toEqual(
        licenseError(
          'relationships/environment',
          'ENVIRONMENT_NOT_ALLOWED',
          'must be compatible with policy environment',
        ),
      );
    });
  });
});
