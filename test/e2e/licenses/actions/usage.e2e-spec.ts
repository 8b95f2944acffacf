import { License } from '@app/modules/licenses/license.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { CALLERS, arrange, matrix, notFound, type CallerKind } from './support';

const YEAR = 31_556_952;

const usesError = (code: string, detail: string) => ({
  title: 'Unprocessable resource',
  detail,
  code,
  source: { pointer: '/data/attributes/uses' },
  links: { about: 'https://keygen.sh/docs/api/licenses/#licenses-object-attrs-uses' },
});

/** Spec 02 §8: increment-usage, decrement-usage, reset-usage. */
describe('license usage actions', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  const post = (
    id: string,
    action: string,
    body?: unknown,
    auth: Record<string, string> = a.auth,
  ) => {
    const req = t.http
      .post(`${a.base}/licenses/${encodeURIComponent(id)}/actions/${action}`)
      .set(auth);
    return body === undefined ? req : req.send(body as object);
  };
  const uses = async (id: string) =>
    (await t.ds.getRepository(License).findOneByOrFail({ id })).uses;
  const eventsFor = (name: string, id: string) =>
    t.events.named(name, a.id).filter((e) => e.resource.id === id);

  const SUPPORT_WRITERS: CallerKind[] = [
    'admin',
    'developer',
    'sales-agent',
    'support-agent',
    'environment',
    'product',
  ];

  describe.each([
    {
      action: 'increment-usage',
      event: 'license.usage.incremented',
      expected: matrix([...SUPPORT_WRITERS, 'owner', 'license itself'], 200),
      after: 3,
    },
    {
      action: 'decrement-usage',
      event: 'license.usage.decremented',
      expected: matrix(SUPPORT_WRITERS, 200),
      after: 1,
    },
    {
      action: 'reset-usage',
      event: 'license.usage.reset',
      expected: matrix(SUPPORT_WRITERS, 200),
      after: 0,
    },
  ])('$action', ({ action, event, expected, after }) => {
    it.each(CALLERS.map((c) => [c, expected[c]] as const))('%s → %i', async (caller, status) => {
      const { license, auth } = await arrange(g, a, caller, { license: { uses: 2 } });
      const res = await post(license.id, action, undefined, auth);
      expect(res.status).toBe(status);
      expect(await uses(license.id)).toBe(status === 200 ? after : 2);
      expect(eventsFor(event, license.id)).toHaveLength(status === 200 ? 1 : 0);
      if (status === 200) {
        expect(res.body.data.attributes.uses).toBe(after);
      }
      if (status === 404) {
        expect(res.body.errors).toEqual([notFound(license.id)]);
      }
    });
  });

  describe('increment-usage', () => {
    it('increments by 1 by default and by meta.increment, by key too', async () => {
      const { license, key } = await g.license(a.account);
      await post(key, 'increment-usage').expect(200);
      const res = await post(license.id, 'increment-usage', { meta: { increment: 100 } }).expect(
        200,
      );
      expect(res.body.data.attributes.uses).toBe(101);
      expect(res.headers['keygen-signature']).toBeDefined();
      expect(eventsFor('license.usage.incremented', license.id)).toHaveLength(2);
    });

    it('treats a null increment or meta as absent, and a negative one as a decrement', async () => {
      const { license } = await g.license(a.account, { uses: 5 });
      await post(license.id, 'increment-usage', { meta: { increment: null } }).expect(200);
      await post(license.id, 'increment-usage', { meta: null }).expect(200);
      const res = await post(license.id, 'increment-usage', { meta: { increment: -3 } }).expect(
        200,
      );
      expect(res.body.data.attributes.uses).toBe(4);
    });

    it('422s past the policy maxUses and saves nothing', async () => {
      const policy = await g.policy(a.account, { maxUses: 99 });
      const { license } = await g.license(a.account, { policy });
      const res = await post(license.id, 'increment-usage', { meta: { increment: 100 } }).expect(
        422,
      );
      expect(res.body.errors).toEqual([
        usesError('USES_LIMIT_EXCEEDED', 'usage exceeds maximum allowed for license (99)'),
      ]);
      expect(await uses(license.id)).toBe(0);
      expect(eventsFor('license.usage.incremented', license.id)).toHaveLength(0);
    });

    it('uses the license maxUses override, and the policy value when the override is 0', async () => {
      const policy = await g.policy(a.account, { maxUses: 5 });
      const over = await g.license(a.account, { policy, uses: 5, maxUses: 6 });
      await post(over.license.id, 'increment-usage').expect(200);
      await post(over.license.id, 'increment-usage').expect(422);
      const zero = await g.license(a.account, { policy, uses: 5, maxUses: 0 });
      const res = await post(zero.license.id, 'increment-usage').expect(422);
      expect(res.body.errors[0].detail).toBe('usage exceeds maximum allowed for license (5)');
    });

    it('400s a count beyond the integer column when there is no limit', async () => {
      const { license } = await g.license(a.account);
      const res = await t.http
        .post(`${a.base}/licenses/${license.id}/actions/increment-usage`)
        .set({ ...a.auth, 'Content-Type': 'application/vnd.api+json' })
        .send('{"meta":{"increment":46116860184273879031}}')
        .expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'integer is too large',
          source: { pointer: '/meta/increment' },
        },
      ]);
      await post(license.id, 'increment-usage', { meta: { increment: 2_147_483_647 } }).expect(200);
      await post(license.id, 'increment-usage').expect(400);
      expect(await uses(license.id)).toBe(2_147_483_647);
    });

    it('400s bad params after the 404 and 403 checks', async () => {
      const { license } = await g.license(a.account);
      const res = await post(license.id, 'increment-usage', { meta: { increment: '5' } }).expect(
        400,
      );
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'type mismatch (received string expected integer)',
          source: { pointer: '/meta/increment' },
        },
      ]);
      const res2 = await post(license.id, 'increment-usage', { meta: { by: 5 } }).expect(400);
      expect(res2.body.errors[0]).toMatchObject({
        detail: 'unpermitted parameter',
        source: { pointer: '/meta/by' },
      });
      await post('unknown-key', 'increment-usage', { meta: { increment: '5' } }).expect(404);
      const reader = await g.user(a.account, { role: 'read-only' });
      await post(license.id, 'increment-usage', { meta: { increment: '5' } }, reader.auth).expect(
        403,
      );
    });

    it('sets a FROM_FIRST_USE expiry on the first increment only, while expiry is null', async () => {
      t.clock.freeze(new Date('2024-01-21T21:30:00.000Z'));
      const policy = await g.policy(a.account, {
        expirationBasis: 'FROM_FIRST_USE',
        duration: YEAR,
      });
      const l = await g.license(a.account, { policy });
      const res = await post(l.license.id, 'increment-usage', undefined, l.auth).expect(200);
      expect(res.body.data.attributes.expiry).toBe('2025-01-21T21:30:00.000Z');
      t.clock.freeze(new Date('2024-06-01T00:00:00.000Z'));
      await post(l.license.id, 'increment-usage', undefined, l.auth).expect(200);
      const row = await t.ds.getRepository(License).findOneByOrFail({ id: l.license.id });
      expect(row.expiry).toEqual(new Date('2025-01-21T21:30:00.000Z'));

      const set = await g.license(a.account, {
        policy,
        expiry: new Date('2022-01-03T14:18:02.743Z'),
      });
      await post(set.license.id, 'increment-usage').expect(200);
      expect(
        (await t.ds.getRepository(License).findOneByOrFail({ id: set.license.id })).expiry,
      ).toEqual(new Date('2022-01-03T14:18:02.743Z'));
    });

    it('leaves the expiry alone on decrements and for other expiration bases', async () => {
      const first = await g.policy(a.account, {
        expirationBasis: 'FROM_FIRST_USE',
        duration: YEAR,
      });
      const l = await g.license(a.account, { policy: first, uses: 3 });
      await post(l.license.id, 'decrement-usage').expect(200);
      await post(l.license.id, 'reset-usage').expect(200);
      const creation = await g.policy(a.account, {
        expirationBasis: 'FROM_CREATION',
        duration: YEAR,
      });
      const m = await g.license(a.account, { policy: creation });
      await post(m.license.id, 'increment-usage').expect(200);
      const repo = t.ds.getRepository(License);
      expect((await repo.findOneByOrFail({ id: l.license.id })).expiry).toBeNull();
      expect((await repo.findOneByOrFail({ id: m.license.id })).expiry).toBeNull();
    });

    it('lets 10 parallel increments on maxUses=5 end at most at 5, with 409/422 and no 500', async () => {
      const policy = await g.policy(a.account, { maxUses: 5 });
      const { license } = await g.license(a.account, { policy });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => post(license.id, 'increment-usage')),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 200 || s === 409 || s === 422)).toBe(true);
      const ok = statuses.filter((s) => s === 200).length;
      const final = await uses(license.id);
      expect(final).toBeLessThanOrEqual(5);
      expect(final).toBe(ok);
      expect(eventsFor('license.usage.incremented', license.id)).toHaveLength(ok);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body.errors).toEqual([
          {
            title: 'Conflict',
            detail: 'failed to increment due to another conflicting update',
            source: { pointer: '/data/attributes/uses' },
          },
        ]);
      }
    });

    it('answers 409 while another transaction holds the row', async () => {
      const { license } = await g.license(a.account);
      const runner = t.ds.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('SELECT 1 FROM licenses WHERE id = $1 FOR UPDATE', [license.id]);
        const res = await post(license.id, 'increment-usage').expect(409);
        expect(res.body.errors[0].detail).toBe(
          'failed to increment due to another conflicting update',
        );
        await post(license.id, 'decrement-usage').expect(409);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      await post(license.id, 'increment-usage').expect(200);
    });
  });

  describe('decrement-usage', () => {
    it('decrements by meta.decrement and 422s below zero', async () => {
      const { license } = await g.license(a.account, { uses: 50 });
      const res = await post(license.id, 'decrement-usage', { meta: { decrement: 50 } }).expect(
        200,
      );
      expect(res.body.data.attributes.uses).toBe(0);
      const under = await post(license.id, 'decrement-usage').expect(422);
      expect(under.body.errors).toEqual([
        usesError('USES_INVALID', 'must be greater than or equal to 0'),
      ]);
      expect(eventsFor('license.usage.decremented', license.id)).toHaveLength(1);
    });

    it('points a too-large count at /meta/decrement', async () => {
      const { license } = await g.license(a.account);
      const res = await post(license.id, 'decrement-usage', {
        meta: { decrement: -3_000_000_000 },
      }).expect(400);
      expect(res.body.errors[0]).toEqual({
        title: 'Bad request',
        detail: 'integer is too large',
        source: { pointer: '/meta/decrement' },
      });
    });
  });

  describe('reset-usage', () => {
    it('resets to 0 even above maxUses', async () => {
      const policy = await g.policy(a.account, { maxUses: 3 });
      const { license } = await g.license(a.account, { policy, uses: 10 });
      const res = await post(license.id, 'reset-usage').expect(200);
      expect(res.body.data.attributes.uses).toBe(0);
      expect(eventsFor('license.usage.reset', license.id)).toHaveLength(1);
    });
  });
});
