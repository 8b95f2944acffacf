import * as crypto from 'node:crypto';
import { License } from '@app/modules/licenses/license.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import {
  CALLERS,
  accessDenied,
  arrange,
  matrix,
  notFound,
  type CallerKind,
} from './actions/support';

/**
 * An offline verifier written only against node:crypto and the account's public keys,
 * the way a client SDK checks a license file (spec 02 §9.3).
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
  expect(lines[0]).toBe('-----BEGIN LICENSE FILE-----');
  expect(lines[lines.length - 2]).toBe('-----END LICENSE FILE-----');
  expect(lines[lines.length - 1]).toBe('');
  const body = lines.slice(1, -2);
  body.slice(0, -1).forEach((l) => expect(l).toHaveLength(60));
  return JSON.parse(Buffer.from(body.join(''), 'base64').toString('utf8')) as Certificate;
}

function verify(c: Certificate, keys: PublicKeys): boolean {
  const data = Buffer.from(`license/${c.enc}`);
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

function decode(c: Certificate, licenseKey?: string): Record<string, any> {
  if (c.alg.startsWith('base64+')) {
    return JSON.parse(Buffer.from(c.enc, 'base64').toString('utf8'));
  }
  const [ciphertext, iv, tag] = c.enc.split('.').map((p) => Buffer.from(p, 'base64'));
  expect(iv).toHaveLength(12);
  expect(tag).toHaveLength(16);
  const key = crypto.createHash('sha256').update(licenseKey!).digest();
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return JSON.parse(
    Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8'),
  );
}

const badRequest = (detail: string, code: string, parameter: string) => ({
  title: 'Bad request',
  detail,
  code,
  source: { parameter },
});

/** Spec 02 §9: POST/GET /licenses/{id}/actions/check-out. */
describe('license check-out', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;
  let keys: PublicKeys;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
    const res = await t.http.get(a.base).set(a.auth).expect(200);
    const text = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    keys = {
      ed25519: text(res.body.data.meta.keys.ed25519),
      rsa: text(res.body.data.meta.keys.rsa2048),
      ecdsa: text(res.body.data.meta.keys.ecdsa),
    };
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  const path = (id: string, query = '') =>
    `${a.base}/licenses/${encodeURIComponent(id)}/actions/check-out${query}`;
  const post = (id: string, body?: unknown, query = '', auth: Record<string, string> = a.auth) => {
    const req = t.http.post(path(id, query)).set(auth);
    return body === undefined ? req : req.send(body as object);
  };
  const download = (id: string, query = '', auth: Record<string, string> = a.auth) =>
    t.http
      .get(path(id, query))
      .set(auth)
      .buffer(true)
      .parse((res, cb) => {
        let s = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (s += c));
        res.on('end', () => cb(null, s));
      });
  const payloadOf = async (res: { body: any }, licenseKey?: string) => {
    const cert = parseCertificate(res.body.data.attributes.certificate as string);
    expect(verify(cert, keys)).toBe(true);
    return decode(cert, licenseKey);
  };
  const checkedOut = (id: string) =>
    t.events.named('license.checked-out', a.id).filter((e) => e.resource.id === id);

  describe('200', () => {
    it('answers a license-files document with defaults (base64+ed25519, one month)', async () => {
      t.clock.freeze(new Date('2022-10-16T14:52:48.000Z'));
      const { license } = await g.license(a.account);
      const res = await post(license.id).expect(200);
      expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
      expect(res.headers['keygen-signature']).toBeDefined();
      const data = res.body.data;
      expect(data).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'license-files',
        attributes: {
          certificate: expect.stringMatching(/^-----BEGIN LICENSE FILE-----\n/),
          algorithm: 'base64+ed25519',
          includes: [],
          ttl: 2629746,
          expiry: '2022-11-16T14:52:48.000Z',
          issued: '2022-10-16T14:52:48.000Z',
        },
        relationships: {
          account: {
            links: { related: `/v1/accounts/${a.id}` },
            data: { type: 'accounts', id: a.id },
          },
          environment: { links: { related: null }, data: null },
          license: {
            links: { related: `/v1/accounts/${a.id}/licenses/${license.id}` },
            data: { type: 'licenses', id: license.id },
          },
        },
      });
      const payload = await payloadOf(res);
      expect(Object.keys(payload)).toEqual(['data', 'meta']);
      expect(payload.meta).toEqual({
        issued: '2022-10-16T14:52:48.000Z',
        expiry: '2022-11-16T14:52:48.000Z',
        ttl: 2629746,
      });
      expect(payload.data).toMatchObject({
        type: 'licenses',
        id: license.id,
        attributes: { key: license.key },
        links: { self: `/v1/accounts/${a.id}/licenses/${license.id}` },
      });
      const row = await t.ds.getRepository(License).findOneByOrFail({ id: license.id });
      expect(row.lastCheckOutAt).toEqual(new Date('2022-10-16T14:52:48.000Z'));
      expect(checkedOut(license.id)).toHaveLength(1);
      // Each check-out is a new file.
      const again = await post(license.id).expect(200);
      expect(again.body.data.id).not.toBe(data.id);
    });

    it('downloads the bare certificate, signed, as <id>.lic', async () => {
      t.clock.freeze(new Date('2022-10-16T14:52:48.000Z'));
      const { license } = await g.license(a.account);
      const res = await download(license.id).expect(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${license.id}.lic"`);
      expect(res.headers['keygen-signature']).toBeDefined();
      expect(res.headers.digest).toBe(
        `sha-256=${crypto
          .createHash('sha256')
          .update(res.body as string)
          .digest('base64')}`,
      );
      const cert = parseCertificate(res.body as string);
      expect(cert.alg).toBe('base64+ed25519');
      expect(verify(cert, keys)).toBe(true);
      expect(decode(cert).meta).toEqual({
        issued: '2022-10-16T14:52:48.000Z',
        expiry: '2022-11-16T14:52:48.000Z',
        ttl: 2629746,
      });
      expect(checkedOut(license.id)).toHaveLength(1);
    });

    it('checks out by key', async () => {
      const { license, key } = await g.license(a.account);
      const res = await post(key).expect(200);
      expect(res.body.data.relationships.license.data.id).toBe(license.id);
    });
  });

  describe('offline proofs', () => {
    it.each(['ed25519', 'rsa-pss-sha256', 'rsa-sha256', 'ecdsa-p256'])(
      'verifies a %s file with the public key only',
      async (sig) => {
        const { license } = await g.license(a.account);
        const res = await post(license.id, { meta: { algorithm: `base64+${sig}` } }).expect(200);
        expect(res.body.data.attributes.algorithm).toBe(`base64+${sig}`);
        const payload = await payloadOf(res);
        expect(payload.data.id).toBe(license.id);
        const raw = await download(license.id, `?algorithm=base64%2B${sig}`).expect(200);
        const cert = parseCertificate(raw.body as string);
        expect(cert.alg).toBe(`base64+${sig}`);
        expect(verify(cert, keys)).toBe(true);
      },
    );

    it('rejects a tampered file', async () => {
      const { license } = await g.license(a.account);
      const res = await post(license.id).expect(200);
      const cert = parseCertificate(res.body.data.attributes.certificate as string);
      const forged = JSON.stringify({ ...decode(cert), meta: { expiry: null } });
      expect(verify({ ...cert, enc: Buffer.from(forged).toString('base64') }, keys)).toBe(false);
    });

    it('decrypts an aes-256-gcm file with sha256(license key)', async () => {
      const { license, key } = await g.license(a.account);
      const res = await post(license.id, { meta: { encrypt: true } }).expect(200);
      expect(res.body.data.attributes.algorithm).toBe('aes-256-gcm+ed25519');
      const payload = await payloadOf(res, key);
      expect(payload.data).toMatchObject({ id: license.id, attributes: { key } });
      const raw = await download(license.id, '?encrypt=1&algorithm=aes-256-gcm%2Brsa-pss-sha256');
      const cert = parseCertificate(raw.body as string);
      expect(cert.alg).toBe('aes-256-gcm+rsa-pss-sha256');
      expect(verify(cert, keys)).toBe(true);
      expect(decode(cert, key).data.id).toBe(license.id);
      expect(() => decode(cert, `${key}x`)).toThrow();
    });

    it.each([
      ['ED25519_SIGN', 'ed25519'],
      ['RSA_2048_PKCS1_PSS_SIGN_V2', 'rsa-pss-sha256'],
      ['RSA_2048_PKCS1_SIGN_V2', 'rsa-sha256'],
      ['RSA_2048_JWT_RS256', 'rsa-sha256'],
      ['ECDSA_P256_SIGN', 'ecdsa-p256'],
    ])('signs a %s license with %s by default', async (scheme, sig) => {
      const policy = await g.policy(a.account, { scheme });
      const { license } = await g.license(a.account, { policy });
      const res = await post(license.id, undefined, '?encrypt=true').expect(200);
      expect(res.body.data.attributes.algorithm).toBe(`aes-256-gcm+${sig}`);
      const cert = parseCertificate(res.body.data.attributes.certificate as string);
      expect(verify(cert, keys)).toBe(true);
    });
  });

  describe('options', () => {
    it('reads encrypt from the query and meta; blank and null mean false', async () => {
      const { license } = await g.license(a.account);
      const alg = async (body?: unknown, query = '') =>
        (await post(license.id, body, query).expect(200)).body.data.attributes.algorithm;
      expect(await alg(undefined, '?encrypt=1')).toBe('aes-256-gcm+ed25519');
      expect(await alg(undefined, '?encrypt=')).toBe('base64+ed25519');
      expect(await alg({ meta: { encrypt: null } })).toBe('base64+ed25519');
      expect(await alg({ meta: { encrypt: false } }, '?encrypt=true')).toBe('base64+ed25519');
      expect(await alg({ meta: { encrypt: null } }, '?encrypt=true')).toBe('aes-256-gcm+ed25519');
      // An explicit algorithm wins over encrypt; null or empty means the default.
      expect(await alg({ meta: { algorithm: 'base64+rsa-sha256' } }, '?encrypt=1')).toBe(
        'base64+rsa-sha256',
      );
      expect(await alg({ meta: { algorithm: null } }, '?algorithm=base64%2Brsa-sha256')).toBe(
        'base64+ed25519',
      );
      const raw = await download(license.id, '?algorithm=').expect(200);
      expect(parseCertificate(raw.body as string).alg).toBe('base64+ed25519');
    });

    it('takes the ttl from meta or the query, with calendar arithmetic and no upper bound', async () => {
      t.clock.freeze(new Date('2022-10-16T14:52:48.000Z'));
      const { license } = await g.license(a.account);
      const attrs = async (body?: unknown, query = '') =>
        (await post(license.id, body, query).expect(200)).body.data.attributes;
      expect(await attrs({ meta: { ttl: 86400 } })).toMatchObject({
        ttl: 86400,
        expiry: '2022-10-17T14:52:48.000Z',
      });
      expect(await attrs(undefined, '?ttl=3600')).toMatchObject({
        ttl: 3600,
        expiry: '2022-10-16T15:52:48.000Z',
      });
      expect(await attrs({ meta: { ttl: 189341712 } })).toMatchObject({
        expiry: '2028-10-16T14:52:48.000Z',
      });
      expect(await attrs({ meta: { ttl: '7200' } })).toMatchObject({ ttl: 7200 });
      for (const [body, query] of [
        [{ meta: { ttl: null } }, ''],
        [undefined, '?ttl='],
        [undefined, '?ttl=null'],
        [{ meta: { ttl: null } }, '?ttl=7200'],
      ] as const) {
        expect(await attrs(body, query)).toMatchObject({ ttl: null, expiry: null });
      }
      const raw = await download(license.id, '?ttl=').expect(200);
      expect(decode(parseCertificate(raw.body as string)).meta).toEqual({
        issued: '2022-10-16T14:52:48.000Z',
        expiry: null,
        ttl: null,
      });
    });
  });

  describe('includes', () => {
    const included = (payload: Record<string, any>) =>
      (payload.included ?? []).map((r: { type: string; id: string }) => `${r.type}:${r.id}`);

    it('includes the owner (also as `user`) with linkage on the license', async () => {
      const u = await g.user(a.account);
      const { license } = await g.license(a.account, { owner: u.user });
      for (const q of ['?include=owner', '?include=user']) {
        const res = await post(license.id, undefined, q).expect(200);
        expect(res.body.data.attributes.includes).toEqual(['owner']);
        const payload = await payloadOf(res);
        expect(included(payload)).toEqual([`users:${u.user.id}`]);
        expect(payload.included[0].attributes.email).toBe(u.user.email);
        expect(payload.data.relationships.owner).toEqual({
          links: { related: `/v1/accounts/${a.id}/licenses/${license.id}/owner` },
          data: { type: 'users', id: u.user.id },
        });
      }
    });

    it('includes the owner and the licensees as users, with to-many linkage', async () => {
      const owner = await g.user(a.account);
      const { license } = await g.license(a.account, { owner: owner.user });
      const licensees = [await g.user(a.account), await g.user(a.account)];
      for (const l of licensees) {
        await g.licenseUser(license, l.user);
      }
      const res = await post(license.id, { meta: { include: ['users', 'owner'] } }).expect(200);
      const payload = await payloadOf(res);
      const ids = [owner, ...licensees].map((u) => u.user.id);
      expect(included(payload)).toEqual(ids.map((id) => `users:${id}`));
      expect(payload.data.relationships.users).toEqual({
        links: { related: `/v1/accounts/${a.id}/licenses/${license.id}/users` },
        data: ids.map((id) => ({ type: 'users', id })),
        meta: { count: 3 },
      });
    });

    it('includes the policy, product, group and effective entitlements in the order asked', async () => {
      const product = await g.product(a.account);
      const policy = await g.policy(a.account, { product: product.product });
      const fromPolicy = await g.entitlement(a.account);
      await g.policyEntitlement(policy, fromPolicy);
      const group = await g.group(a.account);
      const { license } = await g.license(a.account, { policy, groupId: group.id });
      const own = await g.entitlement(a.account);
      await g.licenseEntitlement(license, own);
      const res = await post(
        license.id,
        undefined,
        '?include=group,entitlements,policy,product,policy',
      ).expect(200);
      expect(res.body.data.attributes.includes).toEqual([
        'group',
        'entitlements',
        'policy',
        'product',
      ]);
      const payload = await payloadOf(res);
      expect(included(payload)).toEqual([
        `groups:${group.id}`,
        `entitlements:${fromPolicy.id}`,
        `entitlements:${own.id}`,
        `policies:${policy.id}`,
        `products:${product.product.id}`,
      ]);
      expect(payload.data.relationships.entitlements.data).toEqual([
        { type: 'entitlements', id: fromPolicy.id },
        { type: 'entitlements', id: own.id },
      ]);
    });

    it('includes the environment of an environment license, nothing for a global one', async () => {
      const env = await g.environment(a.account);
      const l = await g.license(a.account, { environment: env.environment });
      const res = await post(
        l.license.id,
        { meta: { include: ['environment'] } },
        '',
        env.auth,
      ).expect(200);
      expect(res.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
      expect(included(await payloadOf(res))).toEqual([`environments:${env.environment.id}`]);
      const global = await g.license(a.account);
      const res2 = await post(global.license.id, { meta: { include: ['environment'] } }).expect(
        200,
      );
      const payload = await payloadOf(res2);
      expect(payload.included).toBeUndefined();
      expect(payload.data.relationships.environment).toEqual({
        links: { related: null },
        data: null,
      });
    });

    it('renders the payload for the request API version', async () => {
      const policy = await g.policy(a.account, {
        metadata: { parent_key: { child_key: 'value' } },
      });
      const u = await g.user(a.account);
      const { license } = await g.license(a.account, { policy, owner: u.user });
      const at = async (version: string) =>
        payloadOf(
          await post(license.id, undefined, '?include=policy,owner')
            .set('Keygen-Version', version)
            .expect(200),
        );
      const current = await at('1.7');
      expect(current.included[0].attributes.metadata).toEqual({ parentKey: { childKey: 'value' } });
      expect(current.data.relationships.owner).toBeDefined();
      const v14 = await at('1.4');
      expect(v14.included[0].attributes.metadata).toEqual({ parentKey: { child_key: 'value' } });
      expect(v14.data.relationships.owner).toBeUndefined();
      expect(v14.data.relationships.user).toEqual({
        links: { related: `/v1/accounts/${a.id}/licenses/${license.id}/user` },
        data: { type: 'users', id: u.user.id },
      });
      const v13 = await at('1.3');
      expect(v13.included[0].attributes).toMatchObject({
        fingerprintUniquenessStrategy: 'UNIQUE_PER_LICENSE',
        fingerprintMatchingStrategy: 'MATCH_ANY',
      });
    });

    it('omits included when empty includes are asked for', async () => {
      const { license } = await g.license(a.account);
      const payload = await payloadOf(
        await post(license.id, { meta: { include: [] } }).expect(200),
      );
      expect(payload.included).toBeUndefined();
      const raw = await download(license.id, '?include=').expect(200);
      expect(decode(parseCertificate(raw.body as string)).included).toBeUndefined();
    });
  });

  describe('400', () => {
    it.each([
      [{ meta: { algorithm: 'foo+ed25519' } }, '', 'invalid encoding algorithm'],
      [{ meta: { algorithm: 'base64+foo' } }, '', 'invalid signing algorithm'],
      [{ meta: { algorithm: 'base64' } }, '', 'invalid signing algorithm'],
      [undefined, '?algorithm=aes-128-gcm%2Bed25519', 'invalid encoding algorithm'],
    ])('rejects the algorithm %j%s', async (body, query, detail) => {
      const { license } = await g.license(a.account);
      const res = await post(license.id, body, query).expect(400);
      expect(res.body.errors).toEqual([
        badRequest(detail, 'CHECKOUT_ALGORITHM_INVALID', 'algorithm'),
      ]);
      expect(checkedOut(license.id)).toHaveLength(0);
    });

    it.each([
      [{ meta: { ttl: 60 } }, ''],
      [{ meta: { ttl: 0 } }, ''],
      [{ meta: { ttl: 3599 } }, ''],
      [undefined, '?ttl=1'],
      [undefined, '?ttl=abc'],
    ])('rejects the ttl %j%s', async (body, query) => {
      const { license } = await g.license(a.account);
      const res = await post(license.id, body, query).expect(400);
      expect(res.body.errors).toEqual([
        badRequest('must be greater than or equal to 3600 (1 hour)', 'CHECKOUT_TTL_INVALID', 'ttl'),
      ]);
      await download(license.id, query || '?ttl=60').expect(400);
    });

    it('rejects unknown includes', async () => {
      const { license } = await g.license(a.account);
      const res = await post(license.id, { meta: { include: ['account'] } })
        .set('Accept', 'application/json')
        .expect(400);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.errors).toEqual([
        badRequest('invalid includes', 'CHECKOUT_INCLUDE_INVALID', 'include'),
      ]);
      await download(license.id, '?include=policy,account').expect(400);
      expect(checkedOut(license.id)).toHaveLength(0);
    });

    it('checks includes before the ttl and the ttl before the algorithm', async () => {
      const { license } = await g.license(a.account);
      const res = await post(license.id, {
        meta: { include: ['nope'], ttl: 1, algorithm: 'x+y' },
      }).expect(400);
      expect(res.body.errors[0].code).toBe('CHECKOUT_INCLUDE_INVALID');
      const res2 = await post(license.id, { meta: { ttl: 1, algorithm: 'x+y' } }).expect(400);
      expect(res2.body.errors[0].code).toBe('CHECKOUT_TTL_INVALID');
    });

    it('rejects mistyped and unknown body params with a pointer', async () => {
      const { license } = await g.license(a.account);
      const res = await post(license.id, { meta: { include: 'policy' } }).expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'type mismatch (received string expected array)',
          source: { pointer: '/meta/include' },
        },
      ]);
      const res2 = await post(license.id, { meta: { sign: true } }).expect(400);
      expect(res2.body.errors[0]).toMatchObject({
        detail: 'unpermitted parameter',
        source: { pointer: '/meta/sign' },
      });
    });
  });

  describe('authorization', () => {
    const allowed: CallerKind[] = [
      'admin',
      'developer',
      'sales-agent',
      'support-agent',
      'environment',
      'product',
      'owner',
      'licensee',
      'license itself',
    ];
    const expected = matrix(allowed, 200);

    it.each(CALLERS.map((c) => [c, expected[c]] as const))('%s → %i', async (caller, status) => {
      const { license, auth } = await arrange(g, a, caller);
      const res = await post(license.id, undefined, '', auth);
      expect(res.status).toBe(status);
      expect((await download(license.id, '', auth)).status).toBe(status);
      expect(checkedOut(license.id)).toHaveLength(status === 200 ? 2 : 0);
      if (status === 404) {
        expect(res.body.errors).toEqual([notFound(license.id)]);
      }
    });

    it('404s before a bad param, which comes before the check-out rule', async () => {
      await post('no-such-license', { meta: { include: 'x' } }).expect(404);
      const reader = await g.user(a.account, { role: 'read-only' });
      const { license } = await g.license(a.account);
      await post(license.id, { meta: { include: 'x' } }, '', reader.auth).expect(400);
      const res = await post(license.id, { meta: { ttl: 1 } }, '', reader.auth).expect(403);
      expect(res.body.errors).toEqual([
        accessDenied('read only lacks permission to perform action'),
      ]);
    });

    it('needs the read permission of each include, after the option rules', async () => {
      const l = await g.license(a.account);
      // Licenses hold no product.read, policy.read or user.read by default.
      for (const include of ['product', 'policy', 'owner', 'users']) {
        const res = await post(l.license.id, { meta: { include: [include] } }, '', l.auth).expect(
          403,
        );
        expect(res.body.errors).toEqual([
          accessDenied('license lacks permission to perform action'),
        ]);
      }
      await post(l.license.id, { meta: { include: ['entitlements', 'group'] } }, '', l.auth).expect(
        200,
      );
      await post(l.license.id, { meta: { include: ['product'], ttl: 1 } }, '', l.auth).expect(400);
      const granted = await g.license(a.account, {
        permissions: ['license.read', 'license.check-out', 'product.read', 'user.read'],
      });
      await post(
        granted.license.id,
        { meta: { include: ['product', 'owner'] } },
        '',
        granted.auth,
      ).expect(200);
      // A user holds user.read but not policy.read.
      const u = await g.user(a.account);
      const owned = await g.license(a.account, { owner: u.user });
      await post(owned.license.id, undefined, '?include=owner', u.auth).expect(200);
      await download(owned.license.id, '?include=policy', u.auth).expect(403);
    });

    it('refuses a token lacking license.check-out', async () => {
      const l = await g.license(a.account, { tokenPermissions: ['license.read'] });
      const res = await post(l.license.id, undefined, '', l.auth).expect(403);
      expect(res.body.errors).toEqual([accessDenied('token lacks permission to perform action')]);
    });

    it('forbids a shared environment checking out a global license', async () => {
      const env = await g.environment(a.account, { isolationStrategy: 'SHARED' });
      const { license } = await g.license(a.account);
      const res = await post(license.id, undefined, '', env.auth).expect(403);
      expect(res.body.errors).toEqual([
        accessDenied('record environment is not compatible with the current environment'),
      ]);
      const shared = await g.license(a.account, { environment: env.environment });
      const ok = await post(shared.license.id, undefined, '', env.auth).expect(200);
      expect(ok.body.data.relationships.environment.data).toEqual({
        type: 'environments',
        id: env.environment.id,
      });
    });
  });
});
