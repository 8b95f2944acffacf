import { httpDate, sha256Digest, signatureHeader, signingString } from './http-signature';
import { type AccountKeyMaterial, generateAccountKeys } from './keys';
import { AccountSigner, verifySignature } from './signer';
import { signEd25519WithNoble, verifyEd25519WithNoble, verifyKeygenResponse } from './verify';

describe('@noble/ed25519 interop', () => {
  let keys: AccountKeyMaterial;
  let signer: AccountSigner;

  beforeAll(() => {
    keys = generateAccountKeys();
    signer = new AccountSigner(keys);
  });

  it.each(['', 'hello', 'ünïcödé ✓\nmultiline', 'x'.repeat(10_000)])(
    'node:crypto and noble produce byte-identical signatures (%#)',
    async (message) => {
      const fromNode = signer.sign('ed25519', message);
      const fromNoble = await signEd25519WithNoble(keys.ed25519PrivateKeyPem, message);
      expect(fromNoble).toBe(fromNode);
      expect(Buffer.from(fromNoble, 'base64')).toHaveLength(64);
    },
  );

  it('accepts Buffer messages identically to strings', async () => {
    const fromNoble = await signEd25519WithNoble(keys.ed25519PrivateKeyPem, Buffer.from('abc'));
    expect(fromNoble).toBe(signer.sign('ed25519', 'abc'));
  });

  it('noble verifies node signatures and node verifies noble signatures', async () => {
    const message = 'cross-check';
    const fromNode = signer.sign('ed25519', message);
    await expect(verifyEd25519WithNoble(keys.ed25519PublicKeyHex, message, fromNode)).resolves.toBe(
      true,
    );
    const fromNoble = await signEd25519WithNoble(keys.ed25519PrivateKeyPem, message);
    expect(verifySignature('ed25519', keys.ed25519PublicKeyHex, message, fromNoble)).toBe(true);
  });

  it('noble rejects tampered messages, wrong keys and malformed input', async () => {
    const signature = signer.sign('ed25519', 'msg');
    const other = generateAccountKeys();
    await expect(verifyEd25519WithNoble(keys.ed25519PublicKeyHex, 'msg2', signature)).resolves.toBe(
      false,
    );
    await expect(verifyEd25519WithNoble(other.ed25519PublicKeyHex, 'msg', signature)).resolves.toBe(
      false,
    );
    await expect(verifyEd25519WithNoble('zz', 'msg', signature)).resolves.toBe(false);
    await expect(verifyEd25519WithNoble(keys.ed25519PublicKeyHex, 'msg', '!!')).resolves.toBe(
      false,
    );
    await expect(verifyEd25519WithNoble(keys.ed25519PublicKeyHex, 'msg', 'AAAA')).resolves.toBe(
      false,
    );
  });

  it('signEd25519WithNoble rejects non-Ed25519 keys', async () => {
    await expect(signEd25519WithNoble(keys.rsaPrivateKeyPem, 'msg')).rejects.toThrow(/Ed25519/);
  });
});

describe('verifyKeygenResponse', () => {
  let keys: AccountKeyMaterial;
  let signer: AccountSigner;
  const accountId = '1fddcec8-8dd3-4d8d-9b16-215cac0f9b52';
  const request = {
    method: 'GET',
    target: '/v1/accounts/demo/licenses/abc?x=1',
    host: 'api.example.com',
  };
  const body = JSON.stringify({ data: { id: 'abc', type: 'licenses' } });

  /** Signs a response the way the server does. */
  function signResponse(responseBody: string, algorithm: 'ed25519' | 'rsa-sha256' = 'ed25519') {
    const date = httpDate(new Date('2024-01-02T03:04:05Z'));
    const digest = sha256Digest(responseBody);
    const data = signingString({ ...request, host: `${request.host}:443`, date, digest });
    const signature = signer.sign(algorithm, data);
    return {
      date,
      digest,
      'keygen-signature': signatureHeader({ keyid: accountId, algorithm, signature }),
    };
  }

  beforeAll(() => {
    keys = generateAccountKeys();
    signer = new AccountSigner(keys);
  });

  it('accepts a correctly signed response', async () => {
    const headers = signResponse(body);
    await expect(
      verifyKeygenResponse({ publicKeyHex: keys.ed25519PublicKeyHex, ...request, headers, body }),
    ).resolves.toBe(true);
    await expect(
      verifyKeygenResponse({
        publicKeyHex: keys.ed25519PublicKeyHex,
        ...request,
        headers,
        body: Buffer.from(body),
      }),
    ).resolves.toBe(true);
  });

  it('accepts a signed empty body', async () => {
    const headers = signResponse('');
    await expect(
      verifyKeygenResponse({
        publicKeyHex: keys.ed25519PublicKeyHex,
        ...request,
        headers,
        body: '',
      }),
    ).resolves.toBe(true);
  });

  it('rejects a changed body', async () => {
    const headers = signResponse(body);
    const changed = body.replace('abc', 'abd');
    await expect(
      verifyKeygenResponse({
        publicKeyHex: keys.ed25519PublicKeyHex,
        ...request,
        headers,
        body: changed,
      }),
    ).resolves.toBe(false);
  });

  it('rejects a changed body even when the digest header is recomputed', async () => {
    const headers = signResponse(body);
    const changed = `${body} `;
    await expect(
      verifyKeygenResponse({
        publicKeyHex: keys.ed25519PublicKeyHex,
        ...request,
        headers: { ...headers, digest: sha256Digest(changed) },
        body: changed,
      }),
    ).resolves.toBe(false);
  });

  it('rejects a different target, date, host or key', async () => {
    const headers = signResponse(body);
    const base = { publicKeyHex: keys.ed25519PublicKeyHex, ...request, headers, body };
    await expect(verifyKeygenResponse({ ...base, target: '/v1/other' })).resolves.toBe(false);
    await expect(verifyKeygenResponse({ ...base, host: 'evil.example.com' })).resolves.toBe(false);
    await expect(
      verifyKeygenResponse({ ...base, headers: { ...headers, date: httpDate(new Date()) } }),
    ).resolves.toBe(false);
    await expect(
      verifyKeygenResponse({ ...base, publicKeyHex: generateAccountKeys().ed25519PublicKeyHex }),
    ).resolves.toBe(false);
  });

  it('rejects non-ed25519 and malformed signature headers', async () => {
    const base = { publicKeyHex: keys.ed25519PublicKeyHex, ...request, body };
    await expect(
      verifyKeygenResponse({ ...base, headers: signResponse(body, 'rsa-sha256') }),
    ).resolves.toBe(false);
    await expect(
      verifyKeygenResponse({
        ...base,
        headers: { ...signResponse(body), 'keygen-signature': 'x' },
      }),
    ).resolves.toBe(false);
  });
});
