import { License, LicenseUser } from '@app/modules/licenses/license.entity';
import { Machine } from '@app/modules/machines/machine.entity';
import { Token } from '@app/modules/tokens/token.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { DENIED, denied, lacks, notFound, type Given } from './crud-support';

describe('DELETE /v1/accounts/:account/licenses/:id', () => {
  let t: TestApp;
  let g: Given;
  let a: GivenAccount;

  const del = (id: string, auth: Record<string, string> = a.auth) =>
    t.http.delete(`${a.base}/licenses/${id}`).set(auth);
  const exists = async (id: string) => (await t.ds.getRepository(License).countBy({ id })) > 0;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('204', () => {
    it('deletes the license with its tokens, licensees and machines, and emits license.deleted', async () => {
      const u = await g.user(a.account);
      const l = await g.license(a.account);
      await g.licenseUser(l.license, u.user);
      await g.machine(l.license);
      const res = await del(l.license.id).expect(204);
      expect(res.body).toEqual({});
      expect(await exists(l.license.id)).toBe(false);
      expect(await t.ds.getRepository(Token).countBy({ bearerId: l.license.id })).toBe(0);
      expect(await t.ds.getRepository(LicenseUser).countBy({ licenseId: l.license.id })).toBe(0);
      expect(await t.ds.getRepository(Machine).countBy({ licenseId: l.license.id })).toBe(0);
      const events = t.events.named('license.deleted', a.id);
      expect(events[events.length - 1].resource).toMatchObject({
        type: 'licenses',
        id: l.license.id,
      });
      // the token is gone too, so the license can no longer authenticate
      await t.http.get(`${a.base}/licenses/${l.license.id}`).set(l.auth).expect(401);
    });

    it('deletes by key', async () => {
      const l = await g.license(a.account);
      await del(encodeURIComponent(l.key)).expect(204);
      expect(await exists(l.license.id)).toBe(false);
    });

    it.each(['developer', 'sales-agent'] as const)('lets a %s delete', async (role) => {
      const u = await g.user(a.account, { role });
      const l = await g.license(a.account);
      await del(l.license.id, u.auth).expect(204);
    });

    it('lets an environment delete its licenses and a product its own', async () => {
      const e = await g.environment(a.account);
      const envLicense = await g.license(a.account, {
        policy: await g.policy(a.account, { environment: e.environment }),
      });
      await del(envLicense.license.id, e.auth).expect(204);
      const p = await g.product(a.account);
      const own = await g.license(a.account, {
        policy: await g.policy(a.account, { product: p.product }),
      });
      await del(own.license.id, p.auth).expect(204);
    });

    it('lets an owner delete when the policy is not protected (license protection aside)', async () => {
      const u = await g.user(a.account);
      const l = await g.license(a.account, { owner: u.user, protected: true });
      await del(l.license.id, u.auth).expect(204);
    });
  });

  describe('403 / 404', () => {
    it('denies support agents (role) and read-only users (permission)', async () => {
      const l = await g.license(a.account);
      const support = await g.user(a.account, { role: 'support-agent' });
      expect((await del(l.license.id, support.auth).expect(403)).body.errors).toEqual([
        denied(DENIED),
      ]);
      const readOnly = await g.user(a.account, { role: 'read-only' });
      expect((await del(l.license.id, readOnly.auth).expect(403)).body.errors).toEqual([
        denied(lacks('read only')),
      ]);
      expect(await exists(l.license.id)).toBe(true);
    });

    it('denies an owner on a protected policy and a licensee; hides it from others', async () => {
      const owner = await g.user(a.account);
      const licensee = await g.user(a.account);
      const stranger = await g.user(a.account);
      const l = await g.license(a.account, {
        owner: owner.user,
        policy: await g.policy(a.account, { protected: true }),
      });
      await g.licenseUser(l.license, licensee.user);
      await del(l.license.id, owner.auth).expect(403);
      await del(l.license.id, licensee.auth).expect(403);
      expect((await del(l.license.id, stranger.auth).expect(404)).body.errors).toEqual([
        notFound(l.license.id),
      ]);
      expect(await exists(l.license.id)).toBe(true);
    });

    it('denies a license itself (no license.delete) and hides others from it', async () => {
      const l = await g.license(a.account);
      const other = await g.license(a.account);
      expect((await del(l.license.id, l.auth).expect(403)).body.errors).toEqual([
        denied(lacks('license')),
      ]);
      await del(other.license.id, l.auth).expect(404);
    });

    it("hides another product's licenses and other accounts' licenses", async () => {
      const p = await g.product(a.account);
      const l = await g.license(a.account);
      await del(l.license.id, p.auth).expect(404);
      const b = await g.account();
      const foreign = await g.license(b.account);
      await del(foreign.license.id).expect(404);
      await del(l.license.id, {}).expect(401);
    });
  });
});
