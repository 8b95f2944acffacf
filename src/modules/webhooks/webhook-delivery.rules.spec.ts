import { decideAttempt, retryDelayMs } from './webhook-delivery.rules';
import type { SendResult } from './webhook-transport';

const KEYGEN = { maxRetries: 15, unitMs: 1000, jitterUnits: 600 };
const response = (status: number, body = ''): SendResult => ({ kind: 'response', status, body });
const failure = (f: Extract<SendResult, { kind: 'error' }>['failure']): SendResult => ({
  kind: 'error',
  failure: f,
  message: 'x',
});

describe('retryDelayMs', () => {
  it("follows Keygen's n⁴ + 600·rand(1..10) seconds", () => {
    expect(retryDelayMs(0, KEYGEN, () => 0)).toBe(600_000);
    expect(retryDelayMs(0, KEYGEN, () => 0.999)).toBe(6_000_000);
    expect(retryDelayMs(3, KEYGEN, () => 0.45)).toBe((81 + 600 * 5) * 1000);
    expect(retryDelayMs(14, KEYGEN, () => 0)).toBe((14 ** 4 + 600) * 1000);
  });

  it('spreads 15 retries over roughly two to three days', () => {
    const total = (r: () => number) =>
      Array.from({ length: 15 }, (_, n) => retryDelayMs(n, KEYGEN, r)).reduce((a, b) => a + b, 0);
    const day = 86_400_000;
    expect(total(() => 0) / day).toBeGreaterThan(1.4);
    expect(total(() => 0.999) / day).toBeLessThan(3.3);
  });

  it('scales with the configured unit and jitter', () => {
    expect(retryDelayMs(2, { maxRetries: 15, unitMs: 1, jitterUnits: 0 })).toBe(16);
  });
});

describe('decideAttempt', () => {
  const url = 'https://example.com/hooks';

  it.each([200, 201, 204, 299])('%i → DELIVERED', (status) => {
    expect(decideAttempt(response(status, 'ok'), url, false)).toEqual({
      record: true,
      status: 'DELIVERED',
      lastResponseCode: status,
      lastResponseBody: 'ok',
      retry: false,
      disableEndpoint: false,
    });
  });

  it.each([199, 301, 302, 400, 404, 500, 503])('%i → FAILING and retried', (status) => {
    expect(decideAttempt(response(status, 'no'), url, false)).toMatchObject({
      status: 'FAILING',
      lastResponseCode: status,
      lastResponseBody: 'no',
      retry: true,
      disableEndpoint: false,
    });
  });

  it('ends FAILED when the last retry fails', () => {
    expect(decideAttempt(response(500), url, true)).toMatchObject({
      status: 'FAILED',
      retry: false,
    });
    expect(decideAttempt(failure('REQ_TIMEOUT'), url, true)).toMatchObject({
      status: 'FAILED',
      lastResponseBody: 'REQ_TIMEOUT',
      retry: false,
    });
  });

  it.each([410, 530])('%i → FAILED and the endpoint is disabled', (status) => {
    expect(decideAttempt(response(status, 'gone'), url, false)).toMatchObject({
      status: 'FAILED',
      lastResponseCode: status,
      retry: false,
      disableEndpoint: true,
    });
  });

  it('disables a dead ngrok tunnel and stops on tunnel gateway timeouts', () => {
    const ngrok = 'https://abc123.ngrok.io/hooks';
    expect(
      decideAttempt(response(404, 'Tunnel abc123.ngrok.io not found'), ngrok, false),
    ).toMatchObject({ status: 'FAILED', disableEndpoint: true });
    expect(decideAttempt(response(404, 'nope'), ngrok, false)).toMatchObject({ status: 'FAILING' });
    expect(decideAttempt(response(504), ngrok, false)).toMatchObject({
      status: 'FAILED',
      disableEndpoint: false,
    });
    expect(decideAttempt(response(504), 'https://x.loca.lt', false)).toMatchObject({
      status: 'FAILED',
    });
    expect(decideAttempt(response(504), url, false)).toMatchObject({ status: 'FAILING' });
  });

  it.each(['SSL_ERROR', 'REQ_TIMEOUT'] as const)('%s → FAILING with no code, retried', (tag) => {
    expect(decideAttempt(failure(tag), url, false)).toMatchObject({
      record: true,
      status: 'FAILING',
      lastResponseCode: null,
      lastResponseBody: tag,
      retry: true,
    });
  });

  it.each([
    'CONN_REFUSED',
    'CONN_RESET',
    'NET_UNREACH',
    'HOST_UNREACH',
    'DNS_ERROR',
    'EOF_ERROR',
  ] as const)('%s → FAILED, not retried', (tag) => {
    expect(decideAttempt(failure(tag), url, false)).toMatchObject({
      status: 'FAILED',
      lastResponseCode: null,
      lastResponseBody: tag,
      retry: false,
      disableEndpoint: false,
    });
  });

  it('retries unclassified errors without recording them', () => {
    expect(decideAttempt(failure(null), url, false)).toMatchObject({ record: false, retry: true });
    expect(decideAttempt(failure(null), url, true)).toMatchObject({
      record: false,
      status: 'FAILED',
      retry: false,
    });
  });
});
