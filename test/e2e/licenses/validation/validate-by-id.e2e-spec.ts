import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { expectSigned } from '../../users/support';
import {
  badRequest,
  expectVerdict,
  flushTouches,
  notFound,
  quickValidate,
  reload,
  validateById,
} from './support';

type Call = (
  t: TestApp,
  base: string,
  id: string,
  headers: Record<string, string>,
) => ReturnType<typeof quickValidate>;

const ROUTES: Array<[string, Call]> = [
  ['GET (quick)', (t, base, id, headers) => quickValidate(t, base, id, headers)],
  ['POST', (t, base, id, headers) => validateById(t, base, id, headers)],
];

describe.each(ROUTES)('%s /v1/accounts/:account/licenses/:id/actions/validate', (method, call) => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  /** Who may validate which license (spec 02 §4.1 and §6.5). */
  async function bearers(a: GivenAccount) {
    const product = await g.product(a.account);
    const otherProduct = await g.product(a.account);
    const pol = await g.policy(a.account, { product: product.product });
    const owner = await g.user(a.account);
    const licensee = await g.user(a.account);
    const stranger = await g.user(a.account);
    const l = await g.license(a.account, { policy: pol, owner: owner.user });
    await g.licenseUser(l.license, licensee.user);
    const otherLicense = await g.license(a.account);
    return { product, otherProduct, owner, licensee, stranger, l, otherLicense };
  }

  describe('200', () => {
    it.each(['admin', 'developer', 'sales-agent', 'support-agent', 'read-only'] as const)(
      'lets a %s validate',
      async (role) => {
        const a = await g.account();
        const l = await g.license(a.account);
        const auth = role === 'admin' ? a.auth : (await g.user(a.account, { role })).auth;
        const res = await call(t, a.base, l.license.id, auth);
        expectVerdict(res, true, 'VALID', 'is valid');
        expectSigned(res);
        expect(res.body.data).toMatchObject({ id: l.license.id, type: 'licenses' });
        expect(Object.keys(res.body.meta)).toEqual(['ts', 'valid', 'detail', 'code']);
      },
    );

    it("lets an environment validate its environment's license", async () => {
      const a = await g.account();
      const env = await g.environment(a.account);
      const l = await g.license(a.account, { environment: env.environment });
      expectVerdict(await call(t, a.base, l.license.id, env.auth), true, 'VALID');
    });

    it('lets the own product, the owner, a licensee and the license itself validate', async () => {
      const a = await g.account();
      const b = await bearers(a);
      for (const auth of [b.product.auth, b.owner.auth, b.licensee.auth, b.l.auth]) {
        expectVerdict(await call(t, a.base, b.l.license.id, auth), true, 'VALID');
      }
    });

    it('finds the license by key too', async () => {
      const a = await g.account();
      const l = await g.license(a.account, { key: 'by-key/with-slash' });
      const res = await call(t, a.base, 'by-key/with-slash', a.auth);
      expectVerdict(res, true, 'VALID');
      expect(res.body.data.id).toBe(l.license.id);
    });

    it('touches lastValidated (shown now, persisted after the flush)', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      t.clock.advance(1000);
      const res = await call(t, a.base, l.license.id, a.auth);
      expect(res.body.data.attributes.lastValidated).toBe(res.body.meta.ts);
      await flushTouches(t);
      expect((await reload(t, l.license.id)).lastValidatedAt?.toISOString()).toBe(res.body.meta.ts);
    });

    it('reports an invalid license with 200', async () => {
      const a = await g.account();
      const l = await g.license(a.account, { suspended: true });
      expectVerdict(
        await call(t, a.base, l.license.id, a.auth),
        false,
        'SUSPENDED',
        'is suspended',
      );
    });
  });

  describe('404 / 403 / 401', () => {
    it('answers 404 for licenses outside the bearer scope', async () => {
      const a = await g.account();
      const b = await bearers(a);
      for (const auth of [b.otherProduct.auth, b.stranger.auth, b.otherLicense.auth]) {
        const res = await call(t, a.base, b.l.license.id, auth);
        expect(res.status).toBe(404);
        expect(res.body.errors).toEqual([notFound(b.l.license.id)]);
      }
    });

    it("answers 404 for another account's license and an unknown id", async () => {
      const a = await g.account();
      const b = await g.account();
      const l = await g.license(b.account);
      expect((await call(t, a.base, l.license.id, a.auth)).status).toBe(404);
      expect((await call(t, a.base, 'nope', a.auth)).body.errors).toEqual([notFound('nope')]);
    });

    it('answers 403 to a license token without license.validate', async () => {
      const a = await g.account();
      const l = await g.license(a.account, { permissions: [] });
      const res = await call(t, a.base, l.license.id, l.auth);
      expect(res.status).toBe(403);
      expect(res.body.errors[0]).toMatchObject({ title: 'Access denied' });
    });

    it('answers 401 without credentials', async () => {
      const a = await g.account();
      const l = await g.license(a.account);
      const res = await call(t, a.base, l.license.id, {});
      expect(res.status).toBe(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_MISSING' });
    });
  });

  it('renders ≤1.1 meta with constant', async () => {
    const a = await g.account();
    const l = await g.license(a.account);
    const res = await call(t, a.base, l.license.id, { ...a.auth, 'Keygen-Version': '1.1' });
    expect(res.body.meta).toEqual({
      ts: expect.any(String),
      valid: true,
      detail: 'is valid',
      constant: 'VALID',
    });
    expect(method).toBeTruthy();
  });
});

