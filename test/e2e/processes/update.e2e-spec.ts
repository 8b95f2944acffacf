import { MachineProcess } from '@app/modules/machines/machine.entity';
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
  ROUTE_TABLE,
  statuses,
  type Cast,
} from '../machines/children-support';

/** PATCH /v1/accounts/:account/processes/:id (spec 03 §3.2, §3.5). */
describe('PATCH /v1/accounts/:account/processes/:id', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;
  let proc: MachineProcess;

  const patch = (
    id: string,
    auth: Record<string, string>,
    attributes: Record<string, unknown> = {},
    base = c.a.base,
  ) =>
    t.http
      .patch(`${base}/processes/${id}`)
      .set(auth)
      .send({ data: { type: 'processes', id, attributes } });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
    proc = await g.machineProcess(c.machine);
  });
  afterAll(() => t.close());

  it('follows the route table (§3.1) with an empty attributes object', async () => {
    const got = await statuses(c.auth, (auth) => patch(proc.id, auth));
    expect(got).toEqual(ROUTE_TABLE.update);
  });

  it('replaces metadata for staff and products, with process.updated and its diff', async () => {
    const before = t.events.named('process.updated', c.a.id).length;
    const res = await patch(proc.id, c.auth['support-agent'], {
      metadata: { nodeId: 'n1' },
    }).expect(200);
    expect(res.body.data.attributes.metadata).toEqual({ nodeId: 'n1' });
    const res2 = await patch(proc.id, c.auth.product, { metadata: { other: true } }).expect(200);
    expect(res2.body.data.attributes.metadata).toEqual({ other: true });
    const stored = await t.ds.getRepository(MachineProcess).findOneByOrFail({ id: proc.id });
    expect(stored.metadata).toEqual({ other: true });
    const events = t.events.named('process.updated', c.a.id).slice(before);
    expect(events).toHaveLength(2);
    expect(events[1].changes).toEqual({ metadata: [{ node_id: 'n1' }, { other: true }] });
  });

  it('still emits process.updated when nothing changed, leaving `updated` alone', async () => {
    const fresh = await g.machineProcess(c.machine);
    const before = t.events.named('process.updated', c.a.id).length;
    t.clock.advance(5000);
    try {
      const res = await patch(fresh.id, c.auth.licenseOwner).expect(200);
      expect(res.body.data.attributes.updated).toBe(fresh.updatedAt.toISOString());
    } finally {
      t.clock.reset();
    }
    expect(t.events.named('process.updated', c.a.id)).toHaveLength(before + 1);
  });

  it('400s on metadata from users and licenses, and on pid from anyone', async () => {
    expectBadRequest(
      await patch(proc.id, c.auth.license, { metadata: { a: 1 } }),
      'unpermitted parameter',
      '/data/attributes/metadata',
    );
    expectBadRequest(
      await patch(proc.id, c.auth.licenseOwner, { metadata: { a: 1 } }),
      'unpermitted parameter',
      '/data/attributes/metadata',
    );
    expectBadRequest(
      await patch(proc.id, c.auth.admin, { pid: '2' }),
      'unpermitted parameter',
      '/data/attributes/pid',
    );
  });

  it('authorizes before it validates: 403 for a licensee sending metadata, 404 out of reach', async () => {
    expectForbidden(await patch(proc.id, c.auth.licensee, { metadata: { a: 1 } }));
    expectNotFound(
      await patch(proc.id, c.auth.otherLicense, { pid: 'x' }),
      proc.id,
      'machine process',
    );
  });

  it('422s on metadata that is too large', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
    expectUnprocessable(
      await patch(proc.id, c.auth.admin, { metadata }),
      modelError(
        'processes',
        'METADATA_TOO_LONG',
        'too many keys (exceeded limit of 64 keys)',
        '/data/attributes/metadata',
      ),
    );
  });

  it('denies users on a protected license, but not the license itself', async () => {
    const p = await cast(t, { protected: true });
    const pp = await g.machineProcess(p.machine);
    expectForbidden(await patch(pp.id, p.auth.licenseOwner, {}, p.a.base));
    expectForbidden(await patch(pp.id, p.auth.machineOwner, {}, p.a.base));
    await patch(pp.id, p.auth.license, {}, p.a.base).expect(200);
  });

  it('lets an environment update its own process', async () => {
    const env = await environmentCast(t, c.a);
    const ep = await g.machineProcess(env.machine);
    const res = await patch(ep.id, env.auth, { metadata: { name: 'Isolated Process' } }).expect(
      200,
    );
    expect(res.body.data.attributes.metadata).toEqual({ name: 'Isolated Process' });
  });

  it('accepts PUT like PATCH', async () => {
    const res = await t.http
      .put(`${c.a.base}/processes/${proc.id}`)
      .set(c.auth.admin)
      .send({ data: { type: 'processes', attributes: { metadata: { via: 'put' } } } })
      .expect(200);
    expect(res.body.data.attributes.metadata).toEqual({ via: 'put' });
  });

  it('401s without credentials', async () => {
    expect((await patch(proc.id, {})).status).toBe(401);
  });
});
