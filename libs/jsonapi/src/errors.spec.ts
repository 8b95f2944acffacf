import { DEFAULT_DETAILS, errorDocument, errorObject, modelErrorCode, TITLES } from './errors';

describe('errorObject', () => {
  it('orders keys title, detail, code, source, links', () => {
    const e = errorObject({
      links: { about: 'https://keygen.sh/docs/api/licenses/#licenses-object-attrs-metadata' },
      source: { pointer: '/data/attributes/metadata' },
      code: 'METADATA_TOO_LONG',
      detail: 'too many keys (exceeded limit of 64 keys)',
      title: 'Unprocessable resource',
    });
    expect(Object.keys(e)).toEqual(['title', 'detail', 'code', 'source', 'links']);
  });

  it('omits empty members', () => {
    const e = errorObject({
      title: 'Bad request',
      detail: 'unpermitted parameter',
      code: '',
      source: { pointer: '/data/foo', parameter: undefined },
      links: {},
    });
    expect(JSON.stringify(e)).toBe(
      '{"title":"Bad request","detail":"unpermitted parameter","source":{"pointer":"/data/foo"}}',
    );
    const bare = errorObject({
      title: 'Conflict',
      detail: undefined,
      code: null as unknown as string,
      source: { pointer: undefined },
      links: { about: '' },
    });
    expect(JSON.stringify(bare)).toBe('{"title":"Conflict"}');
  });
});

describe('errorDocument', () => {
  it('puts meta first when a request id is given', () => {
    const doc = errorDocument([{ title: 'Not found', detail: 'x', code: 'NOT_FOUND' }], 'req-1');
    expect(JSON.stringify(doc)).toBe(
      '{"meta":{"id":"req-1"},"errors":[{"title":"Not found","detail":"x","code":"NOT_FOUND"}]}',
    );
  });

  it('has no meta for middleware errors', () => {
    const doc = errorDocument([
      {
        title: 'Bad request',
        detail:
          'The request could not be completed because it contains invalid JSON (check formatting/encoding)',
        code: 'JSON_INVALID',
      },
    ]);
    expect(Object.keys(doc)).toEqual(['errors']);
  });

  it('collapses duplicate (code, source) pairs, keeping the first', () => {
    const src = { pointer: '/data/attributes/metadata' };
    const doc = errorDocument(
      [
        {
          title: 'Unprocessable resource',
          detail: 'too large',
          code: 'METADATA_TOO_LONG',
          source: src,
        },
        {
          title: 'Unprocessable resource',
          detail: 'too many keys',
          code: 'METADATA_TOO_LONG',
          source: { pointer: '/data/attributes/metadata' },
        },
        { title: 'Unprocessable resource', detail: 'x', code: 'KEY_TAKEN', source: src },
      ],
      'id',
    );
    expect(doc.errors.map((e) => e.detail)).toEqual(['too large', 'x']);
  });
});

describe('modelErrorCode', () => {
  it.each([
    ['metadata', 'too_long', 'METADATA_TOO_LONG'],
    ['maxMachines', 'invalid', 'MAX_MACHINES_INVALID'],
    ['policy', 'not_found', 'POLICY_NOT_FOUND'],
    ['fingerprint', 'taken', 'FINGERPRINT_TAKEN'],
    ['id', 'conflict', 'ID_CONFLICT'],
    ['key', 'too_short', 'KEY_TOO_SHORT'],
  ])('(%s, %s) → %s', (path, kind, code) => {
    expect(modelErrorCode(path, kind)).toBe(code);
  });
});

describe('TITLES / DEFAULT_DETAILS', () => {
  it('match §4.2', () => {
    expect(TITLES).toMatchObject({
      400: 'Bad request',
      401: 'Unauthorized',
      403: 'Access denied',
      404: 'Not found',
      405: 'Not supported',
      409: 'Conflict',
      422: 'Unprocessable resource',
      429: 'Too many requests',
      500: 'Internal server error',
      503: 'Service unavailable',
    });
    expect(DEFAULT_DETAILS[400]).toBe('The request could not be completed');
    expect(DEFAULT_DETAILS[401]).toBe('You must be authenticated to complete the request');
    expect(DEFAULT_DETAILS[403]).toBe('You do not have permission to complete the request');
    expect(DEFAULT_DETAILS[409]).toBe('The request could not be completed because of a conflict');
    expect(DEFAULT_DETAILS[500]).toBe(
      'Looks like something went wrong! Our engineers have been notified. If you continue to have problems, please contact support@keygen.sh.',
    );
    expect(DEFAULT_DETAILS[503]).toMatch(/^Our services are currently unavailable\. /);
  });
});
