import { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { badRequest, denied, lacks, RECORD_ENV } from '../products/support';
import { expectSigned } from '../users/support';
import { entitlementDoc, entitlementError, entitlementResource } from './support';

describe('POST /v1/accounts/:account/entitlements', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const post = (body: unknown, auth: Record<string, string> = a.auth, acct = a) =>
    t.http
      .post(`${acct.base}/entitlements`)
      .set(auth)
      .send(body as object);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('201', () => {
    it('creates an entitlement and emits entitlement.created', async () => {
      const before = t.events.named('entitlement.created', a.id).length;
      const res = await post(
        entitlementDoc({ name: 'Premium', code: 'PREMIUM', metadata: { tierLevel: 2 } }),
      ).expect(201);
      expectSigned(res);
      const row = await t.ds.getRepository(Entitlement).findOneByOrFail({ id: res.body.data.id });
      expect(res.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${a.id}/entitlements/${row.id}`,
      );
      expect(res.body).toEqual({ data: entitlementResource(row, { metadata: { tierLevel: 2 } }) });
      expect(row.metadata).toEqual({ tier_level: 2 });
      expect(t.events.named('entitlement.created', a.id)).toHaveLength(before + 1);
    });

    it('lets a developer create, and an environment create inside its environment', async () => {
      const dev = await g.user(a.account, { role: 'developer' });
      await post(entitlementDoc({ name: 'A', code: 'dev-made' }), dev.auth).expect(201);
      const env = await g.environment(a.account);
      const res = await post(entitlementDoc({ name: 'B', code: 'env-made' }), env.auth).expect(201);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });
  });

  describe('400', () => {
    it.each([
      [{ data: { type: 'entitlements' } }, 'is missing', '/data/attributes'],
      [entitlementDoc({ code: 'x' }), 'is missing', '/data/attributes/name'],
      [entitlementDoc({ name: 'x' }), 'is missing', '/data/attributes/code'],
      [entitlementDoc({ name: 'x', code: '' }), 'cannot be blank', '/data/attributes/code'],
      [entitlementDoc({ name: 'x', code: null }), 'cannot be null', '/data/attributes/code'],
      [
        entitlementDoc({ name: 1, code: 'x' }),
        'type mismatch (received integer expected string)',
        '/data/attributes/name',
      ],
      [
        entitlementDoc({ name: 'x', code: 'x', extra: 1 }),
        'unpermitted parameter',
        '/data/attributes/extra',
      ],
      [entitlementDoc({ name: 'x', code: 'x' }, { type: 'products' }), 'is invalid', '/data/type'],
    ])('rejects %j', async (body, detail, pointer) => {
      const res = await post(body).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });
  });

  describe('401', () => {
    it('rejects anonymous callers', async () => {
      await post(entitlementDoc({ name: 'x', code: 'anon' }), {}).expect(401);
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
      const res = await post(entitlementDoc({ name: 'x', code: `no-${role}` }), u.auth).expect(403);
      expect(res.body.errors).toEqual([error]);
    });

    it('forbids a product (no entitlement.create) and a write outside the environment', async () => {
      const p = await g.product(a.account);
      const res = await post(entitlementDoc({ name: 'x', code: 'by-product' }), p.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('product'))]);
      const env = await g.environment(a.account);
      const global = await post(
        entitlementDoc(
          { name: 'x', code: 'global' },
          { relationships: { environment: { data: null } } },
        ),
        env.auth,
      ).expect(403);
      expect(global.body.errors).toEqual([denied(RECORD_ENV)]);
    });
  });

  describe('422', () => {
    it('rejects a taken code, case-insensitively, but not one of another account', async () => {
      await g.entitlement(a.account, { code: 'dup-code' });
      const res = await post(entitlementDoc({ name: 'x', code: 'DUP-CODE' })).expect(422);
      expect(res.body.errors).toEqual([
        entitlementError('code', 'CODE_TAKEN', 'has already been taken'),
      ]);
      const other = await g.account();
      await post(entitlementDoc({ name: 'x', code: 'dup-code' }), other.auth, other).expect(201);
    });

    it.each([
      ['actions', [entitlementError('code', 'CODE_NOT_ALLOWED', 'is reserved')]],
      [
        '3e0e9a51-8d63-4f8e-9a5c-9e0bde2a36a1',
        [entitlementError('code', 'CODE_INVALID', 'is invalid')],
      ],
      [
        'c'.repeat(256),
        [entitlementError('code', 'CODE_TOO_LONG', 'is too long (maximum is 255 characters)')],
      ],
    ])('rejects the code %s', async (code, errors) => {
      const res = await post(entitlementDoc({ name: 'x', code })).expect(422);
      expect(res.body.errors).toEqual(errors);
    });

    it('rejects a long name and oversized metadata together', async () => {
      const res = await post(
        entitlementDoc({
          name: 'n'.repeat(256),
          code: 'long',
          metadata: { a: { b: [[{ c: 1 }]] } },
        }),
      ).expect(400);
      expect(res.body.errors[0].detail).toBe('maximum depth of 2 exceeded');
      const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
      const both = await post(
        entitlementDoc({ name: 'n'.repeat(256), code: 'long', metadata }),
      ).expect(422);
      expect(both.body.errors).toEqual([
        entitlementError('name', 'NAME_TOO_LONG', 'is too long (maximum is 255 characters)'),
        entitlementError(
          'metadata',
          'METADATA_TOO_LONG',
          'too many keys (exceeded limit of 64 keys)',
        ),
      ]);
    });
  });
});
