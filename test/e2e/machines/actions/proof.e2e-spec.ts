import * as crypto from 'node:crypto';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import { cast, expectBadRequest, expectForbidden, type Cast } from '../support';

/** The legacy v1.0 proof (spec 03 §1.10), verified with node:crypto and the account's RSA key. */
describe('POST /v1/accounts/:account/machines/:id/actions/generate-offline-proof', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;
  let rsa: string;

  const prove = (id: string, auth: Record<string, string>, body?: unknown) => {
    const req = t.http.post(`${c.a.base}/machines/${id}/actions/generate-offline-proof`).set(auth);
    return body === undefined ? req : req.send(body as object);
  };
  const verify = (proof: string): Record<string, unknown> => {
    const dot = proof.lastIndexOf('.');
    const signing = proof.slice(0, dot);
    expect(signing.startsWith('proof/')).toBe(true);
    const sig = Buffer.from(proof.slice(dot + 1), 'base64url');
    expect(
      crypto.verify(
        'sha256',
        Buffer.from(signing),
        { key: rsa, padding: crypto.constants.RSA_PKCS1_PADDING },
        sig,
      ),
    ).toBe(true);
    return JSON.parse(Buffer.from(signing.slice('proof/'.length), 'base64url').toString('utf8'));
  };

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
    const res = await t.http.get(c.a.base).set(c.a.auth).expect(200);
    rsa = Buffer.from(res.body.data.meta.keys.rsa2048, 'base64').toString('utf8');
  });
  afterAll(() => t.close());

  it('signs the default dataset and emits machine.proofs.generated with the proof', async () => {
    const m = await g.machine(c.license);
    const res = await prove(m.id, c.licenseAuth).expect(200);
    expect(res.body.data).toMatchObject({ type: 'machines', id: m.id });
    const proof = res.body.meta.proof as string;
    expect(proof).toMatch(/^proof\/[A-Za-z0-9_-]+=*\.[A-Za-z0-9_-]+=*$/);
    expect(verify(proof)).toMatchObject({
      account: { id: c.a.id },
      product: { id: c.policy.productId },
      policy: { id: c.policy.id, duration: null },
      license: { id: c.license.id, key: c.license.key, expiry: null },
      machine: { id: m.id, fingerprint: m.fingerprint, created: m.createdAt.toISOString() },
    });
    const ev = t.events.named('machine.proofs.generated', c.a.id).pop();
    expect(ev?.meta).toEqual({ proof });
  });

  it('signs a staff-provided dataset, and refuses one from a license', async () => {
    const m = await g.machine(c.license);
    const res = await prove(m.id, c.roles.admin, {
      meta: { dataset: { custom: { a: 1 } } },
    }).expect(200);
    expect(verify(res.body.meta.proof)).toEqual({ custom: { a: 1 } });
    expectBadRequest(
      await prove(m.id, c.licenseAuth, { meta: { dataset: {} } }),
      'unpermitted parameter',
      '/meta',
    );
  });

  it('is for the license owner among users, not machine owners, and not support agents', async () => {
    const m = await g.machine(c.license, { ownerId: c.licensee.user.id });
    await prove(m.id, c.licenseOwner.auth).expect(200);
    expectForbidden(await prove(m.id, c.licensee.auth));
    expectForbidden(await prove(m.id, c.roles['support-agent']));
  });
});
