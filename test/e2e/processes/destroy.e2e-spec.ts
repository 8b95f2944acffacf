import { MachineProcess } from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import {
  cast,
  environmentCast,
  expectForbidden,
  expectNotFound,
  RECORD_ENV,
  statuses,
  type Cast,
} from './support';

/** DELETE /v1/accounts/:account/processes/:id — kill (spec 03 §3.1, §3.5). */
describe('DELETE /v1/accounts/:account/processes/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const kill = (id: string, auth: Record<string, string>, base = c.a.base) =>
    t.http.delete(`${base}/processes/${id}`).set(auth);
  const exists = async (id: string) =>
    (await t.ds.getRepository(MachineProcess).countBy({ id })) > 0;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());

  it('follows the route table (§3.1)', async () => {
    const got = await statuses(c.auth, async (auth) =>
      kill((await g.machineProcess(c.machine)).id, auth),
    );
    expect(got).toEqual({
      admin: 204,
      developer: 204,
      'sales-agent': 204,
      'support-agent': 403,
      'read-only': 403,
      product: 204,
      otherProduct: 404,
      licenseOwner: 204,
      machineOwner: 204,
      licensee: 403,
      stranger: 404,
      license: 204,
      licenseKey: 204,
      otherLicense: 404,
    });
  });

  it('emits process.deleted, then deletes; 204 with no body', async () => {
    const p = await g.machineProcess(c.machine);
    const res = await kill(p.id, c.auth.license);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await exists(p.id)).toBe(false);
    expect(
      t.events.named('process.deleted', c.a.id).filter((e) => e.resource.id === p.id),
    ).toHaveLength(1);
    expectNotFound(await kill(p.id, c.auth.admin), 'machine process', p.id);
  });

  it('denies users on a protected license, but not the license itself', async () => {
    const pc = await cast(t, { protected: true });
    const p = await g.machineProcess(pc.machine);
    expectForbidden(await kill(p.id, pc.auth.licenseOwner, pc.a.base));
    await kill(p.id, pc.auth.license, pc.a.base).expect(204);
  });

  it('goes silently with its machine', async () => {
    const m = await g.machine(c.license);
    const p = await g.machineProcess(m);
    const before = t.events.named('process.deleted', c.a.id).length;
    await t.http.delete(`${c.a.base}/machines/${m.id}`).set(c.auth.admin).expect(204);
    expect(await exists(p.id)).toBe(false);
    expect(t.events.named('process.deleted', c.a.id)).toHaveLength(before);
  });

  it('lets an environment delete its own, not a global one from a shared environment', async () => {
    const iso = await environmentCast(t, c.a);
    const own = await g.machineProcess(iso.machine);
    await kill(own.id, iso.auth).expect(204);
    const global = await g.machineProcess(c.machine);
    expect((await kill(global.id, iso.auth)).status).toBe(404);
    const shared = await environmentCast(t, c.a, 'SHARED');
    expectForbidden(await kill(global.id, shared.auth), RECORD_ENV);
  });
});
