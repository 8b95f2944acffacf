import {
  httpDate,
  parseAcceptSignature,
  parseSignatureHeader,
  sha256Digest,
  signatureHeader,
  signingString,
} from './http-signature';

describe('sha256Digest', () => {
  it('returns the constant digest for an empty body', () => {
    const empty = 'sha-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
    expect(sha256Digest('')).toBe(empty);
    expect(sha256Digest(Buffer.alloc(0))).toBe(empty);
  });

  it('hashes the UTF-8 bytes of the body', () => {
    // echo -n 'hello' | sha256sum | xxd -r -p | base64
    expect(sha256Digest('hello')).toBe('sha-256=LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=');
    expect(sha256Digest(Buffer.from('héllo'))).toBe(sha256Digest('héllo'));
  });
});

describe('httpDate', () => {
  it('formats an IMF-fixdate', () => {
    expect(httpDate(new Date('2021-06-09T16:08:15.123Z'))).toBe('Wed, 09 Jun 2021 16:08:15 GMT');
  });
});

describe('signingString', () => {
  const base = {
    method: 'GET',
    target: '/v1/accounts/abc/licenses?page[size]=1',
    host: 'api.keygen.sh',
    date: 'Wed, 09 Jun 2021 16:08:15 GMT',
    digest: 'sha-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
  };

  it('builds four lines without a trailing newline', () => {
    expect(signingString(base)).toBe(
      '(request-target): get /v1/accounts/abc/licenses?page[size]=1\n' +
        'host: api.keygen.sh\n' +
        'date: Wed, 09 Jun 2021 16:08:15 GMT\n' +
        'digest: sha-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    );
  });

  it('strips the port from the host and uses "/" for an empty target', () => {
    const s = signingString({ ...base, method: 'POST', target: '', host: 'localhost:3000' });
    const lines = s.split('\n');
    expect(lines[0]).toBe('(request-target): post /');
    expect(lines[1]).toBe('host: localhost');
    expect(s.endsWith('\n')).toBe(false);
  });

  it('keeps IPv6 brackets while stripping the port', () => {
    expect(signingString({ ...base, host: '[::1]:8080' }).split('\n')[1]).toBe('host: [::1]');
    expect(signingString({ ...base, host: '[::1]' }).split('\n')[1]).toBe('host: [::1]');
  });
});

describe('parseAcceptSignature', () => {
  it.each([
    [undefined, { ok: true, algorithm: 'ed25519' }],
    ['', { ok: true, algorithm: 'ed25519' }],
    ['   ', { ok: true, algorithm: 'ed25519' }],
    ['algorithm="ed25519"', { ok: true, algorithm: 'ed25519' }],
    ['algorithm="rsa-sha256"', { ok: true, algorithm: 'rsa-sha256' }],
    ['algorithm="ecdsa-p256"', { ok: true, algorithm: 'ecdsa-p256' }],
    [
      'keyid="abc", algorithm="rsa-pss-sha256"',
      { ok: true, algorithm: 'rsa-pss-sha256', keyid: 'abc' },
    ],
    ['keyid="abc",algorithm="ed25519"', { ok: true, algorithm: 'ed25519', keyid: 'abc' }],
    ['ALGORITHM="ED25519"', { ok: true, algorithm: 'ed25519' }],
    ['KeyId="Abc", Algorithm="RSA-SHA256"', { ok: true, algorithm: 'rsa-sha256', keyid: 'Abc' }],
    ['algorithm="ed25519";', { ok: true, algorithm: 'ed25519' }],
    ['  algorithm="ed25519" ; ', { ok: true, algorithm: 'ed25519' }],
  ])('accepts %p', (header, expected) => {
    expect(parseAcceptSignature(header)).toEqual(expected);
  });

  it.each([
    'keyid="x" algorithm="ed25519"',
    '<algorithm:rsa>',
    'algorithm=ed25519',
    'algorithm=""',
    'keyid="x"',
    'algorithm="ed25519";;',
    'algorithm="ed25519" extra',
    'foo="bar", algorithm="ed25519"',
    // compat: Keygen's regex allows no whitespace around `=`.
    'algorithm = "ed25519"',
    'keyid ="x", algorithm="ed25519"',
  ])('rejects %p as malformed', (header) => {
    expect(parseAcceptSignature(header)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each(['algorithm="rsa-sha1"', 'keyid="x", algorithm="hmac-sha256"'])(
    'rejects %p as unsupported',
    (header) => {
      expect(parseAcceptSignature(header)).toEqual({ ok: false, reason: 'unsupported algorithm' });
    },
  );
});

describe('signatureHeader / parseSignatureHeader', () => {
  it('formats the Keygen-Signature header', () => {
    expect(signatureHeader({ keyid: 'acc-1', algorithm: 'ed25519', signature: 'c2ln' })).toBe(
      'keyid="acc-1", algorithm="ed25519", signature="c2ln", ' +
        'headers="(request-target) host date digest"',
    );
  });

  it('parses what it formats', () => {
    const value = signatureHeader({
      keyid: 'k',
      algorithm: 'rsa-pss-sha256',
      signature: 'a+b/c==',
    });
    expect(parseSignatureHeader(value)).toEqual({
      keyid: 'k',
      algorithm: 'rsa-pss-sha256',
      signature: 'a+b/c==',
      headers: '(request-target) host date digest',
    });
  });

  it('returns null for incomplete or malformed values', () => {
    expect(parseSignatureHeader('keyid="k", algorithm="ed25519"')).toBeNull();
    expect(parseSignatureHeader('garbage')).toBeNull();
    expect(parseSignatureHeader('')).toBeNull();
    expect(
      parseSignatureHeader('keyid="k" algorithm="ed25519", signature="s", headers="h"'),
    ).toBeNull();
  });
});
