import { Machine, MachineComponent, MachineProcess } from '@app/modules/machines/machine.entity';
import { Token } from '@app/modules/tokens/token.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import { cast, expectForbidden, expectNotFound, lacks, type Cast } from './support';

describe('DELETE /v1/accounts/:account/machines/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const destroy = (id: string, auth: Record<string, string>) =>
    t.http.delete(`${c.a.base}/machines/${encodeURIComponent(id)}`).set(auth);
  const exists = async (id: string) => (await t.ds.getRepository(Machine).countBy({ id })) > 0;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());

  it('deactivates by fingerprint with its components and processes, emitting machine.deleted only', async () => {
    const m = await g.machine(c.license);
    await g.machineComponent(m, { fingerprint: 'c', name: 'c' });
    await g.machineProcess(m, { pid: '1' });
    const before = t.events.named('machine.deleted', c.a.id).length;
    const res = await destroy(m.fingerprint, c.roles.admin).expect(204);
    expect(res.text).toBe('');
    expect(await exists(m.id)).toBe(false);
    expect(await t.ds.getRepository(MachineComponent).countBy({ machineId: m.id })).toBe(0);
    expect(await t.ds.getRepository(MachineProcess).countBy({ machineId: m.id })).toBe(0);
    const events = t.events.named('machine.deleted', c.a.id);
    expect(events).toHaveLength(before + 1);
    expect(events[events.length - 1].resource.id).toBe(m.id);
    expect(t.events.named('component.deleted', c.a.id)).toHaveLength(0);
  });

  it('lets each allowed bearer deactivate', async () => {
    for (const auth of [
      c.roles.developer,
      c.roles['sales-agent'],
      c.product,
      c.licenseOwner.auth,
      c.licenseAuth,
      c.licenseKeyAuth,
    ]) {
      const m = await g.machine(c.license);
      await destroy(m.id, auth).expect(204);
    }
    const owned = await g.machine(c.license, { ownerId: c.licensee.user.id });
    await destroy(owned.id, c.licensee.auth).expect(204);
  });

  it('denies support agents, read-only users and licensees of others’ machines', async () => {
    const m = await g.machine(c.license);
    expectForbidden(await destroy(m.id, c.roles['support-agent']));
    expectForbidden(await destroy(m.id, c.roles['read-only']), lacks('read only'));
    expectForbidden(await destroy(m.id, c.licensee.auth));
    expectNotFound(await destroy(m.id, c.otherProduct), m.id);
    expectNotFound(await destroy(m.id, c.otherLicense.auth), m.id);
    expect(await exists(m.id)).toBe(true);
  });

  it('lets a license deactivate on a protected license, but not its owner', async () => {
    const p = await g.policy(c.a.account, { floating: true, protected: true });
    const owner = await g.user(c.a.account);
    const lic = await g.license(c.a.account, { policy: p, owner: owner.user });
    const m = await g.machine(lic.license);
    expectForbidden(await destroy(m.id, owner.auth));
    await destroy(m.id, lic.auth).expect(204);
  });

  it('counts a license token’s deactivations and stops at maxDeactivations', async () => {
    const lic = await g.license(c.a.account, { policy: c.policy });
    const tokens = t.ds.getRepository(Token);
    const tok = await tokens.findOneByOrFail({ bearerId: lic.license.id });
    await tokens.update({ id: tok.id }, { maxDeactivations: 1 });
    const one = await g.machine(lic.license);
    const two = await g.machine(lic.license);
    await destroy(one.id, lic.auth).expect(204);
    const res = await destroy(two.id, lic.auth);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        title: 'Unprocessable resource',
        detail: 'exceeds maximum allowed (1)',
        code: 'DEACTIVATIONS_LIMIT_EXCEEDED',
        source: { pointer: '/data/attributes/deactivations' },
        links: { about: 'https://keygen.sh/docs/api/tokens/#tokens-object-attrs-deactivations' },
      },
    ]);
    expect(await exists(two.id)).toBe(true);
    expect((await tokens.findOneByOrFail({ id: tok.id })).deactivations).toBe(1);
  });
});
