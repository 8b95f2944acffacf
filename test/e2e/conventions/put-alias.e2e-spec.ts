import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { verifyResponseSignature } from '../../support/signature';

// compat: Keygen's Rails routes accept PUT wherever they accept PATCH.
describe('PUT as an alias of PATCH', () => {
  let t: TestApp;
  let a: GivenAccount;
  let ed25519: string;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
    ed25519 = a.account.ed25519PublicKey;
  });
  afterAll(() => t.close());

  it('updates a user with PUT and signs the request-target with the PUT method', async () => {
    const u = await given(t).user(a.account);
    const path = `${a.base}/users/${u.user.id}`;
    const res = await t.http
      .put(path)
      .set(a.auth)
      .set('Host', 'api.keyward.test')
      .send({ data: { type: 'users', attributes: { firstName: 'Put' } } })
      .expect(200);
    expect(res.body.data.attributes.firstName).toBe('Put');
    expect(verifyResponseSignature(res, { method: 'PUT', path, host: 'api.keyward.test', publicKey: ed25519 })).toBe(true);
  });

  it('updates the account with PUT', async () => {
    const res = await t.http
      .put(a.base)
      .set(a.auth)
      .send({ data: { type: 'accounts', attributes: { name: 'Renamed by PUT' } } })
      .expect(200);
    expect(res.body.data.attributes.name).toBe('Renamed by PUT');
  });

  it('keeps PUT /tokens/:id as regenerate, not update', async () => {
    const other = await given(t).user(a.account);
    const list = await t.http.get(`${a.base}/tokens?bearer[id]=${other.user.id}`).set(a.auth).expect(200);
    const id = list.body.data[0].id as string;
    const res = await t.http.put(`${a.base}/tokens/${id}`).set(a.auth).expect(200);
    expect(res.body.data.id).toBe(id);
    expect(res.body.data.attributes.token).toMatch(/^user-[0-9a-f]{64}v3$/);
    // the old value no longer authenticates
    await t.http.get(`${a.base}/me`).set(other.auth).expect(401);
  });
});
