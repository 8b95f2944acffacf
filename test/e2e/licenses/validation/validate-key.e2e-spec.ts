import { hashLegacyKey, generateLegacyEncryptedKey } from '@libs/licensing';
import { uuidv4 } from '@app/common/ids';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import { expectSigned } from '../../users/support';
import {
  DENIED,
  badRequest,
  expectVerdict,
  flushTouches,
  quickValidate,
  reload,
  validateKey,
} from './support';

describe('POST /v1/accounts/:account/licenses/actions/validate-key', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  const succeeded = (accountId: string) =>
    t.events.named('license.validation.succeeded', accountId);
  const failed = (accountId: string) => t.events.named('license.validation.failed', accountId);

  describe('200', () => {
    it('validates a key anonymously: the license, then meta ts/valid/detail/code', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const res = await validateKey(t, a.base, { key: l.key }).expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({ id: l.license.id, type: 'licenses' });
      expect(Object.keys(res.body.meta)).toEqual(['ts', 'valid', 'detail', 'code']);
      expect(res.body.meta).toMatchObject({ valid: true, detail: 'is valid', code: 'VALID' });
      const ts = Date.parse(res.body.meta.ts as string);
      expect(Math.abs(ts - t.clock.now().getTime())).toBeLessThan(5000);
      expect(res.body.meta.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('shows the new lastValidated at once and persists it after the batch flush', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      t.clock.advance(1000);
      const res = await validateKey(t, a.base, { key: l.key }).expect(200);
      expect(res.body.data.attributes.lastValidated).toBe(res.body.meta.ts);
      await flushTouches(t);
      const row = await reload(t, l.license.id);
      expect(row.lastValidatedAt?.toISOString()).toBe(res.body.meta.ts);
    });

    it('skips the touch while another transaction holds the license row', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const qr = t.ds.createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      try {
        await qr.query('SELECT id FROM licenses WHERE id = $1 FOR UPDATE', [l.license.id]);
        const res = await validateKey(t, a.base, { key: l.key });
        expect(res.body.data.attributes.lastValidated).toBe(res.body.meta.ts);
        await flushTouches(t);
        expect((await reload(t, l.license.id)).lastValidatedAt).toBeNull();
      } finally {
        await qr.rollbackTransaction();
        await qr.release();
      }
    });

    it('touches lastValidated on a failed validation too', async () => {
      const a = await g.account();
      const l = await g.license(a.account, { suspended: true });
      const res = await validateKey(t, a.base, { key: l.key });
      expectVerdict(res, false, 'SUSPENDED', 'is suspended');
      expect(res.body.data.attributes.lastValidated).toBe(res.body.meta.ts);
      await flushTouches(t);
      expect((await reload(t, l.license.id)).lastValidatedAt).not.toBeNull();
    });

    it('answers an unknown key with data null and NOT_FOUND, and emits nothing', async () => {
      const a = await g.account();
      const res = await validateKey(t, a.base, { key: 'no-such-key', nonce: 7, scope: {} }).expect(
        200,
      );
      expectSigned(res);
      expect(res.body.data).toBeNull();
      expect(res.body.meta).toEqual({
        ts: expect.any(String),
        valid: false,
        detail: 'does not exist',
        code: 'NOT_FOUND',
        nonce: 7,
        scope: {},
      });
      expect(succeeded(a.id)).toHaveLength(0);
      expect(failed(a.id)).toHaveLength(0);
    });

    it('looks keys up exactly (case-sensitive)', async () => {
      const a = await g.account();
      const l = await g.license(a.account, { key: 'Case-Sensitive-Key' });
      expectVerdict(
        await validateKey(t, a.base, { key: 'case-sensitive-key' }),
        false,
        'NOT_FOUND',
      );
      expectVerdict(await validateKey(t, a.base, { key: l.key }), true, 'VALID');
    });

    it("does not find another account's key", async () => {
      const a = await g.account();
      const b = await g.account();
      const l = await g.license(b.account);
      const res = await validateKey(t, a.base, { key: l.key });
      expectVerdict(res, false, 'NOT_FOUND', 'does not exist');
      expect(res.body.data).toBeNull();
    });

    it('echoes nonce and scope as sent, after the code', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const scope = { product: l.license.productId, policy: l.license.policyId };
      const res = await validateKey(t, a.base, { key: l.key, nonce: 9048238457, scope });
      expectVerdict(res, true, 'VALID');
      expect(Object.keys(res.body.meta)).toEqual([
        'ts',
        'valid',
        'detail',
        'code',
        'nonce',
        'scope',
      ]);
      expect(res.body.meta.nonce).toBe(9048238457);
      expect(res.body.meta.scope).toEqual(scope);
    });

    it('echoes an empty scope and a nonce of 0', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const res = await validateKey(t, a.base, { key: l.key, nonce: 0, scope: {} });
      expect(res.body.meta).toMatchObject({ code: 'VALID', nonce: 0, scope: {} });
    });

    it('echoes the entitlements scope when it is empty', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const res = await validateKey(t, a.base, { key: l.key, scope: { entitlements: [] } });
      expect(res.body.meta).toMatchObject({
        valid: false,
        detail: 'entitlements scope is empty',
        code: 'ENTITLEMENTS_SCOPE_EMPTY',
        scope: { entitlements: [] },
      });
    });

    it('treats a null non-nullable scope member as absent', async () => {
      const a = await g.account();
      const pol = await g.policy(a.account, { requireChecksumScope: true });
      const l = await g.license(a.account, { policy: pol });
      expectVerdict(
        await validateKey(t, a.base, { key: l.key, scope: { checksum: null } }),
        false,
        'CHECKSUM_SCOPE_REQUIRED',
        'checksum scope is required',
      );
    });

    it('keeps a null user scope (matches a license without an owner)', async () => {
      const a = await g.account();
      const owner = await g.user(a.account);
      const pol = await g.policy(a.account, { requireUserScope: true });
      const free = await g.license(a.account, { policy: pol });
      const owned = await g.license(a.account, { policy: pol, owner: owner.user });
      expectVerdict(
        await validateKey(t, a.base, { key: free.key, scope: { user: null } }),
        true,
        'VALID',
      );
      expectVerdict(
        await validateKey(t, a.base, { key: owned.key, scope: { user: null } }),
        false,
        'USER_SCOPE_MISMATCH',
        'user scope does not match',
      );
      expectVerdict(
        await validateKey(t, a.base, { key: owned.key, scope: { user: owner.user.email } }),
        true,
        'VALID',
      );
    });

    it('answers checksum and version scopes with no releases as mismatches', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      expectVerdict(
        await validateKey(t, a.base, { key: l.key, scope: { checksum: 'abc' } }),
        false,
        'CHECKSUM_SCOPE_MISMATCH',
        'checksum scope is not valid (does not match any accessible artifacts)',
      );
      expectVerdict(
        await validateKey(t, a.base, { key: l.key, scope: { version: '1.0.0' } }),
        false,
        'VERSION_SCOPE_MISMATCH',
        'version scope is not valid (does not match any accessible releases)',
      );
      const pol = await g.policy(a.account, { requireVersionScope: true });
      const v = await g.license(a.account, { policy: pol });
      expectVerdict(await validateKey(t, a.base, { key: v.key }), false, 'VERSION_SCOPE_REQUIRED');
    });
  });

  describe('events', () => {
    it('emits license.validation.succeeded with the license and meta', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const res = await validateKey(t, a.base, { key: l.key, nonce: 42 });
      const events = succeeded(a.id);
      expect(events).toHaveLength(1);
      expect(events[0].resource).toMatchObject({ type: 'licenses', id: l.license.id });
      expect(events[0].meta).toEqual(res.body.meta);
      expect(failed(a.id)).toHaveLength(0);
    });

    it('emits license.validation.failed for an invalid license', async () => {
      const a = await g.account();
      const l = await g.license(a.account, { suspended: true });
      await validateKey(t, a.base, { key: l.key }).expect(200);
      expect(failed(a.id)).toHaveLength(1);
      expect(failed(a.id)[0].meta).toMatchObject({ valid: false, code: 'SUSPENDED' });
      expect(succeeded(a.id)).toHaveLength(0);
    });
  });

  describe('FROM_FIRST_VALIDATION', () => {
    it('sets the expiry once, on the first validation', async () => {
      const a = await g.account();
      const pol = await g.policy(a.account, {
        expirationBasis: 'FROM_FIRST_VALIDATION',
        duration: 31556952,
      });
      const l = await g.license(a.account, { policy: pol });
      t.clock.freeze(new Date('2031-07-19T00:00:00.000Z'));
      try {
        const first = await validateKey(t, a.base, { key: l.key });
        expectVerdict(first, true, 'VALID');
        expect((await reload(t, l.license.id)).expiry?.toISOString()).toBe(
          '2032-07-19T00:00:00.000Z',
        );
        t.clock.advance(86400_000);
        await validateKey(t, a.base, { key: l.key }).expect(200);
        expect((await reload(t, l.license.id)).expiry?.toISOString()).toBe(
          '2032-07-19T00:00:00.000Z',
        );
      } finally {
        t.clock.reset();
      }
    });

    it('leaves an existing expiry and other bases alone, and ignores quick validation', async () => {
      const a = await g.account();
      const pol = await g.policy(a.account, {
        expirationBasis: 'FROM_FIRST_VALIDATION',
        duration: 86400,
      });
      const expiry = new Date(t.clock.now().getTime() + 7 * 86400_000);
      const set = await g.license(a.account, { policy: pol, expiry });
      await validateKey(t, a.base, { key: set.key }).expect(200);
      expect((await reload(t, set.license.id)).expiry?.getTime()).toBe(expiry.getTime());

      const quick = await g.license(a.account, { policy: pol });
      await quickValidate(t, a.base, quick.license.id, a.auth).expect(200);
      expect((await reload(t, quick.license.id)).expiry).toBeNull();

      const other = await g.policy(a.account, {
        expirationBasis: 'FROM_FIRST_ACTIVATION',
        duration: 86400,
      });
      const l = await g.license(a.account, { policy: other });
      await validateKey(t, a.base, { key: l.key }).expect(200);
      expect((await reload(t, l.license.id)).expiry).toBeNull();
    });
  });

  describe('legacy encrypted keys', () => {
    async function legacy(a: Awaited<ReturnType<typeof g.account>>) {
      const pol = await g.policy(a.account, { encrypted: true, scheme: 'LEGACY_ENCRYPT' });
      const id = uuidv4();
      const raw = generateLegacyEncryptedKey(id);
      await g.license(a.account, {
        id,
        policy: pol,
        key: null,
        keyDigest: await hashLegacyKey(raw),
      });
      return { id, raw };
    }

    it('finds the license with meta.encrypted or meta.legacyEncrypted', async () => {
      const a = await g.account();
      const { id, raw } = await legacy(a);
      const res = await validateKey(t, a.base, { key: raw, encrypted: true });
      expectVerdict(res, true, 'VALID');
      expect(res.body.data.id).toBe(id);
      expect(res.body.data.attributes).not.toHaveProperty('key');
      expectVerdict(
        await validateKey(t, a.base, { key: raw, legacyEncrypted: true }),
        true,
        'VALID',
      );
    });

    it('does not find a legacy key without the flag, nor a normal key with it', async () => {
      const a = await g.account();
      const { raw } = await legacy(a);
      expectVerdict(await validateKey(t, a.base, { key: raw }), false, 'NOT_FOUND');
      const l = await g.license(a.account);
      expectVerdict(
        await validateKey(t, a.base, { key: l.key, encrypted: true }),
        false,
        'NOT_FOUND',
      );
      const forged = `${raw.slice(0, 33)}${'0'.repeat(raw.length - 33)}`;
      expectVerdict(
        await validateKey(t, a.base, { key: forged, encrypted: true }),
        false,
        'NOT_FOUND',
      );
    });
  });

  describe('environments', () => {
    it('in the global environment finds only global licenses', async () => {
      const a = await g.account();
      const env = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const isolated = await g.license(a.account, { environment: env.environment });
      expectVerdict(await validateKey(t, a.base, { key: isolated.key }), false, 'NOT_FOUND');
    });

    it('in an isolated environment finds its own licenses only', async () => {
      const a = await g.account();
      const env = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const isolated = await g.license(a.account, { environment: env.environment });
      const global = await g.license(a.account);
      const header = { 'Keygen-Environment': env.environment.code };
      expectVerdict(await validateKey(t, a.base, { key: isolated.key }, header), true, 'VALID');
      expectVerdict(await validateKey(t, a.base, { key: global.key }, header), false, 'NOT_FOUND');
    });

    it('in a shared environment also finds global licenses', async () => {
      const a = await g.account();
      const shared = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const other = await g.environment(a.account, { isolationStrategy: 'ISOLATED' });
      const global = await g.license(a.account);
      const own = await g.license(a.account, { environment: shared.environment });
      const foreign = await g.license(a.account, { environment: other.environment });
      const header = { 'Keygen-Environment': shared.environment.code };
      expectVerdict(await validateKey(t, a.base, { key: global.key }, header), true, 'VALID');
      expectVerdict(await validateKey(t, a.base, { key: own.key }, header), true, 'VALID');
      expectVerdict(await validateKey(t, a.base, { key: foreign.key }, header), false, 'NOT_FOUND');
    });

    it('matches the environment scope by code or id, null for a global license', async () => {
      const a = await g.account();
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const own = await g.license(a.account, { environment: env.environment });
      const global = await g.license(a.account);
      const header = { 'Keygen-Environment': env.environment.code };
      const check = (key: string, environment: string | null) =>
        validateKey(t, a.base, { key, scope: { environment } }, header);
      expectVerdict(await check(own.key, env.environment.code), true, 'VALID');
      expectVerdict(await check(own.key, env.environment.id), true, 'VALID');
      expectVerdict(await check(global.key, null), true, 'VALID');
      expectVerdict(
        await check(global.key, env.environment.code),
        false,
        'ENVIRONMENT_SCOPE_MISMATCH',
        'environment scope does not match',
      );
      expectVerdict(await check(own.key, null), false, 'ENVIRONMENT_SCOPE_MISMATCH');
    });
  });

  describe('authentication and authorization', () => {
    it.each(['admin', 'developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s validate any key',
      async (role) => {
        const a = await g.account();
        const l = await g.license(a.account);
        const u = role === 'admin' ? { auth: a.auth } : await g.user(a.account, { role });
        expectVerdict(await validateKey(t, a.base, { key: l.key }, u.auth), true, 'VALID');
      },
    );

    it("lets an environment validate its environment's key", async () => {
      const a = await g.account();
      const env = await g.environment(a.account);
      const l = await g.license(a.account, { environment: env.environment });
      expectVerdict(await validateKey(t, a.base, { key: l.key }, env.auth), true, 'VALID');
    });

    it('lets a product validate its own keys only (403 otherwise)', async () => {
      const a = await g.account();
      const own = await g.product(a.account);
      const pol = await g.policy(a.account, { product: own.product });
      const mine = await g.license(a.account, { policy: pol });
      const theirs = await g.license(a.account);
      expectVerdict(await validateKey(t, a.base, { key: mine.key }, own.auth), true, 'VALID');
      const res = await validateKey(t, a.base, { key: theirs.key }, own.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: DENIED }]);
      expect(succeeded(a.id)).toHaveLength(1);
    });

    it('lets an owner or licensee validate, but not another user (403)', async () => {
      const a = await g.account();
      const owner = await g.user(a.account);
      const licensee = await g.user(a.account);
      const other = await g.user(a.account);
      const l = await g.license(a.account, { owner: owner.user });
      await g.licenseUser(l.license, licensee.user);
      expectVerdict(await validateKey(t, a.base, { key: l.key }, owner.auth), true, 'VALID');
      expectVerdict(await validateKey(t, a.base, { key: l.key }, licensee.auth), true, 'VALID');
      await validateKey(t, a.base, { key: l.key }, other.auth).expect(403);
    });

    it('lets a license validate itself, not another license (403)', async () => {
      const a = await g.account();
      const pol = await g.policy(a.account, { authenticationStrategy: 'MIXED' });
      const l = await g.license(a.account, { policy: pol });
      const other = await g.license(a.account);
      expectVerdict(await validateKey(t, a.base, { key: l.key }, l.auth), true, 'VALID');
      expectVerdict(await validateKey(t, a.base, { key: l.key }, l.keyAuth), true, 'VALID');
      await validateKey(t, a.base, { key: other.key }, l.auth).expect(403);
    });

    it('answers an unknown key with NOT_FOUND whoever asks', async () => {
      const a = await g.account();
      const u = await g.user(a.account);
      expectVerdict(await validateKey(t, a.base, { key: 'nope' }, u.auth), false, 'NOT_FOUND');
    });

    it('rejects invalid or expired credentials with 401 even though they are optional', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const bad = await validateKey(t, a.base, { key: l.key }, { Authorization: 'Bearer nope' });
      expect(bad.status).toBe(401);
      expect(bad.body.errors[0]).toMatchObject({ code: 'TOKEN_INVALID' });
      const badKey = await validateKey(
        t,
        a.base,
        { key: l.key },
        { Authorization: 'License nope' },
      );
      expect(badKey.status).toBe(401);
      const u = await g.user(a.account, { tokenExpiry: new Date(t.clock.now().getTime() - 1000) });
      const expired = await validateKey(t, a.base, { key: l.key }, u.auth);
      expect(expired.status).toBe(401);
      expect(expired.body.errors[0]).toMatchObject({ code: 'TOKEN_EXPIRED' });
      expect(succeeded(a.id)).toHaveLength(0);
    });
  });

  describe('400', () => {
    const cases: Array<[string, unknown, string, string]> = [
      ['a missing meta', undefined, 'is missing', '/meta'],
      ['a missing key', {}, 'is missing', '/meta/key'],
      ['a blank key', { key: '' }, 'cannot be blank', '/meta/key'],
      [
        'a non-string key',
        { key: 1 },
        'type mismatch (received integer expected string)',
        '/meta/key',
      ],
      [
        'a string nonce',
        { key: 'k', nonce: '1' },
        'type mismatch (received string expected integer)',
        '/meta/nonce',
      ],
      [
        'a float nonce',
        { key: 'k', nonce: 1.5 },
        'type mismatch (received float expected integer)',
        '/meta/nonce',
      ],
      [
        'a non-boolean encrypted',
        { key: 'k', encrypted: 'yes' },
        'type mismatch (received string expected boolean)',
        '/meta/encrypted',
      ],
      [
        'a non-object scope',
        { key: 'k', scope: 'x' },
        'type mismatch (received string expected object)',
        '/meta/scope',
      ],
      [
        'an unknown scope member',
        { key: 'k', scope: { foo: 'x' } },
        'unpermitted parameter',
        '/meta/scope/foo',
      ],
      ['an unknown meta member', { key: 'k', bar: 1 }, 'unpermitted parameter', '/meta/bar'],
      [
        'a null fingerprint item',
        { key: 'k', scope: { fingerprints: [null, null] } },
        'cannot be null',
        '/meta/scope/fingerprints/0',
      ],
      [
        'a null component item',
        { key: 'k', scope: { fingerprint: 'f', components: ['c', null] } },
        'cannot be null',
        '/meta/scope/components/1',
      ],
      [
        'a null entitlement item',
        { key: 'k', scope: { entitlements: [null] } },
        'cannot be null',
        '/meta/scope/entitlements/0',
      ],
      [
        'a non-string entitlement',
        { key: 'k', scope: { entitlements: [1] } },
        'type mismatch (received integer expected string)',
        '/meta/scope/entitlements/0',
      ],
      [
        'fingerprints as a string',
        { key: 'k', scope: { fingerprints: 'f' } },
        'type mismatch (received string expected array)',
        '/meta/scope/fingerprints',
      ],
      [
        'a non-string fingerprint',
        { key: 'k', scope: { fingerprint: 1 } },
        'type mismatch (received integer expected string)',
        '/meta/scope/fingerprint',
      ],
      [
        'a non-string user',
        { key: 'k', scope: { user: 1 } },
        'type mismatch (received integer expected string)',
        '/meta/scope/user',
      ],
      [
        'a blank product',
        { key: 'k', scope: { product: '' } },
        'cannot be blank',
        '/meta/scope/product',
      ],
    ];

    it.each(cases)('rejects %s', async (_name, meta, detail, pointer) => {
      const a = await g.account();
      const res = await t.http
        .post(`${a.base}/licenses/actions/validate-key`)
        .set({ 'Content-Type': 'application/vnd.api+json', Accept: 'application/vnd.api+json' })
        .send(meta === undefined ? {} : { meta });
      expect(res.status).toBe(400);
      expectSigned(res);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('rejects a non-JSON:API content type', async () => {
      const a = await g.account();
      const res = await t.http
        .post(`${a.base}/licenses/actions/validate-key`)
        .set({ 'Content-Type': 'vnd.api+xml' })
        .send('<meta><key>k</key></meta>');
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ code: 'MIME_TYPE_INVALID' });
    });
  });

  describe('API versions', () => {
    it('≤1.1 renames code to constant', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      for (const version of ['1.0', '1.1']) {
        const res = await validateKey(t, a.base, { key: l.key }, { 'Keygen-Version': version });
        expect(res.status).toBe(200);
        expect(res.body.meta).toEqual({
          ts: expect.any(String),
          valid: true,
          detail: 'is valid',
          constant: 'VALID',
        });
      }
      const current = await validateKey(t, a.base, { key: l.key }, { 'Keygen-Version': '1.2' });
      expect(current.body.meta).toMatchObject({ code: 'VALID' });
      expect(current.body.meta).not.toHaveProperty('constant');
    });

    it('≤1.1 reports an overage-allowed code as invalid; 1.2+ as valid', async () => {
      const a = await g.account();
      const pol = await g.policy(a.account, {
        strict: true,
        floating: true,
        maxMachines: 1,
        overageStrategy: 'ALWAYS_ALLOW_OVERAGE',
      });
      const l = await g.license(a.account, { policy: pol });
      await g.machine(l.license);
      await g.machine(l.license);
      const v12 = await validateKey(t, a.base, { key: l.key }, { 'Keygen-Version': '1.2' });
      expect(v12.body.meta).toMatchObject({ valid: true, code: 'TOO_MANY_MACHINES' });
      const v11 = await validateKey(t, a.base, { key: l.key }, { 'Keygen-Version': '1.1' });
      expect(v11.body.meta).toMatchObject({ valid: false, constant: 'TOO_MANY_MACHINES' });
    });

    it('≤1.1 keeps EXPIRED validity from the expiration strategy', async () => {
      const a = await g.account();
      const pol = await g.policy(a.account, { expirationStrategy: 'MAINTAIN_ACCESS' });
      const l = await g.license(a.account, {
        policy: pol,
        expiry: new Date(t.clock.now().getTime() - 1000),
      });
      const res = await validateKey(t, a.base, { key: l.key }, { 'Keygen-Version': '1.1' });
      expect(res.body.meta).toMatchObject({ valid: true, constant: 'EXPIRED' });
    });

    it('≤1.5 renders the owner relationship as user', async () => {
      const a = await g.account();
      const owner = await g.user(a.account);
      const l = await g.license(a.account, { owner: owner.user });
      const res = await validateKey(t, a.base, { key: l.key }, { 'Keygen-Version': '1.5' });
      const rels = res.body.data.relationships;
      expect(rels).not.toHaveProperty('owner');
      expect(rels.user).toEqual({
        links: { related: `/v1/accounts/${a.id}/licenses/${l.license.id}/user` },
        data: { type: 'users', id: owner.user.id },
      });
      const v16 = await validateKey(t, a.base, { key: l.key }, { 'Keygen-Version': '1.6' });
      expect(v16.body.data.relationships.owner.data).toEqual({ type: 'users', id: owner.user.id });
      expect(v16.body.data.relationships).not.toHaveProperty('user');
    });
  });
});
