import { MachineComponent } from '@app/modules/machines/machine.entity';
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
} from '../processes/support';

/** DELETE /v1/accounts/:account/components/:id (spec 03 §2.1, §2.6). */
describe('DELETE /v1/accounts/:account/components/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;

  const destroy = (id: string, auth: Record<string, string>, base = c.a.base) =>
    t.http.delete(`${base}/components/${id}`).set(auth);
  const exists = async (id: string) =>
    (await t.ds.getRepository(MachineComponent).countBy({ id })) > 0;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
  });
  afterAll(() => t.close());

  it('follows the route table (§2.1)', async () => {
    const got = await statuses(c.auth, async (auth) =>
      destroy((await g.machineComponent(c.machine)).id, auth),
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

  it('emits component.deleted and deletes; 204 with no body', async () => {
    const comp = await g.machineComponent(c.machine);
    const res = await destroy(comp.id, c.auth.product);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await exists(comp.id)).toBe(false);
    expect(
      t.events.named('component.deleted', c.a.id).filter((e) => e.resource.id === comp.id),
    ).toHaveLength(1);
    expectNotFound(await destroy(comp.id, c.auth.admin), 'machine component', comp.id);
  });

  it('denies users on a protected license, but not the license itself', async () => {
    const p = await cast(t, { protected: true });
    const comp = await g.machineComponent(p.machine);
    expectForbidden(await destroy(comp.id, p.auth.machineOwner, p.a.base));
    await destroy(comp.id, p.auth.license, p.a.base).expect(204);
  });

  it('goes silently with its machine', async () => {
    const m = await g.machine(c.license);
    const comp = await g.machineComponent(m);
    const before = t.events.named('component.deleted', c.a.id).length;
    await t.http.delete(`${c.a.base}/machines/${m.id}`).set(c.auth.admin).expect(204);
    expect(await exists(comp.id)).toBe(false);
    expect(t.events.named('component.deleted', c.a.id)).toHaveLength(before);
  });

  it('lets an environment delete its own, not a global one from a shared environment', async () => {
    const iso = await environmentCast(t, c.a);
    const own = await g.machineComponent(iso.machine);
    await destroy(own.id, iso.auth).expect(204);
    const global = await g.machineComponent(c.machine);
    expect((await destroy(global.id, iso.auth)).status).toBe(404);
    const shared = await environmentCast(t, c.a, 'SHARED');
    expectForbidden(await destroy(global.id, shared.auth), RECORD_ENV);
  });
});
