import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

describe('license authentication (smoke)', () => {
  let t: TestApp;
  let a: GivenAccount;
  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  it('me as license key', async () => {
    const g = given(t);
    const policy = await g.policy(a.account, { authenticationStrategy: 'MIXED' });
    const l = await g.license(a.account, { policy });
    const res = await t.http.get(`${a.base}/me`).set(l.keyAuth);
    console.log(res.status, JSON.stringify(res.body).slice(0, 2000));
    const res2 = await t.http.get(`${a.base}/me`).set(l.auth);
    console.log(res2.status, JSON.stringify(res2.body).slice(0, 300));
  });
});