describe('quick versus full validation by id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  it('GET skips every scope check; POST applies them', async () => {
    const a = await g.account();
    const pol = await g.policy(a.account, {
      requireFingerprintScope: true,
      requireProductScope: true,
    });
    const l = await g.license(a.account, { policy: pol });
    expectVerdict(await quickValidate(t, a.base, l.license.id, a.auth), true, 'VALID');
    expectVerdict(
      await validateById(t, a.base, l.license.id, a.auth),
      false,
      'PRODUCT_SCOPE_REQUIRED',
      'product scope is required',
    );
    expectVerdict(
      await validateById(t, a.base, l.license.id, a.auth, {
        meta: { scope: { product: l.license.productId } },
      }),
      false,
      'FINGERPRINT_SCOPE_REQUIRED',
      'fingerprint scope is required',
    );
  });

  it('emits validation events for POST only', async () => {
    const a = await g.account();
    const l = await g.license(a.account);
    const bad = await g.license(a.account, { suspended: true });
    await quickValidate(t, a.base, l.license.id, a.auth).expect(200);
    await quickValidate(t, a.base, bad.license.id, a.auth).expect(200);
    expect(t.events.named('license.validation.succeeded', a.id)).toHaveLength(0);
    expect(t.events.named('license.validation.failed', a.id)).toHaveLength(0);
    const res = await validateById(t, a.base, l.license.id, a.auth, { meta: { nonce: 5 } });
    await validateById(t, a.base, bad.license.id, a.auth).expect(200);
    const ok = t.events.named('license.validation.succeeded', a.id);
    expect(ok).toHaveLength(1);
    expect(ok[0].meta).toEqual(res.body.meta);
    expect(ok[0].meta).toMatchObject({ nonce: 5 });
    expect(t.events.named('license.validation.failed', a.id)).toHaveLength(1);
  });

  it('echoes nonce and scope on POST', async () => {
    const a = await g.account();
    const l = await g.license(a.account);
    const res = await validateById(t, a.base, l.license.id, a.auth, {
      meta: { nonce: 1574265636, scope: { policy: l.license.policyId } },
    });
    expect(res.body.meta).toEqual({
      ts: expect.any(String),
      valid: true,
      detail: 'is valid',
      code: 'VALID',
      nonce: 1574265636,
      scope: { policy: l.license.policyId },
    });
  });

  it('accepts an empty body and an empty meta', async () => {
    const a = await g.account();
    const l = await g.license(a.account);
    expectVerdict(await validateById(t, a.base, l.license.id, a.auth, {}), true, 'VALID');
    expectVerdict(await validateById(t, a.base, l.license.id, a.auth, { meta: {} }), true, 'VALID');
  });

  it('answers bad bodies with 400 and a pointer, after 404 and 403', async () => {
    const a = await g.account();
    const l = await g.license(a.account);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ meta: { nonce: 'x' } }, 'type mismatch (received string expected integer)', '/meta/nonce'],
      [
        { meta: { scope: { fingerprints: [null] } } },
        'cannot be null',
        '/meta/scope/fingerprints/0',
      ],
      [{ meta: { key: 'k' } }, 'unpermitted parameter', '/meta/key'],
      [
        { meta: { scope: { machine: 1 } } },
        'type mismatch (received integer expected string)',
        '/meta/scope/machine',
      ],
    ];
    for (const [body, detail, pointer] of cases) {
      const res = await validateById(t, a.base, l.license.id, a.auth, body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    }
    const missing = await validateById(t, a.base, 'nope', a.auth, { meta: { nonce: 'x' } });
    expect(missing.status).toBe(404);
    const stranger = await g.user(a.account);
    const hidden = await validateById(t, a.base, l.license.id, stranger.auth, {
      meta: { nonce: 'x' },
    });
    expect(hidden.status).toBe(404);
  });
});
