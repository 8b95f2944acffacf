import { uuidv4 } from '@app/common/ids';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { licenseDoc, licenseError, owner, updateDoc, type Given } from './crud-support';

/** API ≤1.5: `owner` renders as `user`, OWNER_NOT_FOUND as USER_NOT_FOUND (spec 02 §12). */
describe('license responses for API 1.5 and older', () => {
  let t: TestApp;
  let g: Given;
  let a: GivenAccount;

  const v = (version: string) => ({ ...a.auth, 'Keygen-Version': version });
  const userRel = (accountId: string, id: string, ownerId: string | null) => ({
    links: { related: `/v1/accounts/${accountId}/licenses/${id}/user` },
    data: ownerId ? { type: 'users', id: ownerId } : null,
  });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  it('renders the owner as `user` (last) on create, show, update and lists', async () => {
    const policy = await g.policy(a.account);
    const u = await g.user(a.account);
    const created = await t.http
      .post(`${a.base}/licenses`)
      .set(v('1.5'))
      .send(licenseDoc(policy.id, {}, { relationships: owner(u.user.id) }))
      .expect(201);
    const id = created.body.data.id as string;
    const rels = created.body.data.relationships as Record<string, unknown>;
    expect(rels).not.toHaveProperty('owner');
    expect(Object.keys(rels).at(-1)).toBe('user');
    expect(rels.user).toEqual(userRel(a.id, id, u.user.id));

    const shown = await t.http.get(`${a.base}/licenses/${id}`).set(v('1.0')).expect(200);
    expect(shown.body.data.relationships.user).toEqual(userRel(a.id, id, u.user.id));
    const updated = await t.http
      .patch(`${a.base}/licenses/${id}`)
      .set(v('1.5'))
      .send(updateDoc({ name: 'v1.5' }))
      .expect(200);
    expect(updated.body.data.relationships.user).toEqual(userRel(a.id, id, u.user.id));

    const list = await t.http.get(`${a.base}/licenses`).set(v('1.5')).expect(200);
    for (const l of list.body.data as Array<{ relationships: Record<string, unknown> }>) {
      expect(l.relationships).toHaveProperty('user');
      expect(l.relationships).not.toHaveProperty('owner');
    }
    const nested = await t.http
      .get(`${a.base}/policies/${policy.id}/licenses`)
      .set(v('1.5'))
      .expect(200);
    expect(nested.body.data[0].relationships).toHaveProperty('user');
    const nestedShow = await t.http
      .get(`${a.base}/products/${policy.productId}/licenses/${id}`)
      .set(v('1.5'))
      .expect(200);
    expect(nestedShow.body.data.relationships).toHaveProperty('user');
  });

  it('keeps `owner` for 1.6 and newer', async () => {
    const l = await g.license(a.account);
    for (const version of ['1.6', '1.7', '1.8']) {
      const res = await t.http
        .get(`${a.base}/licenses/${l.license.id}`)
        .set(v(version))
        .expect(200);
      expect(res.body.data.relationships).toHaveProperty('owner');
      expect(res.body.data.relationships).not.toHaveProperty('user');
    }
  });

  it('uses the account pinned version when no header is sent', async () => {
    const old = await g.account({ apiVersion: '1.5' });
    const l = await g.license(old.account);
    const res = await t.http.get(`${old.base}/licenses/${l.license.id}`).set(old.auth).expect(200);
    expect(res.body.data.relationships.user).toEqual(userRel(old.id, l.license.id, null));
  });

  it('renames OWNER_NOT_FOUND to USER_NOT_FOUND on create for ≤1.5 only', async () => {
    const policy = await g.policy(a.account);
    const body = licenseDoc(
      policy.id,
      {},
      {
        relationships: { user: { data: { type: 'users', id: uuidv4() } } },
      },
    );
    const old = await t.http.post(`${a.base}/licenses`).set(v('1.5')).send(body).expect(422);
    expect(old.body.errors).toEqual([
      {
        ...licenseError('relationships/owner', 'USER_NOT_FOUND', 'must exist'),
        source: { pointer: '/data/relationships/user' },
      },
    ]);
    const current = await t.http.post(`${a.base}/licenses`).set(v('1.6')).send(body).expect(422);
    expect(current.body.errors).toEqual([
      licenseError('relationships/owner', 'OWNER_NOT_FOUND', 'must exist'),
    ]);
  });

  it('leaves error responses of other kinds alone', async () => {
    const res = await t.http.get(`${a.base}/licenses/${uuidv4()}`).set(v('1.5')).expect(404);
    expect(res.body.errors[0].code).toBe('NOT_FOUND');
  });
});
