import { Key } from '@app/modules/keys/key.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { badRequest, denied, lacks, RECORD_ENV } from '../products/support';
import { expectSigned } from '../users/support';
import { keyDoc, keyError, keyResource, licenseBearer } from './support';

const KEY = 'rNxgJ2niG2eQkiJLWwmvHDimWVpm4L';

describe('POST /v1/accounts/:account/keys', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const post = (body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .post(`${a.base}/keys`)
      .set(auth)
      .send(body as object);
  const pooled = (opts: Parameters<typeof g.policy>[1] = {}) =>
    g.policy(a.account, { usePool: true, ...opts });
  const unique = () => `key-${Math.random().toString(36).slice(2)}-${Date.now()}`;

  describe('201', () => {
    it('creates a key for a pooled policy, with Location, signature and key.created', async () => {
      const acct = await g.account();
      const policy = await g.policy(acct.account, { usePool: true });
      const before = t.events.named('key.created', acct.id).length;
      const res = await t.http
        .post(`${acct.base}/keys`)
        .set(acct.auth)
        .send(keyDoc(KEY, policy.id, { type: 'key' }))
        .expect(201);
      expectSigned(res);
      const row = await t.ds.getRepository(Key).findOneByOrFail({ id: res.body.data.id });
      expect(row).toMatchObject({ accountId: acct.id, environmentId: null, policyId: policy.id });
      expect(res.body).toEqual({ data: keyResource(row, policy.productId) });
      expect(res.headers.location).toBe(`https://api.keyward.test${acct.base}/keys/${row.id}`);
      const events = t.events.named('key.created', acct.id);
      expect(events).toHaveLength(before + 1);
      expect(events[events.length - 1].resource).toMatchObject({ type: 'keys', id: row.id });
    });

    it('accepts the same key as another account’s key or license key', async () => {
      const other = await g.account();
      await g.key(other.account, { key: KEY });
      await g.license(other.account, { key: `${KEY}-lic` });
      await post(keyDoc(KEY, (await pooled()).id)).expect(201);
      await post(keyDoc(`${KEY}-lic`, (await pooled()).id)).expect(201);
    });

    it('is case-sensitive about taken keys', async () => {
      const k = `CaseKey-${unique()}`;
      await g.key(a.account, { key: k });
      await post(keyDoc(k.toLowerCase(), (await pooled()).id)).expect(201);
    });

    it('accepts 8 and 1024 characters', async () => {
      await post(keyDoc('abcdefgh', (await pooled()).id)).expect(201);
      await post(keyDoc('k'.repeat(1024), (await pooled()).id)).expect(201);
    });

    it('lets a developer and an environment create; the key lands in the current environment', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await post(keyDoc(unique(), (await pooled()).id), dev.auth).expect(201);
      const env = await g.environment(a.account);
      const policy = await pooled({ environment: env.environment });
      const res = await post(keyDoc(unique(), policy.id), env.auth).expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });

    it('creates in a shared environment for a global policy', async () => {
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await post(keyDoc(unique(), (await pooled()).id), shared.auth).expect(201);
      expect(res.body.data.relationships.environment.data.id).toBe(shared.environment.id);
    });

    it('lets a product create keys for its own policies', async () => {
      const p = await g.product(a.account);
      const policy = await pooled({ product: p.product });
      const res = await post(keyDoc(unique(), policy.id), p.auth).expect(201);
      expect(res.body.data.relationships.product.data.id).toBe(p.product.id);
    });
  });

  describe('403', () => {
    it.each([
      ['sales-agent', denied()],
      ['support-agent', denied()],
      ['read-only', denied(lacks('read only'))],
      ['user', denied(lacks('user'))],
    ] as const)('forbids a %s', async (role, error) => {
      const u = await g.user(a.account, { role });
      const res = await post(keyDoc(unique(), (await pooled()).id), u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a license', async () => {
      const policy = await pooled();
      const l = await licenseBearer(t, g, a.account, policy);
      const res = await post(keyDoc(unique(), policy.id), l.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('license'))]);
    });

    it('forbids a product naming another product’s policy or an unknown one', async () => {
      const p = await g.product(a.account);
      await post(keyDoc(unique(), (await pooled()).id), p.auth).expect(403);
      await post(keyDoc(unique(), '00000000-0000-4000-8000-000000000000'), p.auth).expect(403);
    });

    it('forbids a global key for an environment’s policy and another environment', async () => {
      const env = await g.environment(a.account);
      const policy = await pooled({ environment: env.environment });
      const res = await post(keyDoc(unique(), policy.id)).expect(403);
      expect(res.body.errors).toEqual([denied(RECORD_ENV)]);
      const other = await g.environment(a.account);
      await post(
        keyDoc(unique(), policy.id, {
          relationships: {
            environment: { data: { type: 'environments', id: other.environment.id } },
          },
        }),
        env.auth,
      ).expect(403);
    });

    it('rejects anonymous callers and admins of another account (401)', async () => {
      const policy = await pooled();
      await post(keyDoc(unique(), policy.id), {}).expect(401);
      const other = await g.account();
      await post(keyDoc(unique(), policy.id), other.auth).expect(401);
    });
  });

  describe('400', () => {
    it.each([
      [
        'a missing key',
        { data: { type: 'keys', attributes: {}, relationships: {} } },
        'is missing',
        '/data/attributes/key',
      ],
      [
        'missing attributes',
        { data: { type: 'keys', relationships: {} } },
        'is missing',
        '/data/attributes',
      ],
      [
        'a blank key',
        { data: { type: 'keys', attributes: { key: '' } } },
        'cannot be blank',
        '/data/attributes/key',
      ],
      [
        'a numeric key',
        { data: { type: 'keys', attributes: { key: 12345678 } } },
        'type mismatch (received integer expected string)',
        '/data/attributes/key',
      ],
      [
        'an unknown attribute',
        { data: { type: 'keys', attributes: { key: KEY, name: 'x' } } },
        'unpermitted parameter',
        '/data/attributes/name',
      ],
    ])('rejects %s', async (_, body, detail, pointer) => {
      const res = await post(body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('requires the policy relationship', async () => {
      const res = await post({ data: { type: 'keys', attributes: { key: KEY } } }).expect(400);
      expect(res.body.errors).toEqual([badRequest('is missing', '/data/relationships')]);
      const noPolicy = await post({
        data: { type: 'keys', attributes: { key: KEY }, relationships: {} },
      }).expect(400);
      expect(noPolicy.body.errors).toEqual([
        badRequest('is missing', '/data/relationships/policy'),
      ]);
    });

    it('rejects a malformed policy linkage and a wrong type', async () => {
      const res = await post(keyDoc(KEY, 'not-a-uuid')).expect(400);
      expect(res.body.errors).toEqual([
        badRequest(
          'type mismatch (received string expected UUID string)',
          '/data/relationships/policy/data/id',
        ),
      ]);
      await post(keyDoc(KEY, null)).expect(400);
      const type = await post(keyDoc(KEY, (await pooled()).id, { type: 'licenses' })).expect(400);
      expect(type.body.errors[0].source).toEqual({ pointer: '/data/type' });
    });

    it('rejects an unknown relationship', async () => {
      const res = await post(
        keyDoc(KEY, (await pooled()).id, {
          relationships: { product: { data: { type: 'products', id: a.id } } },
        }),
      ).expect(400);
      expect(res.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/relationships/product'),
      ]);
    });

    it('validates params before authorizing', async () => {
      const u = await g.user(a.account, { role: 'read-only' });
      await post({ data: { type: 'keys' } }, u.auth).expect(400);
    });
  });

  describe('422', () => {
    it.each([
      [
        '1234567',
        keyError('attributes/key', 'KEY_TOO_SHORT', 'is too short (minimum is 8 characters)'),
      ],
      [
        'k'.repeat(1025),
        keyError('attributes/key', 'KEY_TOO_LONG', 'is too long (maximum is 1024 characters)'),
      ],
    ])('rejects length %#', async (key, error) => {
      const res = await post(keyDoc(key, (await pooled()).id)).expect(422);
      expect(res.body.errors).toEqual([error]);
      expect(res.body.meta.id).toEqual(expect.any(String));
    });

    it('rejects reserved keys', async () => {
      const res = await post(keyDoc('actions', (await pooled()).id)).expect(422);
      expect(res.body.errors).toEqual([
        keyError('attributes/key', 'KEY_NOT_ALLOWED', 'is reserved'),
        keyError('attributes/key', 'KEY_TOO_SHORT', 'is too short (minimum is 8 characters)'),
      ]);
    });

    it('rejects a key already taken in the account, in any environment', async () => {
      const env = await g.environment(a.account);
      const k = await g.key(a.account, { environment: env.environment, key: unique() });
      const res = await post(keyDoc(k.key, (await pooled()).id)).expect(422);
      expect(res.body.errors).toEqual([
        keyError('attributes/key', 'KEY_TAKEN', 'has already been taken'),
      ]);
    });

    it('rejects a key equal to a license id of the account (any UUID spelling)', async () => {
      const l = await g.license(a.account);
      for (const key of [l.license.id, l.license.id.toUpperCase()]) {
        const res = await post(keyDoc(key, (await pooled()).id)).expect(422);
        expect(res.body.errors).toEqual([
          keyError(
            'attributes/key',
            'KEY_CONFLICT',
            "must not conflict with another license's identifier (UUID)",
          ),
        ]);
      }
    });

    it('rejects a key already used as a license key of the account', async () => {
      const l = await g.license(a.account, { key: `license-${unique()}` });
      const res = await post(keyDoc(l.key, (await pooled()).id)).expect(422);
      expect(res.body.errors).toEqual([
        keyError('attributes/key', 'KEY_CONFLICT', "is already being used as a license's key"),
      ]);
    });

    it('rejects an unknown policy and another account’s policy', async () => {
      const other = await g.account();
      for (const id of [
        '00000000-0000-4000-8000-000000000000',
        (await g.policy(other.account, { usePool: true })).id,
      ]) {
        const res = await post(keyDoc(unique(), id)).expect(422);
        expect(res.body.errors).toEqual([
          keyError('relationships/policy', 'POLICY_NOT_FOUND', 'must exist'),
        ]);
      }
    });

    it('rejects an unpooled policy and emits nothing', async () => {
      const before = t.events.named('key.created', a.id).length;
      const res = await post(keyDoc(unique(), (await g.policy(a.account)).id)).expect(422);
      expect(res.body.errors).toEqual([
        keyError(
          'relationships/policy',
          'POLICY_NOT_SUPPORTED',
          'cannot be added to an unpooled policy',
        ),
      ]);
      expect(t.events.named('key.created', a.id)).toHaveLength(before);
    });

    it('rejects a key in an isolated environment for a global policy', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const res = await post(keyDoc(unique(), (await pooled()).id), env.auth).expect(422);
      expect(res.body.errors).toEqual([
        keyError(
          'relationships/environment',
          'ENVIRONMENT_NOT_ALLOWED',
          'must be compatible with policy environment',
        ),
      ]);
    });

    it('reports policy, key and conflict errors together, grouped by pointer', async () => {
      const l = await g.license(a.account, { key: 'action' });
      const res = await post(keyDoc(l.key, (await g.policy(a.account)).id)).expect(422);
      expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual([
        'KEY_NOT_ALLOWED',
        'KEY_TOO_SHORT',
        'KEY_CONFLICT',
        'POLICY_NOT_SUPPORTED',
      ]);
    });
  });
});
