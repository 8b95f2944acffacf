import { License } from '@app/modules/licenses/license.entity';
import { Token } from '@app/modules/tokens/token.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import {
  CALLERS,
  accessDenied,
  arrange,
  matrix,
  notFound,
  type CallerKind,
  type Fixture,
} from './support';

const YEAR = 31_556_952;
const MONTH = 2_629_746;

/** Spec 02 §7: suspend, reinstate, renew, revoke, check-in. */
describe('license permit actions', () => {
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

  const post = (id: string, action: string, auth: Record<string, string> = a.auth) =>
    t.http.post(`${a.base}/licenses/${encodeURIComponent(id)}/actions/${action}`).set(auth);
  const revoke = (id: string, auth: Record<string, string> = a.auth) =>
    t.http.delete(`${a.base}/licenses/${encodeURIComponent(id)}/actions/revoke`).set(auth);
  const row = (id: string) => t.ds.getRepository(License).findOneBy({ id });
  const eventsFor = (name: string, id: string) =>
    t.events.named(name, a.id).filter((e) => e.resource.id === id);

  const STAFF_WRITERS: CallerKind[] = [
    'admin',
    'developer',
    'sales-agent',
    'environment',
    'product',
  ];
  const SUPPORT_WRITERS: CallerKind[] = [...STAFF_WRITERS, 'support-agent'];

  const CASES: Array<{
    action: string;
    event: string;
    fixture: Fixture;
    expected: Record<CallerKind, number>;
  }> = [
    {
      action: 'suspend',
      event: 'license.suspended',
      fixture: {},
      expected: matrix(SUPPORT_WRITERS, 200),
    },
    {
      action: 'reinstate',
      event: 'license.reinstated',
      fixture: { license: { suspended: true } },
      expected: matrix(SUPPORT_WRITERS, 200),
    },
    {
      action: 'renew',
      event: 'license.renewed',
      fixture: {
        policy: { duration: MONTH },
        license: { expiry: new Date('2030-01-01T00:00:00.000Z') },
      },
      // The owner may renew unless the *policy* is protected.
      expected: matrix([...STAFF_WRITERS, 'owner', 'owner of a protected license'], 200),
    },
    {
      action: 'revoke',
      event: 'license.revoked',
      fixture: {},
      expected: matrix([...STAFF_WRITERS, 'owner', 'owner of a protected license'], 204),
    },
    {
      action: 'check-in',
      event: 'license.checked-in',
      fixture: {
        policy: { requireCheckIn: true, checkInInterval: 'day', checkInIntervalCount: 1 },
      },
      // The owner only when the license (explicitly or through its policy) is unprotected.
      expected: matrix([...SUPPORT_WRITERS, 'owner', 'license itself'], 200),
    },
  ];

  describe.each(CASES)('$action', ({ action, event, fixture, expected }) => {
    it.each(CALLERS.map((c) => [c, expected[c]] as const))('%s → %i', async (caller, status) => {
      const { license, auth } = await arrange(g, a, caller, fixture);
      const res =
        action === 'revoke' ? await revoke(license.id, auth) : await post(license.id, action, auth);
      expect(res.status).toBe(status);
      expect(eventsFor(event, license.id)).toHaveLength(status < 300 ? 1 : 0);
      if (status === 404) {
        expect(res.body.errors).toEqual([notFound(license.id)]);
      }
      if (status === 403) {
        expect(res.body.errors).toEqual([
          { title: 'Access denied', detail: expect.stringMatching(/^You do not have permission/) },
        ]);
      }
    });
  });

  describe('suspend / reinstate', () => {
    it('suspends by key and renders the license as SUSPENDED', async () => {
      const { license, key } = await g.license(a.account);
      const res = await post(key, 'suspend').expect(200);
      expect(res.body.data).toMatchObject({
        id: license.id,
        type: 'licenses',
        attributes: { suspended: true, status: 'SUSPENDED' },
      });
      expect(res.headers['keygen-signature']).toBeDefined();
      expect((await row(license.id))!.suspended).toBe(true);
    });

    it('422s a second suspend and a reinstate of an active license, without events', async () => {
      const { license } = await g.license(a.account, { suspended: true });
      const res = await post(license.id, 'suspend').expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail: 'is already suspended',
          source: { pointer: '/data/attributes/suspended' },
        },
      ]);
      const active = await g.license(a.account);
      const res2 = await post(active.license.id, 'reinstate').expect(422);
      expect(res2.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail: 'is not suspended',
          source: { pointer: '/data/attributes/suspended' },
        },
      ]);
      expect(eventsFor('license.suspended', license.id)).toHaveLength(0);
      expect(eventsFor('license.reinstated', active.license.id)).toHaveLength(0);
    });

    it('reinstates a suspended license', async () => {
      const { license } = await g.license(a.account, { suspended: true });
      const res = await post(license.id, 'reinstate').expect(200);
      expect(res.body.data.attributes).toMatchObject({ suspended: false, status: 'ACTIVE' });
    });

    it('tells a user it lacks the permission (never holds license.suspend)', async () => {
      const { license, auth } = await arrange(g, a, 'owner');
      const res = await post(license.id, 'suspend', auth).expect(403);
      expect(res.body.errors).toEqual([accessDenied('user lacks permission to perform action')]);
    });

    it('forbids a shared environment suspending a global license (strict environment)', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const { license } = await g.license(a.account);
      const res = await post(license.id, 'suspend', env.auth).expect(403);
      expect(res.body.errors).toEqual([
        accessDenied('record environment is not compatible with the current environment'),
      ]);
    });

    it('401s anonymous and tokens of another account, 404s unknown ids', async () => {
      const { license } = await g.license(a.account);
      await post(license.id, 'suspend', {}).expect(401);
      const other = await g.account();
      await post(license.id, 'suspend', other.auth).expect(401);
      await post('00000000-0000-4000-8000-000000000000', 'suspend').expect(404);
    });
  });

  describe('renew', () => {
    const renewed = async (
      renewalBasis: string | null,
      expiry: string,
      duration: number,
      now?: string,
    ) => {
      if (now) {
        t.clock.freeze(new Date(now));
      }
      const policy = await g.policy(a.account, { duration, renewalBasis });
      const { license } = await g.license(a.account, { policy, expiry: new Date(expiry) });
      const res = await post(license.id, 'renew').expect(200);
      return res.body.data.attributes.expiry as string;
    };

    it('adds the duration to the expiry with calendar arithmetic', async () => {
      expect(await renewed(null, '2021-07-19T00:00:00.000Z', 7_889_238)).toBe(
        '2021-10-19T00:00:00.000Z',
      );
      expect(await renewed('FROM_EXPIRY', '2022-10-16T14:52:48.000Z', MONTH)).toBe(
        '2022-11-16T14:52:48.000Z',
      );
    });

    it('renews from the past expiry under FROM_EXPIRY, even long expired', async () => {
      expect(
        await renewed('FROM_EXPIRY', '2021-07-19T00:00:00.000Z', MONTH, '2024-01-21T21:30:00.000Z'),
      ).toBe('2021-08-19T00:00:00.000Z');
    });

    it('renews from now under FROM_NOW', async () => {
      expect(
        await renewed('FROM_NOW', '2030-07-19T00:00:00.000Z', YEAR, '2024-01-21T21:30:00.000Z'),
      ).toBe('2025-01-21T21:30:00.000Z');
    });

    it('renews from the expiry, or from now once expired, under FROM_NOW_IF_EXPIRED', async () => {
      expect(
        await renewed(
          'FROM_NOW_IF_EXPIRED',
          '2024-02-01T00:00:00.000Z',
          MONTH,
          '2024-01-21T21:30:00.000Z',
        ),
      ).toBe('2024-03-01T00:00:00.000Z');
      expect(
        await renewed(
          'FROM_NOW_IF_EXPIRED',
          '2023-02-01T00:00:00.000Z',
          MONTH,
          '2024-01-21T21:30:00.000Z',
        ),
      ).toBe('2024-02-21T21:30:00.000Z');
    });

    it('422s a policy without a duration', async () => {
      const { license } = await g.license(a.account, { expiry: new Date('2030-01-01') });
      const res = await post(license.id, 'renew').expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail: 'cannot be renewed because the policy does not have a duration',
        },
      ]);
      expect(eventsFor('license.renewed', license.id)).toHaveLength(0);
    });

    it('422s a license without an expiry with an empty errors array', async () => {
      const policy = await g.policy(a.account, { duration: MONTH });
      const { license } = await g.license(a.account, { policy });
      const res = await post(license.id, 'renew').expect(422);
      expect(res.body.errors).toEqual([]);
      expect((await row(license.id))!.expiry).toBeNull();
    });
  });

  describe('revoke', () => {
    it('deletes the license and its tokens, 204, license.revoked and not license.deleted', async () => {
      const { license, key } = await g.license(a.account);
      const res = await revoke(key).expect(204);
      expect(res.text).toBe('');
      expect(await row(license.id)).toBeNull();
      expect(
        await t.ds.getRepository(Token).countBy({ bearerType: 'licenses', bearerId: license.id }),
      ).toBe(0);
      expect(eventsFor('license.revoked', license.id)).toHaveLength(1);
      expect(eventsFor('license.deleted', license.id)).toHaveLength(0);
    });

    it('does not offer POST', async () => {
      const { license } = await g.license(a.account);
      await post(license.id, 'revoke').expect(404);
      expect(await row(license.id)).not.toBeNull();
    });
  });

  describe('check-in', () => {
    it('stamps lastCheckIn and renders nextCheckIn one interval later', async () => {
      t.clock.freeze(new Date('2024-01-31T10:00:00.000Z'));
      const policy = await g.policy(a.account, {
        requireCheckIn: true,
        checkInInterval: 'month',
        checkInIntervalCount: 1,
      });
      const { license, key } = await g.license(a.account, { policy, lastCheckInAt: null });
      const res = await post(key, 'check-in').expect(200);
      expect(res.body.data.attributes).toMatchObject({
        lastCheckIn: '2024-01-31T10:00:00.000Z',
        nextCheckIn: '2024-02-29T10:00:00.000Z',
      });
      expect((await row(license.id))!.lastCheckInAt).toEqual(new Date('2024-01-31T10:00:00.000Z'));
    });

    it('422s when the policy does not require check-ins', async () => {
      const { license } = await g.license(a.account);
      const res = await post(license.id, 'check-in').expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail: 'cannot be checked in because the policy does not require it',
        },
      ]);
      expect(eventsFor('license.checked-in', license.id)).toHaveLength(0);
    });

    it('refuses a license token that lacks license.check-in', async () => {
      const policy = await g.policy(a.account, {
        requireCheckIn: true,
        checkInInterval: 'day',
        checkInIntervalCount: 1,
      });
      const l = await g.license(a.account, { policy, tokenPermissions: ['license.read'] });
      const res = await post(l.license.id, 'check-in', l.auth).expect(403);
      expect(res.body.errors).toEqual([accessDenied('token lacks permission to perform action')]);
    });
  });
});
