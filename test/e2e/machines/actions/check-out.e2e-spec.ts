import * as crypto from 'node:crypto';
import { Machine } from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import { cast, expectForbidden, expectNotFound, lacks, type Cast } from '../support';

/**
 * An offline verifier written only against node:crypto, the account's public keys, the
 * license key and the machine fingerprint, the way a client SDK checks a machine file.
 */
interface PublicKeys {
  ed25519: string;
  rsa: string;
  ecdsa: string;
}

interface Certificate {
  enc: string;
  sig: string;
  alg: string;
}

function parseCertificate(cert: string): Certificate {
  const lines = cert.split('\n');
  expect(lines[0]).toBe('-----BEGIN MACHINE FILE-----');
  expect(lines[lines.length - 2]).toBe('-----END MACHINE FILE-----');
  expect(lines[lines.length - 1]).toBe('');
  const body = lines.slice(1, -2);
  body.slice(0, -1).forEach((l) => expect(l).toHaveLength(60));
  return JSON.parse(Buffer.from(body.join(''), 'base64').toString('utf8')) as Certificate;
}

function verify(c: Certificate, keys: PublicKeys): boolean {
  const data = Buffer.from(`machine/${c.enc}`);
  const sig = Buffer.from(c.sig, 'base64');
  switch (c.alg.split('+')[1]) {
    case 'ed25519': {
      const key = crypto.createPublicKey({
        key: {
          kty: 'OKP',
          crv: 'Ed25519',
          x: Buffer.from(keys.ed25519, 'hex').toString('base64url'),
        },
        format: 'jwk',
      });
      return crypto.verify(null, data, key, sig);
    }
    case 'rsa-pss-sha256':
      return crypto.verify(
        'sha256',
        data,
        {
          key: keys.rsa,
          padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
          saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO,
        },
        sig,
      );
    case 'rsa-sha256':
      return crypto.verify(
        'sha256',
        data,
        { key: keys.rsa, padding: crypto.constants.RSA_PKCS1_PADDING },
        sig,
      );
    case 'ecdsa-p256':
      return crypto.verify('sha256', data, { key: keys.ecdsa, dsaEncoding: 'der' }, sig);
    default:
      return false;
  }
}

/** Decrypts with SHA-256(license key ∥ fingerprint), or decodes base64. */
function decode(c: Certificate, secret?: { key: string; fingerprint: string }): string {
  if (c.alg.startsWith('base64+')) {
    return Buffer.from(c.enc, 'base64').toString('utf8');
  }
  const [ciphertext, iv, tag] = c.enc.split('.').map((p) => Buffer.from(p, 'base64'));
  expect(iv).toHaveLength(12);
  expect(tag).toHaveLength(16);
  const key = crypto.createHash('sha256').update(`${secret!.key}${secret!.fingerprint}`).digest();
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
}

