import { MachineComponent } from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import {
  cast,
  environmentCast,
  expectBadRequest,
  expectForbidden,
  expectNotFound,
  expectUnprocessable,
  modelError,
  RECORD_ENV,
  ROUTE_TABLE,
  statuses,
  type Cast,
} from '../machines/children-support';

/** PATCH /v1/accounts/:account/components/:id (spec 03 §2.1–2.2). */
describe('PATCH /v1/accounts/:account/components/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;
  let comp: MachineComponent;

  const patch = (
    id: string,
    auth: Record<string, string>,
    attributes: Record<string, unknown> = { name: 'Renamed' },
    base = c.a.base,
  ) =>
    t.http
      .patch(`${base}/components/${id}`)
      .set(auth)
      .send({ data: { type: 'components', id, attributes } });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
    comp = await g.machineComponent(c.machine, { name: 'GPU' });
  });
  afterAll(() => t.close());

  it('follows the route table (§2.1)', async () => {
    const got = await statuses(c.auth, (auth, who) => patch(comp.id, auth, { name: `by ${who}` }));
    expect(got).toEqual(ROUTE_TABLE.update);
  });

  it('renames, replaces metadata, and emits component.updated with the diff', async () => {
    const before = t.events.named('component.updated', c.a.id).length;
    t.clock.advance(1000);
    try {
      const res = await patch(comp.id, c.auth.admin, {
        name: 'GPU 2',
        metadata: { vramGb: 24 },
      }).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        fingerprint: comp.fingerprint,
        name: 'GPU 2',
        metadata: { vramGb: 24 },
      });
      expect(res.body.data.attributes.updated).not.toBe(res.body.data.attributes.created);
    } finally {
      t.clock.reset();
    }
    const stored = await t.ds.getRepository(MachineComponent).findOneByOrFail({ id: comp.id });
    expect(stored).toMatchObject({ name: 'GPU 2', metadata: { vram_gb: 24 } });
    const events = t.events.named('component.updated', c.a.id).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0].changes).toMatchObject({ name: [expect.any(String), 'GPU 2'] });
  });

  it('never changes the fingerprint, and metadata only for staff, products and environments', async () => {
    expectBadRequest(
      await patch(comp.id, c.auth.admin, { fingerprint: 'new' }),
      'unpermitted parameter',
      '/data/attributes/fingerprint',
    );
    expectBadRequest(
      await patch(comp.id, c.auth.license, { metadata: { a: 1 } }),
      'unpermitted parameter',
      '/data/attributes/metadata',
    );
    expectBadRequest(
      await patch(comp.id, c.auth.machineOwner, { metadata: { a: 1 } }),
      'unpermitted parameter',
      '/data/attributes/metadata',
    );
    await patch(comp.id, c.auth['support-agent'], { metadata: { a: 1 } }).expect(200);
    await patch(comp.id, c.auth.product, { metadata: { a: 2 } }).expect(200);
  });

  it('checks 404 and 403 before the body', async () => {
    expectForbidden(await patch(comp.id, c.auth.licensee, { fingerprint: 'x' }));
    expectNotFound(
      await patch(comp.id, c.auth.stranger, { fingerprint: 'x' }),
      comp.id,
      'machine component',
    );
  });

  it('400s on a blank name, 422 on a long one', async () => {
    expectBadRequest(
      await patch(comp.id, c.auth.admin, { name: '' }),
      'cannot be blank',
      '/data/attributes/name',
    );
    expectUnprocessable(
      await patch(comp.id, c.auth.admin, { name: 'n'.repeat(256) }),
      modelError(
        'components',
        'NAME_TOO_LONG',
        'is too long (maximum is 255 characters)',
        '/data/attributes/name',
      ),
    );
  });

  it('denies users on a protected license, but not the license itself', async () => {
    const p = await cast(t, { protected: true });
    const pc = await g.machineComponent(p.machine);
    expectForbidden(await patch(pc.id, p.auth.licenseOwner, { name: 'x' }, p.a.base));
    await patch(pc.id, p.auth.license, { name: 'x' }, p.a.base).expect(200);
  });

  it('lets an environment update its components, not global ones from a shared environment', async () => {
    const iso = await environmentCast(t, c.a);
    const ic = await g.machineComponent(iso.machine);
    await patch(ic.id, iso.auth, { metadata: { env: true } }).expect(200);
    const shared = await environmentCast(t, c.a, 'SHARED');
    expectForbidden(await patch(comp.id, shared.auth, { name: 'x' }), RECORD_ENV);
  });
});
