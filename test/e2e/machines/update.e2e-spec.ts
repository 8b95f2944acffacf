import { Machine } from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import {
  cast,
  expectBadRequest,
  expectForbidden,
  expectNotFound,
  expectUnprocessable,
  machineError,
  type Cast,
} from './support';

describe('PATCH /v1/accounts/:account/machines/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const patch = (id: string, attributes: Record<string, unknown>, auth: Record<string, string>) =>
    t.http
      .patch(`${c.a.base}/machines/${encodeURIComponent(id)}`)
      .set(auth)
      .send({ data: { type: 'machines', attributes } });
  const stored = (id: string) => t.ds.getRepository(Machine).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('updates every attribute as an admin and emits machine.updated with a diff', async () => {
      const m = await g.machine(c.license, { name: 'old' });
      const res = await patch(
        m.fingerprint,
        {
          name: 'new',
          ip: '1.2.3.4',
          hostname: 'h',
          platform: 'mac',
          cores: 4,
          memory: 2048,
          disk: 4096,
          metadata: { fooBar: 1 },
        },
        c.roles.admin,
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        name: 'new',
        ip: '1.2.3.4',
        hostname: 'h',
        platform: 'mac',
        cores: 4,
        memory: 2048,
        disk: 4096,
        metadata: { fooBar: 1 },
      });
      expect(await stored(m.id)).toMatchObject({
        name: 'new',
        memory: '2048',
        metadata: { foo_bar: 1 },
      });
      const ev = t.events.named('machine.updated', c.a.id).pop();
      expect(ev?.changes).toMatchObject({ name: ['old', 'new'] });
    });

    it('lets support agents, products, owners and the license rename', async () => {
      const m = await g.machine(c.license, { ownerId: c.licensee.user.id });
      for (const auth of [
        c.roles['support-agent'],
        c.roles.developer,
        c.roles['sales-agent'],
        c.product,
        c.licenseOwner.auth,
        c.licensee.auth,
        c.licenseAuth,
        c.licenseKeyAuth,
      ]) {
        await patch(m.id, { name: 'renamed' }, auth).expect(200);
      }
    });

    it('keeps 64-bit memory exact', async () => {
      const m = await g.machine(c.license);
      const res = await t.http
        .patch(`${c.a.base}/machines/${m.id}`)
        .set({ ...c.roles.admin, 'Content-Type': 'application/vnd.api+json' })
        .send('{"data":{"type":"machines","attributes":{"memory":9223372036854775807}}}')
        .expect(200);
      expect(res.text).toContain('"memory":9223372036854775807');
      expect((await stored(m.id)).memory).toBe('9223372036854775807');
    });
  });

  describe('403 before 400', () => {
    it('denies read-only, other products, strangers and other licenses', async () => {
      const m = await g.machine(c.license);
      expectForbidden(
        await patch(m.id, { name: 'x' }, c.roles['read-only']),
        'You do not have permission to complete the request (read only lacks permission to perform action)',
      );
      expectNotFound(await patch(m.id, { name: 'x' }, c.otherProduct), m.id);
      expectNotFound(await patch(m.id, { name: 'x' }, c.stranger.auth), m.id);
    });

    it('denies a licensee who does not own the machine', async () => {
      const m = await g.machine(c.license);
      expectForbidden(await patch(m.id, { name: 'x' }, c.licensee.auth));
    });

    it('denies users and the license on a protected license, even with a forbidden attribute', async () => {
      const p = await g.policy(c.a.account, {
        floating: true,
        protected: true,
        authenticationStrategy: 'MIXED',
      });
      const owner = await g.user(c.a.account);
      const lic = await g.license(c.a.account, { policy: p, owner: owner.user });
      const m = await g.machine(lic.license);
      expectForbidden(await patch(m.id, { cores: 2 }, lic.auth));
      expectForbidden(await patch(m.id, { name: 'x' }, owner.auth));
    });

    it('rejects hardware and metadata from users and licenses, fingerprints from everyone', async () => {
      const m = await g.machine(c.license);
      for (const attr of ['cores', 'memory', 'disk', 'metadata'] as const) {
        const value = attr === 'metadata' ? {} : 1;
        expectBadRequest(
          await patch(m.id, { [attr]: value }, c.licenseAuth),
          'unpermitted parameter',
          `/data/attributes/${attr}`,
        );
        expectBadRequest(
          await patch(m.id, { [attr]: value }, c.licenseOwner.auth),
          'unpermitted parameter',
          `/data/attributes/${attr}`,
        );
        expectBadRequest(
          await patch(m.id, { [attr]: value }, c.roles['support-agent']),
          'unpermitted parameter',
          `/data/attributes/${attr}`,
        );
      }
      expectBadRequest(
        await patch(m.id, { fingerprint: 'x' }, c.roles.admin),
        'unpermitted parameter',
        '/data/attributes/fingerprint',
      );
      const rel = await t.http
        .patch(`${c.a.base}/machines/${m.id}`)
        .set(c.roles.admin)
        .send({
          data: { type: 'machines', attributes: {}, relationships: { group: { data: null } } },
        });
      expectBadRequest(rel, 'unpermitted parameter', '/data/relationships');
    });
  });

  describe('422', () => {
    it('re-checks the core limit on any update, even a rename', async () => {
      const p = await g.policy(c.a.account, { floating: true, maxCores: 4 });
      const lic = await g.license(c.a.account, { policy: p });
      const m = await g.machine(lic.license, { cores: 8 });
      expectUnprocessable(
        await patch(m.id, { name: 'x' }, c.roles.admin),
        machineError(
          'MACHINE_CORE_LIMIT_EXCEEDED',
          'machine core count has exceeded maximum allowed for license (4)',
          '/data',
        ),
      );
      await patch(m.id, { cores: 4 }, c.roles.admin).expect(200);
      expectUnprocessable(
        await patch(m.id, { cores: 0 }, c.roles.admin),
        machineError(
          'CORES_INVALID',
          'must be greater than or equal to 1',
          '/data/attributes/cores',
        ),
      );
    });
  });
});