describe('POST|GET /v1/accounts/:account/machines/:id/actions/check-out', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let c: Cast;
  let keys: PublicKeys;
  let machine: Machine;

  const path = (id: string, query = '') =>
    `${c.a.base}/machines/${encodeURIComponent(id)}/actions/check-out${query}`;
  const post = (
    id: string,
    body?: unknown,
    query = '',
    auth: Record<string, string> = c.roles.admin,
  ) => {
    const req = t.http.post(path(id, query)).set(auth);
    return body === undefined ? req : req.send(body as object);
  };
  const download = (id: string, query = '', auth: Record<string, string> = c.roles.admin) =>
    t.http
      .get(path(id, query))
      .set(auth)
      .buffer(true)
      .parse((res, cb) => {
        let s = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (s += chunk));
        res.on('end', () => cb(null, s));
      });

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    c = await cast(t);
    const res = await t.http.get(c.a.base).set(c.a.auth).expect(200);
    const text = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    keys = {
      ed25519: text(res.body.data.meta.keys.ed25519),
      rsa: text(res.body.data.meta.keys.rsa2048),
      ecdsa: text(res.body.data.meta.keys.ecdsa),
    };
    machine = await g.machine(c.license, {
      fingerprint: 'file-fp',
      memory: '9223372036854775807',
      ownerId: c.licensee.user.id,
    });
    await g.machineComponent(machine, { fingerprint: 'cpu', name: 'CPU' });
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  it('issues an encrypted file that verifies and decrypts with the public key, license key and fingerprint', async () => {
    t.clock.freeze(new Date('2022-10-16T14:52:48.000Z'));
    const before = t.events.named('machine.checked-out', c.a.id).length;
    const res = await post(machine.id, {
      meta: { encrypt: true, include: ['license', 'components', 'license.policy'] },
    }).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
    const file = res.body.data;
    expect(file).toMatchObject({
      type: 'machine-files',
      attributes: {
        algorithm: 'aes-256-gcm+ed25519',
        includes: ['license', 'components', 'license.policy'],
        ttl: 2629746,
        issued: '2022-10-16T14:52:48.000Z',
        expiry: '2022-11-16T14:52:48.000Z',
      },
      relationships: {
        account: { data: { type: 'accounts', id: c.a.id } },
        license: {
          data: { type: 'licenses', id: c.license.id },
          links: { related: `${c.a.base}/licenses/${c.license.id}` },
        },
        machine: {
          data: { type: 'machines', id: machine.id },
          links: { related: `${c.a.base}/machines/${machine.id}` },
        },
      },
    });
    expect(file.links).toBeUndefined();
    const cert = parseCertificate(file.attributes.certificate as string);
    expect(verify(cert, keys)).toBe(true);
    expect(verify({ ...cert, enc: `${cert.enc}x` }, keys)).toBe(false);
    expect(() => decode(cert, { key: c.license.key as string, fingerprint: 'other' })).toThrow();
    const json = decode(cert, { key: c.license.key as string, fingerprint: machine.fingerprint });
    expect(json).toContain('"memory":9223372036854775807');
    const doc = JSON.parse(json);
    expect(doc.data).toMatchObject({
      id: machine.id,
      type: 'machines',
      attributes: { fingerprint: 'file-fp' },
    });
    expect(doc.data.relationships.components.data).toHaveLength(1);
    expect(doc.included.map((r: { type: string }) => r.type)).toEqual([
      'licenses',
      'components',
      'policies',
    ]);
    expect(doc.meta).toEqual({
      issued: '2022-10-16T14:52:48.000Z',
      expiry: '2022-11-16T14:52:48.000Z',
      ttl: 2629746,
    });
    expect(t.events.named('machine.checked-out', c.a.id)).toHaveLength(before + 1);
    const row = await t.ds.getRepository(Machine).findOneByOrFail({ id: machine.id });
    expect(row.lastCheckOutAt?.toISOString()).toBe('2022-10-16T14:52:48.000Z');
  });

  it('signs with each algorithm and defaults to base64 with an empty included', async () => {
    for (const alg of [
      'base64+ed25519',
      'base64+rsa-pss-sha256',
      'base64+rsa-sha256',
      'base64+ecdsa-p256',
      'aes-256-gcm+rsa-sha256',
    ]) {
      const res = await post(machine.id, undefined, `?algorithm=${encodeURIComponent(alg)}`).expect(
        200,
      );
      const cert = parseCertificate(res.body.data.attributes.certificate);
      expect(cert.alg).toBe(alg);
      expect(verify(cert, keys)).toBe(true);
    }
    const res = await post(machine.id).expect(200);
    const doc = JSON.parse(decode(parseCertificate(res.body.data.attributes.certificate)));
    expect(doc.included).toEqual([]);
  });

  it('downloads the bare certificate with GET', async () => {
    const res = await download(machine.id, '?ttl=3600').expect(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${machine.id}.lic"`);
    const cert = parseCertificate(res.body as string);
    expect(verify(cert, keys)).toBe(true);
    expect(JSON.parse(decode(cert)).meta.ttl).toBe(3600);
  });

  it('takes ttl null or empty as no expiry', async () => {
    const res = await post(machine.id, { meta: { ttl: null } }).expect(200);
    expect(res.body.data.attributes).toMatchObject({ ttl: null, expiry: null });
    const res2 = await post(machine.id, undefined, '?ttl=').expect(200);
    expect(res2.body.data.attributes).toMatchObject({ ttl: null, expiry: null });
  });

  it('rejects bad options with 400 and emits nothing', async () => {
    const before = t.events.named('machine.checked-out', c.a.id).length;
    const bad = (
      res: { status: number; body: { errors: unknown } },
      detail: string,
      code: string,
      parameter: string,
    ) =>
      expect({ status: res.status, errors: res.body.errors }).toEqual({
        status: 400,
        errors: [{ title: 'Bad request', detail, code, source: { parameter } }],
      });
    bad(
      await post(machine.id, undefined, '?ttl=60'),
      'must be greater than or equal to 3600 (1 hour)',
      'CHECKOUT_TTL_INVALID',
      'ttl',
    );
    bad(
      await post(machine.id, { meta: { include: ['license.tokens'] } }),
      'invalid includes',
      'CHECKOUT_INCLUDE_INVALID',
      'include',
    );
    bad(
      await post(machine.id, { meta: { algorithm: 'rot13+ed25519' } }),
      'invalid encoding algorithm',
      'CHECKOUT_ALGORITHM_INVALID',
      'algorithm',
    );
    bad(
      await post(machine.id, { meta: { algorithm: 'base64+md5' } }),
      'invalid signing algorithm',
      'CHECKOUT_ALGORITHM_INVALID',
      'algorithm',
    );
    expect(t.events.named('machine.checked-out', c.a.id)).toHaveLength(before);
  });

  it('rewrites license.user to license.owner', async () => {
    const res = await post(machine.id, undefined, '?include=license.user').expect(200);
    expect(res.body.data.attributes.includes).toEqual(['license.owner']);
  });

  it('lets staff (not read-only), the product, users of the license and the license check out', async () => {
    for (const auth of [
      c.roles.developer,
      c.roles['sales-agent'],
      c.roles['support-agent'],
      c.product,
      c.licenseOwner.auth,
      c.licensee.auth,
      c.licenseAuth,
      c.licenseKeyAuth,
    ]) {
      await post(machine.id, undefined, '', auth).expect(200);
    }
    expectForbidden(
      await post(machine.id, undefined, '', c.roles['read-only']),
      lacks('read only'),
    );
    expectNotFound(await post(machine.id, undefined, '', c.otherProduct), machine.id);
    expectNotFound(await post(machine.id, undefined, '', c.otherLicense.auth), machine.id);
  });

  it('needs the read permission of each include', async () => {
    expectForbidden(
      await post(machine.id, { meta: { include: ['license.product'] } }, '', c.licenseAuth),
      lacks('license'),
    );
    await post(
      machine.id,
      { meta: { include: ['license', 'components'] } },
      '',
      c.licenseAuth,
    ).expect(200);
  });
});
