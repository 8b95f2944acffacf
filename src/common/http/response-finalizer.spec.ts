import type { Response } from 'express';
import { AccountSigner, generateAccountKeys, signingString, verifySignature } from '@libs/crypto';
import { loadConfig } from '@app/config/app.config';
import type { ResolvedAccount } from '../context/request-context';
import type { HttpState, KeywardRequest } from './http-state';
import { EXPOSED_HEADERS, type RequestLogSink, ResponseFinalizer } from './response-finalizer';

const EMPTY_DIGEST = 'sha-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const ACCOUNT_ID = '3f3c7f6e-5b1e-4f43-9a5e-1d2c3b4a5f60';
const keys = generateAccountKeys();

function fakeRes(): Response & { headers: Record<string, string>; code?: number } {
  const res = {
    headers: {} as Record<string, string>,
    code: undefined as number | undefined,
    status(code: number) {
      res.code = code;
      return res;
    },
    setHeader(k: string, v: string) {
      res.headers[k] = v;
      return res;
    },
  };
  return res as unknown as Response & { headers: Record<string, string>; code?: number };
}

function account(): ResolvedAccount {
  return {
    account: { id: ACCOUNT_ID, apiVersion: '1.8' } as ResolvedAccount['account'],
    signer: new AccountSigner(keys),
    secretKey: keys.secretKey,
  };
}

function fakeReq(
  state: Partial<HttpState> = {},
  headers: Record<string, string> = {},
): KeywardRequest {
  return {
    method: 'GET',
    path: `/v1/accounts/${ACCOUNT_ID}`,
    headers: { host: 'api.example.test:443', ...headers },
    keyward: {
      requestId: '01900000-0000-7000-8000-000000000000',
      startedAt: 0,
      originalUrl: `/v1/accounts/${ACCOUNT_ID}?a=1`,
      method: 'GET',
      apiVersion: '1.8',
      signatureAlgorithm: 'ed25519',
      authScheme: 'Bearer',
      account: account(),
      ...state,
    },
  } as unknown as KeywardRequest;
}

const config = loadConfig({ KEYGEN_MODE: 'multiplayer', KEYGEN_HOST: 'api.example.test' });

