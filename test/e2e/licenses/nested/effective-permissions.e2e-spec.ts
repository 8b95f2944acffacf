import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import type { Given } from './support';

describe("license permissions render the effective set (the license's ∩ its owner's)", () => {
  let t: TestApp;
  let g: Given;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  it('drops what the owner lacks, on show, lists and nested routes', async () => {
    const a = await g.account();
    const owner = await g.user(a.account, {
      permissions: ['license.read', 'license.validate', 'machine.read', 'user.read'],
    });
    const l = await g.license(a.account, { owner: owner.user });
    expect(DEFAULT_PERMISSIONS.license).not.toContain('user.read');
    const expected = ['license.read', 'license.validate', 'machine.read'];

    const shown = await t.http.get(`${a.base}/licenses/${l.license.id}`).set(a.auth).expect(200);
    expect(shown.body.data.attributes.permissions).toEqual(expected);
    const listed = await t.http.get(`${a.base}/licenses`).set(a.auth).expect(200);
    expect(listed.body.data[0].attributes.permissions).toEqual(expected);
    const nested = await t.http
      .get(`${a.base}/users/${owner.user.id}/licenses/${l.license.id}`)
      .set(a.auth)
      .expect(200);
    expect(nested.body.data.attributes.permissions).toEqual(expected);
  });

  it('defers to the other side on a wildcard, and keeps its own without an owner', async () => {
    const a = await g.account();
    const narrow = await g.user(a.account, { permissions: ['license.read', 'machine.read'] });
    const wildcardLicense = await g.license(a.account, { owner: narrow.user, permissions: ['*'] });
    const wildcardOwner = await g.license(a.account, {
      owner: a.admin,
      permissions: ['license.read', 'license.validate'],
    });
    const ownerless = await g.license(a.account, { permissions: ['license.read'] });
    const perms = async (id: string) =>
      (await t.http.get(`${a.base}/licenses/${id}`).set(a.auth).expect(200)).body.data.attributes
        .permissions as string[];
    expect(await perms(wildcardLicense.license.id)).toEqual(['license.read', 'machine.read']);
    expect(await perms(wildcardOwner.license.id)).toEqual(['license.read', 'license.validate']);
    expect(await perms(ownerless.license.id)).toEqual(['license.read']);
  });
});
