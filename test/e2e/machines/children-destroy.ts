import {
  MachineComponent,
  MachineProcess,
  type Machine,
} from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import {
  cast,
  environmentCast,
  expectForbidden,
  expectNotFound,
  RECORD_ENV,
  ROUTE_TABLE,
  statuses,
  type Cast,
  type Who,
} from './children-support';

type Given = ReturnType<typeof given>;

/** What differs between deleting a machine's components and its processes. */
export interface DestroyedChild {
  type: 'components' | 'processes';
  /** Keygen's model name in the 404 detail. */
  model: string;
  /** The event prefix: `<event>.deleted`. */
  event: string;
  entity: typeof MachineComponent | typeof MachineProcess;
  /** A row on `machine` straight through the factories. */
  make: (g: Given, machine: Machine) => Promise<{ id: string }>;
  /** The spec section of the route table. */
  section: string;
  /** Who deletes in the event test. */
  deleter: Who;
  /** The user denied on a protected license. */
  protectedUser: Who;
}

export const COMPONENTS = {
  type: 'components',
  model: 'machine component',
  event: 'component',
  entity: MachineComponent,
  make: (g: Given, machine: Machine) => g.machineComponent(machine),
  section: '§2.1',
} as const;

export const PROCESSES = {
  type: 'processes',
  model: 'machine process',
  event: 'process',
  entity: MachineProcess,
  make: (g: Given, machine: Machine) => g.machineProcess(machine),
  section: '§3.1',
} as const;

/** DELETE /v1/accounts/:account/{components|processes}/:id: the same rules for both. */
export function describeDestroy(kind: DestroyedChild): void {
  describe(`DELETE /v1/accounts/:account/${kind.type}/:id`, () => {
    let t: TestApp;
    let g: Given;
    let c: Cast;

    const destroy = (id: string, auth: Record<string, string>, base = c.a.base) =>
      t.http.delete(`${base}/${kind.type}/${id}`).set(auth);
    const exists = async (id: string) =>
      (await t.ds.getRepository(kind.entity).countBy({ id })) > 0;
    const deleted = () => t.events.named(`${kind.event}.deleted`, c.a.id);

    beforeAll(async () => {
      t = await bootApp();
      g = given(t);
      c = await cast(t);
    });
    afterAll(() => t.close());

    it(`follows the route table (${kind.section})`, async () => {
      const got = await statuses(c.auth, async (auth) =>
        destroy((await kind.make(g, c.machine)).id, auth),
      );
      expect(got).toEqual(ROUTE_TABLE.destroy);
    });

    it(`emits ${kind.event}.deleted and deletes; 204 with no body`, async () => {
      const child = await kind.make(g, c.machine);
      const res = await destroy(child.id, c.auth[kind.deleter]);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await exists(child.id)).toBe(false);
      expect(deleted().filter((e) => e.resource.id === child.id)).toHaveLength(1);
      expectNotFound(await destroy(child.id, c.auth.admin), child.id, kind.model);
    });

    it('denies users on a protected license, but not the license itself', async () => {
      const p = await cast(t, { protected: true });
      const child = await kind.make(g, p.machine);
      expectForbidden(await destroy(child.id, p.auth[kind.protectedUser], p.a.base));
      await destroy(child.id, p.auth.license, p.a.base).expect(204);
    });

    it('goes silently with its machine', async () => {
      const m = await g.machine(c.license);
      const child = await kind.make(g, m);
      const before = deleted().length;
      await t.http.delete(`${c.a.base}/machines/${m.id}`).set(c.auth.admin).expect(204);
      expect(await exists(child.id)).toBe(false);
      expect(deleted()).toHaveLength(before);
    });

    it('lets an environment delete its own, not a global one from a shared environment', async () => {
      const iso = await environmentCast(t, c.a);
      const own = await kind.make(g, iso.machine);
      await destroy(own.id, iso.auth).expect(204);
      const global = await kind.make(g, c.machine);
      expect((await destroy(global.id, iso.auth)).status).toBe(404);
      const shared = await environmentCast(t, c.a, 'SHARED');
      expectForbidden(await destroy(global.id, shared.auth), RECORD_ENV);
    });
  });
}