describe('ResponseFinalizer', () => {
  const finalizer = new ResponseFinalizer(config);

  it('signs an empty 204 with the digest of the empty string and sends no Content-Type', async () => {
    const res = fakeRes();
    const req = fakeReq({}, {});
    const bytes = await finalizer.finalize(req, res, 204, { ignored: true });
    expect(bytes.length).toBe(0);
    expect(res.code).toBe(204);
    expect(res.headers.Digest).toBe(EMPTY_DIGEST);
    expect(res.headers['Keygen-Digest']).toBe(EMPTY_DIGEST);
    expect(res.headers['Content-Type']).toBeUndefined();
    const signing = signingString({
      method: 'GET',
      target: `/v1/accounts/${ACCOUNT_ID}?a=1`,
      host: 'api.example.test',
      date: res.headers.Date,
      digest: EMPTY_DIGEST,
    });
    const sig = /signature="([^"]+)"/.exec(res.headers['Keygen-Signature'])![1];
    expect(verifySignature('ed25519', keys.ed25519PublicKeyHex, signing, sig)).toBe(true);
  });

  it('sends IMF-fixdate Date and Keygen-Date copies', async () => {
    const res = fakeRes();
    await finalizer.finalize(fakeReq(), res, 200, { data: null });
    expect(res.headers.Date).toMatch(
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
    );
    expect(res.headers['Keygen-Date']).toBe(res.headers.Date);
    expect(res.headers['Content-Type']).toBe('application/vnd.api+json; charset=utf-8');
  });

  it('echoes the algorithm as the client spelled it', async () => {
    const res = fakeRes();
    await finalizer.finalize(
      fakeReq({ signatureAlgorithm: 'rsa-sha256', signatureAlgorithmName: 'RSA-SHA256' }),
      res,
      200,
      { data: null },
    );
    expect(res.headers['Keygen-Signature']).toMatch(
      /^keyid="[^"]+", algorithm="RSA-SHA256", signature="[^"]+", headers="\(request-target\) host date digest"$/,
    );
  });

  it('sends no signature headers when the accept-signature header was unusable', async () => {
    const res = fakeRes();
    await finalizer.finalize(fakeReq({ signatureAlgorithm: null }), res, 400, { errors: [] });
    for (const h of ['Date', 'Digest', 'Keygen-Date', 'Keygen-Digest', 'Keygen-Signature']) {
      expect(res.headers[h]).toBeUndefined();
    }
    expect(res.headers['Keygen-Account']).toBe(ACCOUNT_ID);
  });

  it('sends Date and Digest but no Keygen-Signature for a foreign keyid', async () => {
    const res = fakeRes();
    await finalizer.finalize(fakeReq({ signatureKeyidMismatch: true }), res, 400, { errors: [] });
    expect(res.headers.Digest).toMatch(/^sha-256=/);
    expect(res.headers['Keygen-Date']).toBe(res.headers.Date);
    expect(res.headers['Keygen-Signature']).toBeUndefined();
  });

  it('does not sign without an account but still sends the default headers', async () => {
    const res = fakeRes();
    await finalizer.finalize(fakeReq({ account: undefined }), res, 404, { errors: [] });
    expect(res.headers['Keygen-Signature']).toBeUndefined();
    expect(res.headers.Digest).toBeUndefined();
    expect(res.headers).toMatchObject({
      'Keygen-Edition': 'EE',
      'Keygen-Mode': 'multiplayer',
      'Keygen-Version': '1.8',
      'X-Request-Id': '01900000-0000-7000-8000-000000000000',
      'Cache-Control': 'no-transform, no-store, max-age=0',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    });
    expect(res.headers['Keygen-Account']).toBeUndefined();
  });

  it('applies header migrations before signing (≤1.3 -Id names)', async () => {
    const res = fakeRes();
    await finalizer.finalize(fakeReq({ apiVersion: '1.2' }), res, 200, { data: null });
    expect(res.headers['Keygen-Account-Id']).toBe(ACCOUNT_ID);
    expect(res.headers['Keygen-Account']).toBeUndefined();
    expect(res.headers['Keygen-Version']).toBe('1.2');
  });

  it('merges rate-limit headers and handler headers, and sets an absolute Location on creates', async () => {
    const res = fakeRes();
    await finalizer.finalize(
      fakeReq({ rateLimitHeaders: { 'X-RateLimit-Window': '1s' } }),
      res,
      201,
      { data: null },
      { locationPath: '/v1/accounts/x/users/y', headers: { 'X-Extra': '1' } },
    );
    expect(res.headers['X-RateLimit-Window']).toBe('1s');
    expect(res.headers['X-Extra']).toBe('1');
    expect(res.headers.Location).toBe('https://api.example.test/v1/accounts/x/users/y');
  });

  it('negotiates the content type from Accept', async () => {
    const res = fakeRes();
    await finalizer.finalize(fakeReq({}, { accept: 'application/json' }), res, 200, { data: null });
    expect(res.headers['Content-Type']).toBe('application/json; charset=utf-8');
  });

  it('records only requests with an account in the request log', async () => {
    const record = jest.fn();
    const sink: RequestLogSink = { record };
    const logged = new ResponseFinalizer(config, sink);
    await logged.finalize(fakeReq(), fakeRes(), 200, { data: null });
    await logged.finalize(fakeReq({ account: undefined }), fakeRes(), 404, { errors: [] });
    expect(record).toHaveBeenCalledTimes(1);
    expect(record.mock.calls[0][1]).toBe(200);
  });

  it('renders middleware errors with only Content-Type and CORS headers', async () => {
    const res = fakeRes();
    const bytes = finalizer.middlewareBody(
      res,
      400,
      { errors: [{ title: 'Bad request' }] },
      { 'X-A': 'b' },
    );
    expect(JSON.parse(bytes.toString())).toEqual({ errors: [{ title: 'Bad request' }] });
    expect(res.code).toBe(400);
    expect(res.headers).toEqual({
      'Content-Type': 'application/vnd.api+json; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': EXPOSED_HEADERS,
      'X-A': 'b',
    });
  });
});
