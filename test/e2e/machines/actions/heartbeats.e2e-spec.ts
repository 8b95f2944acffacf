import { License } from '@app/modules/licenses/license.entity';
import { Machine } from '@app/modules/machines/machine.entity';
import { MachinesRepository } from '@app/modules/machines/machines.repository';
import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import { activationDoc, cast, expectForbidden, expectNotFound, lacks, type Cast } from '../support';

describe('POST /v1/accounts/:account/machines/:id/actions/ping|reset', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  /** Posts the action (or its alias) on a machine by id or fingerprint. */
  const action =
    (name: string) =>
    (id: string, auth: Record<string, string>, alias = name) =>
      t.http.post(`${c.a.base}/machines/${encodeURIComponent(id)}/actions/${alias}`).set(auth);
  const ping = action('ping');
  const reset = action('reset');
  const show = (id: string) =>
    t.http.get(`${c.a.base}/machines/${id}`).set(c.roles.admin).expect(200);
  const count = (name: string, id: string) =>
    t.events.named(name, c.a.id).filter((e) => e.resource.id === id).length;
  const stored = (id: string) => t.ds.getRepository(Machine).findOneByOrFail({ id });

  async function machineOn(policy: Partial<Policy>) {
    const p = await g.policy(c.a.account, {
      floating: true,
      authenticationStrategy: 'MIXED',
      ...policy,
    });
    const lic = await g.license(c.a.account, { policy: p });
    const res = await t.http
      .post(`${c.a.base}/machines`)
      .set(c.roles.admin)
      .send(activationDoc(lic.license))
      .expect(201);
    return { id: res.body.data.id as string, license: lic };
  }

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  describe('ping', () => {
    it('starts monitoring a machine of a policy without heartbeats, emitting machine.heartbeat.ping', async () => {
      t.clock.freeze();
      const { id } = await machineOn({});
      expect((await show(id)).body.data.attributes).toMatchObject({
        requireHeartbeat: false,
        heartbeatStatus: 'NOT_STARTED',
      });
      const res = await ping(id, c.roles.admin).expect(200);
      const now = t.clock.now();
      expect(res.body.data.attributes).toMatchObject({
        requireHeartbeat: true,
        heartbeatStatus: 'ALIVE',
        heartbeatDuration: 600,
        lastHeartbeat: now.toISOString(),
        nextHeartbeat: new Date(now.getTime() + 600_000).toISOString(),
      });
      expect(count('machine.heartbeat.ping', id)).toBe(1);
      t.clock.advance(600_000);
      expect((await show(id)).body.data.attributes.heartbeatStatus).toBe('ALIVE');
      t.clock.advance(1);
      expect((await show(id)).body.data.attributes.heartbeatStatus).toBe('DEAD');
    });

    it('answers on the ping-heartbeat alias and by fingerprint', async () => {
      const { id } = await machineOn({});
      const m = await stored(id);
      await ping(m.fingerprint, c.roles.admin, 'ping-heartbeat').expect(200);
    });

    it('marks a never-pinged machine of a require-heartbeat policy DEAD after the duration', async () => {
      t.clock.freeze();
      const { id } = await machineOn({ requireHeartbeat: true, heartbeatDuration: 60 });
      expect((await show(id)).body.data.attributes).toMatchObject({
        requireHeartbeat: true,
        heartbeatStatus: 'NOT_STARTED',
      });
      t.clock.advance(61_000);
      expect((await show(id)).body.data.attributes.heartbeatStatus).toBe('DEAD');
      const res = await ping(id, c.roles.admin);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { title: 'Unprocessable entity', detail: 'is dead', code: 'MACHINE_HEARTBEAT_DEAD' },
      ]);
      expect(count('machine.heartbeat.ping', id)).toBe(0);
    });

    it('refuses a dead machine under NO_REVIVE and changes nothing', async () => {
      t.clock.freeze();
      const { id } = await machineOn({ heartbeatDuration: 60 });
      await ping(id, c.roles.admin).expect(200);
      const before = await stored(id);
      t.clock.advance(61_000);
      expect((await ping(id, c.roles.admin)).status).toBe(422);
      expect((await stored(id)).lastHeartbeatAt).toEqual(before.lastHeartbeatAt);
    });

    it('resurrects within the window once, then pings', async () => {
      t.clock.freeze();
      const { id } = await machineOn({
        heartbeatDuration: 60,
        heartbeatResurrectionStrategy: '1_MINUTE_REVIVE',
      });
      await ping(id, c.roles.admin).expect(200);
      await t.ds.getRepository(Machine).update({ id }, { lastDeathEventSentAt: t.clock.now() });
      // Dead after D (60 s); revivable until D + W (120 s) after the last ping, inclusive.
      t.clock.advance(120_000);
      const res = await ping(id, c.roles.admin).expect(200);
      expect(res.body.data.attributes.heartbeatStatus).toBe('RESURRECTED');
      expect(count('machine.heartbeat.resurrected', id)).toBe(1);
      expect((await stored(id)).lastDeathEventSentAt).toBeNull();
      expect((await show(id)).body.data.attributes.heartbeatStatus).toBe('ALIVE');
      await ping(id, c.roles.admin).expect(200);
      expect(count('machine.heartbeat.resurrected', id)).toBe(1);
      expect(count('machine.heartbeat.ping', id)).toBe(2);
    });

    it('refuses once the resurrection window has passed', async () => {
      t.clock.freeze();
      const { id } = await machineOn({
        heartbeatDuration: 60,
        heartbeatResurrectionStrategy: '1_MINUTE_REVIVE',
      });
      await ping(id, c.roles.admin).expect(200);
      t.clock.advance(120_001);
      expect((await ping(id, c.roles.admin)).status).toBe(422);
    });

    it('always revives under ALWAYS_REVIVE, even a never-pinged machine', async () => {
      t.clock.freeze();
      const { id } = await machineOn({
        requireHeartbeat: true,
        heartbeatDuration: 60,
        heartbeatResurrectionStrategy: 'ALWAYS_REVIVE',
        heartbeatCullStrategy: 'KEEP_DEAD',
      });
      t.clock.advance(365 * 24 * 3600 * 1000);
      const res = await ping(id, c.roles.admin).expect(200);
      expect(res.body.data.attributes.heartbeatStatus).toBe('RESURRECTED');
    });

    it('resurrects exactly once under concurrent pings', async () => {
      t.clock.freeze();
      const { id } = await machineOn({
        heartbeatDuration: 60,
        heartbeatResurrectionStrategy: '5_MINUTE_REVIVE',
      });
      await ping(id, c.roles.admin).expect(200);
      t.clock.advance(120_000);
      const results = await Promise.all(Array.from({ length: 5 }, () => ping(id, c.roles.admin)));
      const statuses = results.map((r) => r.body.data.attributes.heartbeatStatus as string);
      expect(statuses.filter((s) => s === 'RESURRECTED')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'ALIVE')).toHaveLength(4);
      expect(count('machine.heartbeat.resurrected', id)).toBe(1);
    });

    it('lets admins, developers, environments, products, owners and the license ping', async () => {
      const m = await g.machine(c.license, { ownerId: c.licensee.user.id });
      for (const auth of [
        c.roles.admin,
        c.roles.developer,
        c.product,
        c.licenseOwner.auth,
        c.licensee.auth,
        c.licenseAuth,
        c.licenseKeyAuth,
      ]) {
        await ping(m.id, auth).expect(200);
      }
    });

    it('denies sales agents, support agents, read-only and other bearers', async () => {
      const m = await g.machine(c.license);
      expectForbidden(await ping(m.id, c.roles['sales-agent']));
      expectForbidden(await ping(m.id, c.roles['support-agent']));
      expectForbidden(await ping(m.id, c.roles['read-only']), lacks('read only'));
      expectForbidden(await ping(m.id, c.licensee.auth));
      expectNotFound(await ping(m.id, c.otherProduct), m.id);
      expectNotFound(await ping(m.id, c.stranger.auth), m.id);
      expectNotFound(await ping(m.id, c.otherLicense.auth), m.id);
    });

    it('denies users of a protected license but not the license', async () => {
      const p = await g.policy(c.a.account, { floating: true, protected: true });
      const owner = await g.user(c.a.account);
      const lic = await g.license(c.a.account, { policy: p, owner: owner.user });
      const m = await g.machine(lic.license);
      expectForbidden(await ping(m.id, owner.auth));
      await ping(m.id, lic.auth).expect(200);
    });
  });

  describe('repeated pings (one round trip once the machine is known)', () => {
    /** Spies on the one-statement ping; `calls()` lists whether each applied. */
    function fastPings() {
      const repo = t.app.get(MachinesRepository);
      const spy = jest.spyOn(repo, 'pingIfUnchanged');
      return {
        applied: async () =>
          Promise.all(spy.mock.results.map((r) => r.value)).then((vs) => vs.map((v) => v !== null)),
        restore: () => spy.mockRestore(),
      };
    }

    it('answers a second ping like the first, with one statement', async () => {
      t.clock.freeze();
      const lic = await g.license(c.a.account, { policy: c.policy });
      const m = await g.machine(lic.license);
      const fast = fastPings();
      try {
        const first = await ping(m.fingerprint, lic.auth).expect(200);
        t.clock.advance(5_000);
        const second = await ping(m.fingerprint, lic.auth).expect(200);
        expect(await fast.applied()).toEqual([true]);
        const now = t.clock.now().toISOString();
        expect(second.body.data.attributes).toEqual({
          ...first.body.data.attributes,
          lastHeartbeat: now,
          nextHeartbeat: new Date(t.clock.now().getTime() + 600_000).toISOString(),
          updated: now,
        });
        expect(second.body.data.relationships).toEqual(first.body.data.relationships);
        expect((await stored(m.id)).lastHeartbeatAt).toEqual(t.clock.now());
        expect(count('machine.heartbeat.ping', m.id)).toBe(2);
      } finally {
        fast.restore();
      }
    });

    it("lets a license's other machines ping in one statement, unless their facts differ", async () => {
      t.clock.freeze();
      const lic = await g.license(c.a.account, { policy: c.policy });
      const [a, b, owned] = [
        await g.machine(lic.license),
        await g.machine(lic.license),
        await g.machine(lic.license, { ownerId: c.stranger.user.id }),
      ];
      await ping(a.id, lic.auth).expect(200);
      const fast = fastPings();
      try {
        const res = await ping(b.fingerprint, lic.auth).expect(200);
        expect(res.body.data.id).toBe(b.id);
        expect(res.body.data.attributes).toMatchObject({
          heartbeatStatus: 'ALIVE',
          lastHeartbeat: t.clock.now().toISOString(),
        });
        await ping(owned.id, lic.auth).expect(200);
        expect(await fast.applied()).toEqual([true, false]);
      } finally {
        fast.restore();
      }
      expect((await stored(owned.id)).lastHeartbeatAt).toEqual(t.clock.now());
    });

    it('refuses a never-pinged machine that is already DEAD, like the first ping', async () => {
      t.clock.freeze();
      const p = await g.policy(c.a.account, {
        floating: true,
        requireHeartbeat: true,
        heartbeatDuration: 60,
      });
      const lic = await g.license(c.a.account, { policy: p });
      const old = await g.machine(lic.license);
      t.clock.advance(61_000);
      const fresh = await g.machine(lic.license);
      await ping(fresh.id, lic.auth).expect(200);
      const res = await ping(old.id, lic.auth);
      expect(res.status).toBe(422);
      expect(res.body.errors[0].code).toBe('MACHINE_HEARTBEAT_DEAD');
      expect((await stored(old.id)).lastHeartbeatAt).toBeNull();
    });

    it('denies a user whose grant the machine lost since the last ping, writing nothing', async () => {
      t.clock.freeze();
      const owner = await g.user(c.a.account);
      const lic = await g.license(c.a.account, { policy: c.policy, owner: owner.user });
      const m = await g.machine(lic.license);
      await ping(m.id, owner.auth).expect(200);
      const before = (await stored(m.id)).lastHeartbeatAt;
      await t.ds.getRepository(License).update({ id: lic.license.id }, { protected: true });
      t.clock.advance(5_000);
      const fast = fastPings();
      try {
        expectForbidden(await ping(m.id, owner.auth));
        expect(await fast.applied()).toEqual([false]);
      } finally {
        fast.restore();
      }
      expect((await stored(m.id)).lastHeartbeatAt).toEqual(before);
      await ping(m.id, lic.auth).expect(200);
    });

    it('refuses a machine that died since its last ping', async () => {
      t.clock.freeze();
      const { id, license } = await machineOn({ heartbeatDuration: 60 });
      await ping(id, license.auth).expect(200);
      t.clock.advance(60_000);
      await ping(id, license.auth).expect(200);
      const before = (await stored(id)).lastHeartbeatAt;
      t.clock.advance(60_001);
      const res = await ping(id, license.auth);
      expect(res.status).toBe(422);
      expect(res.body.errors[0].code).toBe('MACHINE_HEARTBEAT_DEAD');
      expect((await stored(id)).lastHeartbeatAt).toEqual(before);
    });

    it('pings the machine now holding a fingerprint, not the one it remembers', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy });
      const old = await g.machine(lic.license);
      await ping(old.fingerprint, lic.auth).expect(200);
      await t.http.delete(`${c.a.base}/machines/${old.id}`).set(c.roles.admin).expect(204);
      const res = await t.http
        .post(`${c.a.base}/machines`)
        .set(c.roles.admin)
        .send(activationDoc(lic.license, { fingerprint: old.fingerprint }))
        .expect(201);
      const pinged = await ping(old.fingerprint, lic.auth).expect(200);
      expect(pinged.body.data.id).toBe(res.body.data.id);
      await ping(old.fingerprint, lic.auth).expect(200);
      expect(count('machine.heartbeat.ping', res.body.data.id)).toBe(2);
    });

    it('keeps answering 404 for a machine culled since its last ping', async () => {
      const lic = await g.license(c.a.account, { policy: c.policy });
      const m = await g.machine(lic.license);
      await ping(m.id, lic.auth).expect(200);
      await t.ds.getRepository(Machine).delete({ id: m.id });
      expectNotFound(await ping(m.id, lic.auth), m.id);
    });
  });

  describe('reset', () => {
    it('clears the heartbeat and emits machine.heartbeat.reset', async () => {
      const { id } = await machineOn({});
      await ping(id, c.roles.admin).expect(200);
      await t.ds.getRepository(Machine).update({ id }, { lastDeathEventSentAt: t.clock.now() });
      const res = await reset(id, c.roles.admin).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        requireHeartbeat: false,
        heartbeatStatus: 'NOT_STARTED',
        lastHeartbeat: null,
        nextHeartbeat: null,
      });
      expect(count('machine.heartbeat.reset', id)).toBe(1);
      const row = await stored(id);
      expect(row.lastHeartbeatAt).toBeNull();
      expect(row.lastDeathEventSentAt).not.toBeNull();
    });

    it('leaves an old machine of a require-heartbeat policy DEAD', async () => {
      t.clock.freeze();
      const { id } = await machineOn({ requireHeartbeat: true, heartbeatDuration: 60 });
      await ping(id, c.roles.admin).expect(200);
      t.clock.advance(120_000);
      const res = await reset(id, c.roles.admin, 'reset-heartbeat').expect(200);
      expect(res.body.data.attributes).toMatchObject({
        requireHeartbeat: true,
        heartbeatStatus: 'DEAD',
      });
    });

    it('is for staff writers and products only', async () => {
      const m = await g.machine(c.license, { ownerId: c.licenseOwner.user.id });
      for (const auth of [c.roles.admin, c.roles.developer, c.roles['sales-agent'], c.product]) {
        await reset(m.id, auth).expect(200);
      }
      expectForbidden(await reset(m.id, c.roles['support-agent']));
      expectForbidden(await reset(m.id, c.licenseOwner.auth), lacks('user'));
      expectForbidden(await reset(m.id, c.licenseAuth), lacks('license'));
    });
  });
});
