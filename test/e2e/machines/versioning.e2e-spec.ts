import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

/** Spec 03 §7: up to API 1.5 a machine has no `owner` but a `user` (the license's owner). */
describe('machine documents by API version', () => {
  let t: TestApp;
  let a: GivenAccount;
  let machineId: string;
  let licenseOwnerId: string;
  let machineOwnerId: string;

  beforeAll(async () => {
    t = await bootApp();
    const g = given(t);
    a = await g.account();
    const licenseOwner = await g.user(a.account);
    const machineOwner = await g.user(a.account);
    const { license } = await g.license(a.account, { owner: licenseOwner.user });
    const machine = await g.machine(license, { ownerId: machineOwner.user.id });
    machineId = machine.id;
    licenseOwnerId = licenseOwner.user.id;
    machineOwnerId = machineOwner.user.id;
  });
  afterAll(() => t.close());

  const show = (version: string) =>
    t.http
      .get(`${a.base}/machines/${machineId}`)
      .set(a.auth)
      .set('Keygen-Version', version)
      .expect(200);

  it('renders `user` (the license owner) instead of `owner` for API 1.5', async () => {
    const res = await show('1.5');
    expect(res.body.data.relationships.owner).toBeUndefined();
    expect(res.body.data.relationships.user).toEqual({
      links: { related: `/v1/accounts/${a.id}/machines/${machineId}/user` },
      data: { type: 'users', id: licenseOwnerId },
    });
  });

  it('does the same in lists and on ping', async () => {
    const list = await t.http
      .get(`${a.base}/machines`)
      .set(a.auth)
      .set('Keygen-Version', '1.0')
      .expect(200);
    expect(list.body.data[0].relationships.user.data).toEqual({
      type: 'users',
      id: licenseOwnerId,
    });
    expect(list.body.data[0].relationships.owner).toBeUndefined();
    const ping = await t.http
      .post(`${a.base}/machines/${machineId}/actions/ping`)
      .set(a.auth)
      .set('Keygen-Version', '1.5')
      .expect(200);
    expect(Object.keys(ping.body.data.relationships)).toContain('user');
    expect(Object.keys(ping.body.data.relationships)).not.toContain('owner');
  });

  it('renders the machine `owner` and no `user` from API 1.6 on', async () => {
    const res = await show('1.6');
    expect(res.body.data.relationships.user).toBeUndefined();
    expect(res.body.data.relationships.owner).toEqual({
      links: { related: `/v1/accounts/${a.id}/machines/${machineId}/owner` },
      data: { type: 'users', id: machineOwnerId },
    });
  });
});
