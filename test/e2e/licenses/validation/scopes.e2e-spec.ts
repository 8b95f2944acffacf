import { bootApp, type TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';
import { expectVerdict, validateById, validateKey } from './support';

const MINUTE = 60_000;

/**
 * The validation codes that depend on rows (machines, components, processes,
 * licensees, entitlements) and on time (heartbeats, check-ins, expiry): spec 02
 * §6.3 end to end against PostgreSQL, with the clock moved instead of sleeping.
 */
describe('license validation scopes and limits', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  const check = (key: string, scope?: Record<string, unknown>) =>
    validateKey(t, a.base, scope === undefined ? { key } : { key, scope });
  const minutesAgo = (n: number) => new Date(t.clock.now().getTime() - n * MINUTE);

  describe('fingerprints', () => {
    it('validates a strict node-locked license on its machine (the benchmark case)', async () => {
      const pol = await g.policy(a.account, { strict: true, maxMachines: 1 });
      const l = await g.license(a.account, { policy: pol });
      const m = await g.machine(l.license, { fingerprint: 'fp-bench' });
      const res = await check(l.key, { fingerprint: m.fingerprint });
      expectVerdict(res, true, 'VALID', 'is valid');
      expect(res.body.data.relationships.machines.meta).toEqual({
        cores: 0,
        memory: 0,
        disk: 0,
        count: 1,
      });
    });

    it('reports NO_MACHINE / NO_MACHINES without machines', async () => {
      const l = await g.license(a.account);
      expectVerdict(
        await check(l.key, { fingerprint: 'x' }),
        false,
        'NO_MACHINE',
        'fingerprint is not activated (has no associated machine)',
      );
      const floating = await g.policy(a.account, { floating: true });
      const f = await g.license(a.account, { policy: floating });
      expectVerdict(
        await check(f.key, { fingerprints: ['x'] }),
        false,
        'NO_MACHINES',
        'fingerprint is not activated (has no associated machines)',
      );
    });

    it("does not match another license's machine", async () => {
      const l = await g.license(a.account);
      const other = await g.license(a.account);
      await g.machine(l.license);
      const theirs = await g.machine(other.license);
      expectVerdict(
        await check(l.key, { fingerprint: theirs.fingerprint }),
        false,
        'FINGERPRINT_SCOPE_MISMATCH',
        'fingerprint is not activated (does not match any associated machines)',
      );
    });

    it('reports an empty fingerprint list', async () => {
      const l = await g.license(a.account);
      expectVerdict(
        await check(l.key, { fingerprints: [] }),
        false,
        'FINGERPRINT_SCOPE_EMPTY',
        'fingerprint scope is empty',
      );
    });

    it('applies machineMatchingStrategy to several fingerprints', async () => {
      const pol = await g.policy(a.account, {
        floating: true,
        machineMatchingStrategy: 'MATCH_MOST',
      });
      const l = await g.license(a.account, { policy: pol });
      const m1 = await g.machine(l.license);
      const m2 = await g.machine(l.license);
      expectVerdict(
        await check(l.key, { fingerprints: [m1.fingerprint, m2.fingerprint, 'x'] }),
        true,
        'VALID',
      );
      expectVerdict(
        await check(l.key, { fingerprints: [m1.fingerprint, 'x', 'y'] }),
        false,
        'FINGERPRINT_SCOPE_MISMATCH',
        'one or more fingerprint is not activated (does not match enough associated machines)',
      );
      const all = await g.policy(a.account, {
        floating: true,
        machineMatchingStrategy: 'MATCH_ALL',
      });
      const la = await g.license(a.account, { policy: all });
      const ma = await g.machine(la.license);
      expectVerdict(
        await check(la.key, { fingerprints: [ma.fingerprint, 'x'] }),
        false,
        'FINGERPRINT_SCOPE_MISMATCH',
        'one or more fingerprint is not activated (does not match all associated machines)',
      );
      expectVerdict(
        await check(la.key, { fingerprints: [ma.fingerprint, ma.fingerprint] }),
        true,
        'VALID',
      );
    });

    it('checks the user scope against the machine owners', async () => {
      const owner = await g.user(a.account);
      const other = await g.user(a.account);
      const l = await g.license(a.account, { owner: owner.user });
      const mine = await g.machine(l.license, { ownerId: owner.user.id });
      const ownerless = await g.machine(l.license);
      const theirs = await g.machine(l.license, { ownerId: other.user.id });
      expectVerdict(
        await check(l.key, {
          fingerprints: [mine.fingerprint, ownerless.fingerprint],
          user: owner.user.id,
        }),
        true,
        'VALID',
      );
      expectVerdict(
        await check(l.key, { fingerprint: theirs.fingerprint, user: owner.user.email }),
        false,
        'USER_SCOPE_MISMATCH',
        'user scope does not match (does not match associated machine owners)',
      );
    });
  });

  describe('heartbeats', () => {
    it('NOT_STARTED on a require-heartbeat policy, then DEAD once the window passes', async () => {
      const pol = await g.policy(a.account, { requireHeartbeat: true, heartbeatDuration: 3600 });
      const l = await g.license(a.account, { policy: pol });
      const m = await g.machine(l.license);
      expectVerdict(
        await check(l.key, { fingerprint: m.fingerprint }),
        false,
        'HEARTBEAT_NOT_STARTED',
        'machine heartbeat is required',
      );
      expectVerdict(await check(l.key, { machine: m.id }), false, 'HEARTBEAT_NOT_STARTED');
      t.clock.advance(61 * MINUTE);
      expectVerdict(
        await check(l.key, { fingerprint: m.fingerprint }),
        false,
        'HEARTBEAT_DEAD',
        'machine heartbeat is dead',
      );
      expectVerdict(await check(l.key, { machine: m.id }), false, 'HEARTBEAT_DEAD');
    });

    it('ALIVE while pinged within the window, DEAD after it (even without require-heartbeat)', async () => {
      const pol = await g.policy(a.account, { heartbeatDuration: 3600 });
      const l = await g.license(a.account, { policy: pol });
      const m = await g.machine(l.license, { lastHeartbeatAt: minutesAgo(59) });
      expectVerdict(await check(l.key, { fingerprint: m.fingerprint }), true, 'VALID');
      t.clock.advance(2 * MINUTE);
      expectVerdict(await check(l.key, { fingerprint: m.fingerprint }), false, 'HEARTBEAT_DEAD');
    });

    it('a never-pinged machine is fine when heartbeats are optional', async () => {
      const l = await g.license(a.account);
      const m = await g.machine(l.license, { createdAt: minutesAgo(24 * 60) });
      expectVerdict(await check(l.key, { fingerprint: m.fingerprint }), true, 'VALID');
    });

    it('only all-dead fingerprints are HEARTBEAT_DEAD; one alive passes MATCH_ANY', async () => {
      const pol = await g.policy(a.account, { floating: true });
      const l = await g.license(a.account, { policy: pol });
      const d = await g.machine(l.license, { lastHeartbeatAt: minutesAgo(20) });
      const alive = await g.machine(l.license, { lastHeartbeatAt: minutesAgo(1) });
      expectVerdict(await check(l.key, { fingerprints: [d.fingerprint] }), false, 'HEARTBEAT_DEAD');
      expectVerdict(
        await check(l.key, { fingerprints: [d.fingerprint, alive.fingerprint] }),
        true,
        'VALID',
      );
    });
  });

  describe('machine scope', () => {
    it('matches a machine of the license by id', async () => {
      const l = await g.license(a.account);
      const m = await g.machine(l.license);
      const other = await g.license(a.account);
      const theirs = await g.machine(other.license);
      expectVerdict(await check(l.key, { machine: m.id }), true, 'VALID');
      for (const machine of [theirs.id, 'not-a-uuid']) {
        expectVerdict(
          await check(l.key, { machine }),
          false,
          'MACHINE_SCOPE_MISMATCH',
          'machine is not activated (does not match any associated machines)',
        );
      }
    });

    it('reports NO_MACHINE without machines and the machine owner mismatch', async () => {
      const empty = await g.license(a.account);
      expectVerdict(
        await check(empty.key, { machine: empty.license.id }),
        false,
        'NO_MACHINE',
        'machine is not activated (has no associated machine)',
      );
      const owner = await g.user(a.account);
      const other = await g.user(a.account);
      const l = await g.license(a.account, { owner: owner.user });
      const m = await g.machine(l.license, { ownerId: other.user.id });
      expectVerdict(
        await check(l.key, { machine: m.id, user: owner.user.id }),
        false,
        'USER_SCOPE_MISMATCH',
        'user scope does not match (does not match associated machine owner)',
      );
    });

    it('requires a machine scope when the policy says so', async () => {
      const pol = await g.policy(a.account, { requireMachineScope: true });
      const l = await g.license(a.account, { policy: pol });
      expectVerdict(
        await check(l.key),
        false,
        'MACHINE_SCOPE_REQUIRED',
        'machine scope is required',
      );
    });
  });

  describe('components', () => {
    it('matches components of the fingerprinted machine by strategy', async () => {
      const pol = await g.policy(a.account, { componentMatchingStrategy: 'MATCH_ALL' });
      const l = await g.license(a.account, { policy: pol });
      const m = await g.machine(l.license);
      await g.machineComponent(m, { fingerprint: 'cpu' });
      await g.machineComponent(m, { fingerprint: 'disk' });
      expectVerdict(
        await check(l.key, { fingerprint: m.fingerprint, components: ['cpu', 'disk'] }),
        true,
        'VALID',
      );
      expectVerdict(
        await check(l.key, { fingerprint: m.fingerprint, components: ['cpu', 'gpu'] }),
        false,
        'COMPONENTS_SCOPE_MISMATCH',
        'one or more component is not activated (does not match all associated components)',
      );
      expectVerdict(
        await check(l.key, { fingerprint: m.fingerprint, components: [] }),
        false,
        'COMPONENTS_SCOPE_EMPTY',
        'components scope is empty',
      );
      expectVerdict(
        await check(l.key, { fingerprints: [m.fingerprint], components: ['cpu'] }),
        false,
        'FINGERPRINT_SCOPE_REQUIRED',
        'fingerprint scope is required when using the components scope',
      );
    });

    it('MATCH_ANY needs one component; the policy can require the scope', async () => {
      const pol = await g.policy(a.account, { requireComponentsScope: true });
      const l = await g.license(a.account, { policy: pol });
      const m = await g.machine(l.license);
      await g.machineComponent(m, { fingerprint: 'cpu' });
      expectVerdict(
        await check(l.key, { fingerprint: m.fingerprint }),
        false,
        'COMPONENTS_SCOPE_REQUIRED',
        'components scope is required',
      );
      expectVerdict(
        await check(l.key, { fingerprint: m.fingerprint, components: ['cpu', 'x'] }),
        true,
        'VALID',
      );
      expectVerdict(
        await check(l.key, { fingerprint: m.fingerprint, components: ['x'] }),
        false,
        'COMPONENTS_SCOPE_MISMATCH',
        'one or more component is not activated (does not match any associated components)',
      );
    });
  });

  describe('users and entitlements', () => {
    it('matches the user scope against the owner and licensees by id or email', async () => {
      const owner = await g.user(a.account);
      const licensee = await g.user(a.account);
      const stranger = await g.user(a.account);
      const l = await g.license(a.account, { owner: owner.user });
      await g.licenseUser(l.license, licensee.user);
      for (const user of [owner.user.id, owner.user.email, licensee.user.id, licensee.user.email]) {
        expectVerdict(await check(l.key, { user }), true, 'VALID');
      }
      expectVerdict(await check(l.key, { user: stranger.user.id }), false, 'USER_SCOPE_MISMATCH');
      expectVerdict(
        await check(l.key, { user: 'nobody@example.com' }),
        false,
        'USER_SCOPE_MISMATCH',
      );
    });

    it('counts the owner and licensees against maxUsers', async () => {
      const pol = await g.policy(a.account, { maxUsers: 1 });
      const owner = await g.user(a.account);
      const licensee = await g.user(a.account);
      const l = await g.license(a.account, { policy: pol, owner: owner.user });
      expectVerdict(await check(l.key), true, 'VALID');
      await g.licenseUser(l.license, licensee.user);
      expectVerdict(await check(l.key), false, 'TOO_MANY_USERS', 'has too many associated users');
    });

    it('checks entitlements from the policy and the license', async () => {
      const e1 = await g.entitlement(a.account, { code: `e1-${a.id}` });
      const e2 = await g.entitlement(a.account, { code: `e2-${a.id}` });
      const e3 = await g.entitlement(a.account, { code: `e3-${a.id}` });
      const pol = await g.policy(a.account);
      await g.policyEntitlement(pol, e1);
      const l = await g.license(a.account, { policy: pol });
      await g.licenseEntitlement(l.license, e2);
      expectVerdict(
        await check(l.key, { entitlements: [e1.code, e2.code, e1.code] }),
        true,
        'VALID',
      );
      expectVerdict(
        await check(l.key, { entitlements: [e1.code, e3.code] }),
        false,
        'ENTITLEMENTS_MISSING',
        'is missing one or more required entitlements',
      );
      expectVerdict(
        await check(l.key, { entitlements: ['unknown'] }),
        false,
        'ENTITLEMENTS_MISSING',
      );
    });
  });

  describe('strict limits', () => {
    it('NO_MACHINE / NO_MACHINES for strict licenses without machines', async () => {
      const nodeLocked = await g.policy(a.account, { strict: true });
      const n = await g.license(a.account, { policy: nodeLocked });
      expectVerdict(
        await check(n.key),
        false,
        'NO_MACHINE',
        'must have exactly 1 associated machine',
      );
      const floating = await g.policy(a.account, { strict: true, floating: true });
      const f = await g.license(a.account, { policy: floating });
      expectVerdict(
        await check(f.key),
        false,
        'NO_MACHINES',
        'must have at least 1 associated machine',
      );
    });

    it('TOO_MANY_MACHINES with the overage deciding valid', async () => {
      const pol = await g.policy(a.account, {
        strict: true,
        floating: true,
        maxMachines: 2,
        overageStrategy: 'ALLOW_1_5X_OVERAGE',
      });
      const l = await g.license(a.account, { policy: pol });
      for (let i = 0; i < 3; i++) {
        await g.machine(l.license);
      }
      expectVerdict(
        await check(l.key),
        true,
        'TOO_MANY_MACHINES',
        'has too many associated machines',
      );
      await g.machine(l.license);
      expectVerdict(await check(l.key), false, 'TOO_MANY_MACHINES');
    });

    it('uses the license override of maxMachines', async () => {
      const pol = await g.policy(a.account, { strict: true, floating: true, maxMachines: 1 });
      const l = await g.license(a.account, { policy: pol, maxMachines: 3 });
      for (let i = 0; i < 3; i++) {
        await g.machine(l.license);
      }
      expectVerdict(await check(l.key), true, 'VALID');
    });

    it('a non-strict license with too many machines is valid', async () => {
      const l = await g.license(a.account);
      await g.machine(l.license);
      await g.machine(l.license);
      expectVerdict(await check(l.key), true, 'VALID');
    });

    it('counts PER_USER machines for the scoped user', async () => {
      const pol = await g.policy(a.account, {
        strict: true,
        floating: true,
        maxMachines: 1,
        machineLeasingStrategy: 'PER_USER',
      });
      const owner = await g.user(a.account);
      const l = await g.license(a.account, { policy: pol, owner: owner.user });
      await g.machine(l.license, { ownerId: owner.user.id });
      await g.machine(l.license);
      expectVerdict(await check(l.key, { user: owner.user.id }), true, 'VALID');
      await g.machine(l.license);
      expectVerdict(await check(l.key), false, 'TOO_MANY_MACHINES');
    });

    it('TOO_MANY_CORES, TOO_MUCH_MEMORY and TOO_MUCH_DISK from machine sums', async () => {
      const cases = [
        ['maxCores', 'cores', 4, 3, 'TOO_MANY_CORES', 'has too many associated machine cores'],
        [
          'maxMemory',
          'memory',
          4096,
          '3000',
          'TOO_MUCH_MEMORY',
          'has too much associated machine memory',
        ],
        ['maxDisk', 'disk', 1000, '600', 'TOO_MUCH_DISK', 'has too much associated machine disk'],
      ] as const;
      for (const [limit, column, max, each, code, detail] of cases) {
        const pol = await g.policy(a.account, {
          strict: true,
          floating: true,
          maxMachines: 5,
          [limit]: max,
        });
        const l = await g.license(a.account, { policy: pol });
        await g.machine(l.license, { [column]: each });
        expectVerdict(await check(l.key), true, 'VALID');
        await g.machine(l.license, { [column]: each });
        expectVerdict(await check(l.key), false, code, detail);
      }
    });

    it('TOO_MANY_PROCESSES per license and per machine', async () => {
      const perLicense = await g.policy(a.account, {
        strict: true,
        floating: true,
        maxMachines: 5,
        maxProcesses: 2,
        processLeasingStrategy: 'PER_LICENSE',
      });
      const l = await g.license(a.account, { policy: perLicense });
      const m1 = await g.machine(l.license);
      const m2 = await g.machine(l.license);
      await g.machineProcess(m1);
      await g.machineProcess(m2);
      expectVerdict(await check(l.key), true, 'VALID');
      await g.machineProcess(m2);
      expectVerdict(
        await check(l.key),
        false,
        'TOO_MANY_PROCESSES',
        'has too many associated processes',
      );

      const perMachine = await g.policy(a.account, { strict: true, maxProcesses: 1 });
      const pm = await g.license(a.account, { policy: perMachine });
      const m = await g.machine(pm.license);
      await g.machineProcess(m);
      await g.machineProcess(m);
      // PER_MACHINE without a machine or fingerprint scope never fails.
      expectVerdict(await check(pm.key), true, 'VALID');
      expectVerdict(
        await check(pm.key, { fingerprint: m.fingerprint }),
        false,
        'TOO_MANY_PROCESSES',
      );
      expectVerdict(await check(pm.key, { machine: m.id }), false, 'TOO_MANY_PROCESSES');
    });
  });

  describe('status and time', () => {
    it('BANNED owner, SUSPENDED, in that order', async () => {
      const banned = await g.user(a.account, { banned: true });
      const l = await g.license(a.account, { owner: banned.user, suspended: true });
      expectVerdict(await check(l.key), false, 'BANNED', 'is banned');
      const s = await g.license(a.account, { suspended: true });
      expectVerdict(await check(s.key), false, 'SUSPENDED', 'is suspended');
    });

    it('expired: REVOKE_ACCESS wins early; others after the machine checks', async () => {
      const expiry = minutesAgo(1);
      const results: Record<string, [boolean, string]> = {};
      for (const strategy of [
        'REVOKE_ACCESS',
        'RESTRICT_ACCESS',
        'MAINTAIN_ACCESS',
        'ALLOW_ACCESS',
      ]) {
        const pol = await g.policy(a.account, { strict: true, expirationStrategy: strategy });
        const l = await g.license(a.account, { policy: pol, expiry });
        const none = await check(l.key);
        results[`${strategy} no machine`] = [none.body.meta.valid, none.body.meta.code];
        await g.machine(l.license);
        const one = await check(l.key);
        results[`${strategy} one machine`] = [one.body.meta.valid, one.body.meta.code];
      }
      expect(results).toEqual({
        'REVOKE_ACCESS no machine': [false, 'EXPIRED'],
        'REVOKE_ACCESS one machine': [false, 'EXPIRED'],
        'RESTRICT_ACCESS no machine': [false, 'NO_MACHINE'],
        'RESTRICT_ACCESS one machine': [false, 'EXPIRED'],
        'MAINTAIN_ACCESS no machine': [false, 'NO_MACHINE'],
        'MAINTAIN_ACCESS one machine': [true, 'EXPIRED'],
        'ALLOW_ACCESS no machine': [false, 'NO_MACHINE'],
        'ALLOW_ACCESS one machine': [true, 'EXPIRED'],
      });
    });

    it('becomes EXPIRED when the clock passes the expiry', async () => {
      const expiry = new Date(t.clock.now().getTime() + 10 * MINUTE);
      const l = await g.license(a.account, { expiry });
      expectVerdict(await check(l.key), true, 'VALID');
      t.clock.advance(11 * MINUTE);
      expectVerdict(await check(l.key), false, 'EXPIRED', 'is expired');
    });

    it('OVERDUE once the check-in interval has passed', async () => {
      const pol = await g.policy(a.account, {
        requireCheckIn: true,
        checkInInterval: 'day',
        checkInIntervalCount: 1,
      });
      const l = await g.license(a.account, { policy: pol, lastCheckInAt: t.clock.now() });
      expectVerdict(await validateById(t, a.base, l.license.id, a.auth), true, 'VALID');
      t.clock.advance(25 * 60 * MINUTE);
      expectVerdict(
        await validateById(t, a.base, l.license.id, a.auth),
        false,
        'OVERDUE',
        'is overdue for check in',
      );
    });
  });

  describe('policy cache', () => {
    it('sees a policy update made through the API at once', async () => {
      const pol = await g.policy(a.account);
      const l = await g.license(a.account, { policy: pol });
      expectVerdict(await check(l.key), true, 'VALID');
      await t.http
        .patch(`${a.base}/policies/${pol.id}`)
        .set({ ...a.auth, 'Content-Type': 'application/vnd.api+json' })
        .send({ data: { type: 'policies', attributes: { requireProductScope: true } } })
        .expect(200);
      expectVerdict(await check(l.key), false, 'PRODUCT_SCOPE_REQUIRED');
    });
  });
});
