import { requestTime, toEntry, toRow, type CapturedRequest } from './request-log-entry';

const ACCOUNT = '7fb2e7ed-718e-4b2f-abc5-580143e96c9c';
const LICENSE = '3b4ad9c6-1f2e-4c6b-9d0a-5e7f8a9b0c1d';
const KEY = 'C1B6DE-39A6E3-DE1A5C-E8C6B6-5E0B8A-V3';
const JSONAPI = 'application/vnd.api+json; charset=utf-8';

function captured(over: Partial<CapturedRequest> = {}): CapturedRequest {
  return {
    id: '01a20243-d295-72ec-8f9d-3396e3c1e7bf',
    accountId: ACCOUNT,
    environmentId: null,
    requestor: null,
    method: 'POST',
    url: `/v1/accounts/${ACCOUNT}/licenses/actions/validate-key`,
    status: 200,
    userAgent: 'keygen-go/3.0',
    ip: '127.0.0.1',
    requestHeaders: { Accept: 'application/vnd.api+json', Host: 'api.keyward.test' },
    requestBody: { meta: { key: KEY, scope: { fingerprint: 'fp-1' } } },
    responseHeaders: { 'Content-Type': JSONAPI, 'Keygen-Signature': 'keyid="a", signature="s"' },
    responseBytes: Buffer.from(
      JSON.stringify({
        data: { id: LICENSE, type: 'licenses', attributes: { key: KEY, name: null } },
        meta: { valid: false, code: 'SUSPENDED' },
      }),
    ),
    proxyStart: null,
    startedAt: Date.parse('2024-06-04T16:18:36.789Z'),
    endedAt: Date.parse('2024-06-04T16:18:36.801Z'),
    touched: [],
    ...over,
  };
}

const NOW = new Date('2024-06-04T16:18:37.000Z');
const row = (over: Partial<CapturedRequest> = {}, max = 1024) =>
  toRow(toEntry(captured(over), max), NOW);

describe('request log rows (spec 06 §1.5–1.6)', () => {
  it('redacts the license key of a failed validate-key in both bodies, and resolves the license', () => {
    const r = row();
    expect(JSON.parse(r.requestBody!)).toEqual({
      meta: { key: 'C1B6...A-V3', scope: { fingerprint: 'fp-1' } },
    });
    expect(JSON.parse(r.responseBody as string)).toEqual({
      data: { id: LICENSE, type: 'licenses', attributes: { key: 'C1B6...A-V3', name: null } },
      meta: { valid: false, code: 'SUSPENDED' },
    });
    expect(JSON.stringify(r)).not.toContain(KEY);
    expect(r).toMatchObject({
      resourceType: 'licenses',
      resourceId: LICENSE,
      status: '200',
      method: 'POST',
      responseSignature: 'keyid="a", signature="s"',
      createdAt: new Date('2024-06-04T16:18:36.789Z'),
      updatedAt: NOW,
      runTime: 12,
    });
  });

  it('keeps only data and meta of the request body, camelizing the snake_cased keys', () => {
    const r = row({
      requestBody: {
        data: {
          type: 'users',
          attributes: { first_name: 'Jane', password: 'supersecretpassword' },
        },
        extra: 1,
      },
    });
    expect(JSON.parse(r.requestBody!)).toEqual({
      data: { type: 'users', attributes: { firstName: 'Jane', password: 's...d' } },
    });
    expect(row({ requestBody: {} }).requestBody).toBeNull();
    expect(row({ requestBody: undefined }).requestBody).toBeNull();
    expect(row({ requestBody: { data: null } }).requestBody).toBe('{"data":null}');
  });

  it('filters credentials out of the URL', () => {
    expect(row({ url: `/v1/accounts/${ACCOUNT}/me?auth=license:${KEY}&limit=2` }).url).toBe(
      `/v1/accounts/${ACCOUNT}/me?auth=[FILTERED]&limit=2`,
    );
  });

  it('stores text verbatim and drops binary, empty, unparseable and over-cap bodies', () => {
    const text = {
      responseHeaders: { 'Content-Type': 'text/plain' },
      responseBytes: Buffer.from('token=abc'),
    };
    expect(row(text).responseBody).toBe('token=abc');
    expect(
      row({
        responseHeaders: { 'Content-Type': 'application/octet-stream' },
        responseBytes: Buffer.from([1, 2]),
      }).responseBody,
    ).toBeNull();
    expect(row({ responseBytes: Buffer.alloc(0) }).responseBody).toBeNull();
    expect(row({ responseBytes: Buffer.from('{nope') }).responseBody).toBeNull();
    expect(row({}, 10).responseBody).toBeNull();
    expect(row({ responseHeaders: {} }).responseSignature).toBeNull();
  });

  it('sanitises the user agent and takes the earlier proxy start time', () => {
    expect(row({ userAgent: 'Café/1.0 ☕' }).userAgent).toBe('Caf?/1.0 ?');
    expect(row({ userAgent: '' }).userAgent).toBeNull();
    const start = Date.parse('2024-06-04T16:18:36.789Z');
    expect(
      requestTime(
        start,
        `t=${Math.floor((start - 1500) / 1000)}.${String((start - 1500) % 1000).padStart(3, '0')}`,
      ),
    ).toBe(start - 1500);
    expect(requestTime(start, String((start - 250) * 1000))).toBe(start - 250);
    expect(requestTime(start, String((start + 5000) * 1000))).toBe(start);
    expect(requestTime(start, 'garbage')).toBe(start);
    const r = row({ proxyStart: String((start - 250) * 1000) });
    expect(r.createdAt).toEqual(new Date(start - 250));
    expect(r.queueTime).toBe(250);
  });

  it('keeps the bytes that were sent when in process and nothing needs redacting', () => {
    const plain = Buffer.from(
      JSON.stringify({ data: { id: LICENSE, type: 'licenses', attributes: { name: 'ok' } } }),
    );
    const kept = toRow(toEntry(captured({ responseBytes: plain }), 1024, true), NOW);
    expect(kept.responseBody).toBe(plain);
    expect(kept.resourceId).toBe(LICENSE);
    // Through a serialising queue the same body travels as text.
    const queued = toEntry(captured({ responseBytes: plain }), 1024);
    expect(queued.responseText).toBe(plain.toString('utf8'));
    expect(toRow(JSON.parse(JSON.stringify(queued)) as typeof queued, NOW).responseBody).toBe(
      plain.toString('utf8'),
    );
    // A body with a secret becomes its redacted text either way.
    const secret = toRow(toEntry(captured(), 1024, true), NOW).responseBody;
    expect(typeof secret).toBe('string');
    expect(secret).not.toContain(KEY);
    expect(toRow(toEntry(captured(), 10, true), NOW).responseBody).toBeNull();
  });

  it('has no resource for an unknown key (data null) and for creates', () => {
    const unknown = Buffer.from(
      JSON.stringify({ data: null, meta: { valid: false, code: 'NOT_FOUND' } }),
    );
    expect(row({ responseBytes: unknown }).resourceId).toBeNull();
    expect(row({ url: `/v1/accounts/${ACCOUNT}/licenses`, status: 201 }).resourceId).toBeNull();
  });
});
