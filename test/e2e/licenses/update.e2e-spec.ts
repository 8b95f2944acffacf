import { License } from '@app/modules/licenses/license.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from '../users/support';
import {
  badRequest,
  denied,
  lacks,
  licenseError,
  notFound,
  updateDoc,
  type Given,
} from './crud-support';

describe('PATCH/PUT /v1/accounts/:account/licenses/:id', () => {
  let t: TestApp;
  let g: Given;
  let a: GivenAccount;

  const patch = (id: string, body: unknown, auth: Record<string, string> = a.auth) =>
    t.http
      .patch(`${a.base}/licenses/${id}`)
      .set(auth)
      .send(body as object);
  const stored = (id: string) => t.ds.getRepository(License).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  describe('200', () => {
    it('updates the expiry (ISO, unix string, unix number, null) and touches updated', async () => {
      const l = await g.license(a.account);
      t.clock.advance(5000);
      const res = await patch(
        l.license.id,
        updateDoc({ expiry: '2016-09-05T22:53:37.000Z' }),
      ).expect(200);
      expectSigned(res);
      expect(res.body.data.attributes).toMatchObject({
        expiry: '2016-09-05T22:53:37.000Z',
        status: 'EXPIRED',
      });
      expect(res.body.data.attributes.updated).not.toBe(l.license.updatedAt.toISOString());
      for (const expiry of ['1717517916', 1717517916]) {
        const r = await patch(l.license.id, updateDoc({ expiry })).expect(200);
        expect(r.body.data.attributes.expiry).toBe('2024-06-04T16:18:36.000Z');
      }
      const cleared = await patch(l.license.id, updateDoc({ expiry: null })).expect(200);
      expect(cleared.body.data.attributes.expiry).toBeNull();
      expect((await stored(l.license.id)).expiry).toBeNull();
    });

    it('updates by key, and through PUT', async () => {
      const l = await g.license(a.account);
      await patch(encodeURIComponent(l.key), updateDoc({ name: 'By key' })).expect(200);
      const res = await t.http
        .put(`${a.base}/licenses/${l.license.id}`)
        .set(a.auth)
        .send(updateDoc({ name: 'Put' }))
        .expect(200);
      expect(res.body.data.attributes.name).toBe('Put');
    });

    it('writes every privileged attribute and emits license.updated with the changes', async () => {
      const floating = await g.policy(a.account, { floating: true, maxMachines: 2 });
      const l = await g.license(a.account, { policy: floating });
      const before = t.events.named('license.updated', a.id).length;
      const res = await patch(
        l.license.id,
        updateDoc(
          {
            name: 'Renamed',
            protected: true,
            suspended: true,
            maxMachines: 10,
            maxCores: 4,
            maxMemory: 1024,
            maxDisk: 2048,
            maxUses: 5,
            maxProcesses: 3,
            maxUsers: 2,
            metadata: { tier: 'gold' },
            permissions: ['license.read'],
          },
          { id: l.license.id },
        ),
      ).expect(200);
      expect(res.body.data.attributes).toMatchObject({
        name: 'Renamed',
        protected: true,
        suspended: true,
        status: 'SUSPENDED',
        maxMachines: 10,
        maxCores: 4,
        maxMemory: 1024,
        maxDisk: 2048,
        maxUses: 5,
        maxProcesses: 3,
        maxUsers: 2,
        metadata: { tier: 'gold' },
        permissions: ['license.read'],
      });
      const events = t.events.named('license.updated', a.id);
      expect(events).toHaveLength(before + 1);
      const changes = events[events.length - 1].changes!;
      expect(changes.name).toEqual([null, 'Renamed']);
      expect(changes.maxMachinesOverride).toEqual([null, 10]);
      expect(changes.suspended).toEqual([false, true]);
      expect(Object.keys(changes)).toContain('updatedAt');

      const cleared = await patch(
        l.license.id,
        updateDoc({ maxMachines: null, name: null }),
      ).expect(200);
      expect(cleared.body.data.attributes).toMatchObject({ maxMachines: 2, name: null });
    });

    it('leaves updated alone when nothing changes', async () => {
      const l = await g.license(a.account, { name: 'Same' });
      t.clock.advance(5000);
      const res = await patch(l.license.id, updateDoc({ name: 'Same' })).expect(200);
      expect(res.body.data.attributes.updated).toBe(l.license.updatedAt.toISOString());
    });

    it('renames a license already above its usage limit', async () => {
      const l = await g.license(a.account, { uses: 5, maxUses: 1 });
      await patch(l.license.id, updateDoc({ name: 'Over' })).expect(200);
    });

    it.each(['developer', 'sales-agent', 'support-agent'] as const)(
      'lets a %s update privileged attributes',
      async (role) => {
        const u = await g.user(a.account, { role });
        const l = await g.license(a.account);
        const res = await patch(
          l.license.id,
          updateDoc({ expiry: '2030-01-01T00:00:00.000Z', metadata: { by: role } }),
          u.auth,
        ).expect(200);
        expect(res.body.data.attributes.metadata).toEqual({ by: role });
      },
    );

    it('lets an environment update its licenses', async () => {
      const e = await g.environment(a.account);
      const l = await g.license(a.account, {
        policy: await g.policy(a.account, { environment: e.environment }),
      });
      await patch(l.license.id, updateDoc({ name: 'Env' }), e.auth).expect(200);
    });

    it("lets a product update its product's licenses, permissions included", async () => {
      const p = await g.product(a.account);
      const l = await g.license(a.account, {
        policy: await g.policy(a.account, { product: p.product }),
      });
      const res = await patch(
        l.license.id,
        updateDoc({ suspended: true, permissions: ['license.validate'] }),
        p.auth,
      ).expect(200);
      expect(res.body.data.attributes.permissions).toEqual(['license.validate']);
    });
  });

  describe('400', () => {
    it.each([
      ['the key', updateDoc({ key: 'a' }), '/data/attributes/key'],
      ['uses', updateDoc({ uses: 3 }), '/data/attributes/uses'],
      [
        'the policy',
        updateDoc({}, { relationships: { policy: { data: { type: 'policies', id: 'x' } } } }),
        '/data/relationships',
      ],
    ])('rejects %s (unpermitted)', async (_label, body, pointer) => {
      const l = await g.license(a.account);
      const res = await patch(l.license.id, body).expect(400);
      expect(res.body.errors).toEqual([badRequest('unpermitted parameter', pointer)]);
    });

    it('requires attributes and rejects wrong types', async () => {
      const l = await g.license(a.account);
      expect(
        (await patch(l.license.id, { data: { type: 'licenses' } }).expect(400)).body.errors,
      ).toEqual([badRequest('is missing', '/data/attributes')]);
      expect(
        (await patch(l.license.id, updateDoc({ suspended: 'yes' })).expect(400)).body.errors,
      ).toEqual([
        badRequest(
          'type mismatch (received string expected boolean)',
          '/data/attributes/suspended',
        ),
      ]);
    });

    it('rejects permissions from sales and support agents', async () => {
      const l = await g.license(a.account);
      for (const role of ['sales-agent', 'support-agent'] as const) {
        const u = await g.user(a.account, { role });
        const res = await patch(
          l.license.id,
          updateDoc({ permissions: ['license.read'] }),
          u.auth,
        ).expect(400);
        expect(res.body.errors).toEqual([
          badRequest('unpermitted parameter', '/data/attributes/permissions'),
        ]);
      }
    });
  });

  describe('403 / 404', () => {
    it('denies read-only users (permission)', async () => {
      const u = await g.user(a.account, { role: 'read-only' });
      const l = await g.license(a.account);
      const res = await patch(l.license.id, updateDoc({ name: 'x' }), u.auth).expect(403);
      expect(res.body.errors).toEqual([denied(lacks('read only'))]);
    });

    it('denies owners and licensees (even a bad body), hides others from users', async () => {
      const owner = await g.user(a.account);
      const licensee = await g.user(a.account);
      const stranger = await g.user(a.account);
      const l = await g.license(a.account, { owner: owner.user });
      await g.licenseUser(l.license, licensee.user);
      await patch(l.license.id, updateDoc({ key: 'x' }), owner.auth).expect(403);
      await patch(l.license.id, updateDoc({ name: 'Test Name' }), owner.auth).expect(403);
      await patch(l.license.id, updateDoc({ name: 'x' }), licensee.auth).expect(403);
      const res = await patch(l.license.id, updateDoc({ key: 'x' }), stranger.auth).expect(404);
      expect(res.body.errors).toEqual([notFound(l.license.id)]);
    });

    it('denies a license itself and hides other licenses from it', async () => {
      const l = await g.license(a.account);
      const other = await g.license(a.account);
      await patch(l.license.id, updateDoc({ key: 'x' }), l.auth).expect(403);
      await patch(other.license.id, updateDoc({ key: 'x' }), l.auth).expect(404);
    });

    it("hides another product's licenses from a product", async () => {
      const p = await g.product(a.account);
      const l = await g.license(a.account);
      await patch(l.license.id, updateDoc({ expiry: null }), p.auth).expect(404);
    });

    it("answers 404 for another account's license", async () => {
      const b = await g.account();
      const l = await g.license(b.account);
      await patch(l.license.id, updateDoc({ name: 'x' })).expect(404);
    });
  });

  describe('422', () => {
    it('validates overrides, metadata, name and permissions', async () => {
      const l = await g.license(a.account);
      expect(
        (await patch(l.license.id, updateDoc({ maxMachines: 3 })).expect(422)).body.errors,
      ).toEqual([
        licenseError(
          'attributes/maxMachines',
          'MAX_MACHINES_INVALID',
          'must be equal to 1 for non-floating policy',
        ),
      ]);
      expect(
        (await patch(l.license.id, updateDoc({ name: 'n'.repeat(1025) })).expect(422)).body.errors,
      ).toEqual([
        licenseError(
          'attributes/name',
          'NAME_TOO_LONG',
          'is too long (maximum is 1024 characters)',
        ),
      ]);
      expect(
        (await patch(l.license.id, updateDoc({ metadata: { big: 'x'.repeat(17000) } })).expect(422))
          .body.errors,
      ).toEqual([
        licenseError(
          'attributes/metadata',
          'METADATA_TOO_LONG',
          'too large (exceeded limit of 16384 bytes)',
        ),
      ]);
      expect(
        (await patch(l.license.id, updateDoc({ permissions: ['account.update'] })).expect(422)).body
          .errors,
      ).toEqual([
        licenseError(
          'attributes/permissions',
          'PERMISSIONS_NOT_ALLOWED',
          'unsupported permissions',
        ),
      ]);
      expect((await stored(l.license.id)).maxMachines).toBeNull();
    });
  });
});
