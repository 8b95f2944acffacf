import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { licenseDoc, type Given } from './crud-support';

/**
 * Offline proofs (issue #3): a key issued through the API verifies with nothing but
 * the account's public keys from GET /v1/accounts/{id} and node:crypto, the way a
 * vendor's app checks a key without calling the server.
 */
describe('offline license key proofs', () => {
  let t: TestApp;
  let g: Given;
  let a: GivenAccount;
  let ed25519: KeyObject;
  let rsa: KeyObject;

  const issue = async (scheme: string, key?: string) => {
    const policy = await g.policy(a.account, { scheme });
    const res = await t.http
      .post(`${a.base}/licenses`)
      .set(a.auth)
      .send(licenseDoc(policy.id, key === undefined ? {} : { key }) as object)
      .expect(201);
    return { id: res.body.data.id as string, key: res.body.data.attributes.key as string, policy };
  };

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    // Only what any client can fetch: the account document's public keys.
    const res = await t.http.get(a.base).set(a.auth).expect(200);
    const keys = res.body.data.meta.keys as Record<string, string>;
    const edHex = Buffer.from(keys.ed25519, 'base64').toString('utf8');
    ed25519 = createPublicKey({
      key: Buffer.concat([
        Buffer.from('302a300506032b6570032100', 'hex'),
        Buffer.from(edHex, 'hex'),
      ]),
      format: 'der',
      type: 'spki',
    });
    rsa = createPublicKey(Buffer.from(keys.rsa2048, 'base64').toString('utf8'));
  });
  afterAll(() => t.close());

  /** `key/<b64url(seed)>.<b64url(sig)>` → the signed text, the seed and the signature. */
  const split = (key: string) => {
    const dot = key.lastIndexOf('.');
    const signed = key.slice(0, dot);
    expect(signed.startsWith('key/')).toBe(true);
    return {
      signed: Buffer.from(signed),
      seed: Buffer.from(signed.slice(4), 'base64url').toString('utf8'),
      sig: Buffer.from(key.slice(dot + 1), 'base64url'),
    };
  };

  it('verifies an ED25519_SIGN key and reads its embedded dataset', async () => {
    const { id, key, policy } = await issue('ED25519_SIGN');
    const { signed, seed, sig } = split(key);
    expect(verify(null, signed, ed25519, sig)).toBe(true);
    const dataset = JSON.parse(seed) as Record<string, Record<string, unknown>>;
    expect(Object.keys(dataset)).toEqual(['account', 'product', 'policy', 'user', 'license']);
    expect(dataset.account.id).toBe(a.id);
    expect(dataset.policy.id).toBe(policy.id);
    expect(dataset.license.id).toBe(id);
    // A forged dataset with the same signature fails.
    const forged = Buffer.from(`key/${Buffer.from(seed.replace(id, a.id)).toString('base64url')}`);
    expect(verify(null, forged, ed25519, sig)).toBe(false);
  });

  it('verifies an RSA_2048_PKCS1_PSS_SIGN_V2 key (PSS, SHA-256, MGF1, maximum salt)', async () => {
    const { id, key } = await issue('RSA_2048_PKCS1_PSS_SIGN_V2');
    const { signed, seed, sig } = split(key);
    const ok = verify(
      'sha256',
      signed,
      {
        key: rsa,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_AUTO,
      },
      sig,
    );
    expect(ok).toBe(true);
    expect((JSON.parse(seed) as { license: { id: string } }).license.id).toBe(id);
    // b64url keeps its `=` padding (spec 02 §5).
    expect(key.split('.')[1].length % 4).toBe(0);
  });

  it('verifies an RSA_2048_PKCS1_SIGN_V2 key from a template', async () => {
    const { id, key } = await issue('RSA_2048_PKCS1_SIGN_V2', 'license={{id}}');
    const { signed, seed, sig } = split(key);
    expect(seed).toBe(`license=${id}`);
    expect(verify('sha256', signed, { key: rsa, padding: constants.RSA_PKCS1_PADDING }, sig)).toBe(
      true,
    );
  });
});
