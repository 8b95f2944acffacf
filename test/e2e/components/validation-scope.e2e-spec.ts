import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

/**
 * Components made through /components feed license validation's components scope
 * (spec 03 §2.5): created, matched by componentMatchingStrategy, deleted, no longer
 * matched. The matching rules themselves are the licenses spec's.
 */
describe('components in validation’s components scope', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const validate = (key: string, scope: Record<string, unknown>) =>
    t.http
      .post(`${a.base}/licenses/actions/validate-key`)
      .set({ 'Content-Type': 'application/vnd.api+json', Accept: 'application/vnd.api+json' })
      .send({ meta: { key, scope } });
  const code = async (key: string, scope: Record<string, unknown>) =>
    ((await validate(key, scope).expect(200)).body.meta as { code: string }).code;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  it('matches components created and deleted through the API', async () => {
    const policy = await g.policy(a.account, {
      componentMatchingStrategy: 'MATCH_TWO',
      authenticationStrategy: 'MIXED',
    });
    const lic = await g.license(a.account, { policy });
    const m = await g.machine(lic.license);
    const ids: string[] = [];
    for (const fingerprint of ['cpu', 'disk']) {
      const res = await t.http
        .post(`${a.base}/components`)
        .set(lic.auth)
        .send({
          data: {
            type: 'components',
            attributes: { fingerprint, name: fingerprint.toUpperCase() },
            relationships: { machine: { data: { type: 'machines', id: m.id } } },
          },
        })
        .expect(201);
      ids.push(res.body.data.id as string);
    }
    const scope = { fingerprint: m.fingerprint, components: ['cpu', 'disk', 'gpu'] };
    expect(await code(lic.key, scope)).toBe('VALID');
    await t.http.delete(`${a.base}/components/${ids[1]}`).set(lic.auth).expect(204);
    expect(await code(lic.key, scope)).toBe('COMPONENTS_SCOPE_MISMATCH');
  });
});
