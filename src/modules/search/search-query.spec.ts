import { parseSearchBody, parseSearchTerms, resolveSearchType } from './search-query';

const body = (meta: Record<string, unknown>) => ({ meta });
const problem = (r: { ok: boolean; problem?: unknown }) => (r.ok ? null : r.problem);

describe('resolveSearchType', () => {
  it.each([
    ['licenses', 'licenses'],
    ['License', 'licenses'],
    ['POLICIES', 'policies'],
    ['policy', 'policies'],
    ['request-logs', 'request-logs'],
    ['request_log', 'request-logs'],
    ['requestLogs', 'request-logs'],
    ['releases', 'releases'],
  ])('%s → %s', (raw, type) => {
    expect(resolveSearchType(raw)).toBe(type);
  });

  it.each(['accounts', 'tokens', 'foo', ''])('rejects %p', (raw) => {
    expect(resolveSearchType(raw)).toBeNull();
  });
});

describe('parseSearchBody', () => {
  it('defaults op to AND and upcases it', () => {
    const r = parseSearchBody(body({ type: 'users', query: { email: 'abc' } }));
    expect(r).toEqual({ ok: true, value: { type: 'users', op: 'AND', query: { email: 'abc' } } });
    const or = parseSearchBody(body({ type: 'users', op: 'or', query: { email: 'abc' } }));
    expect(or.ok && or.value.op).toBe('OR');
  });

  it.each([
    [{}, 'is missing', '/meta'],
    [body({ query: { a: 1 } }), 'is missing', '/meta/type'],
    [body({ type: 'users' }), 'is missing', '/meta/query'],
    [body({ type: 'users', query: {} }), 'cannot be blank', '/meta/query'],
    [
      body({ type: 'widgets', query: { a: 'abc' } }),
      "search type 'widgets' is not supported",
      '/meta/type',
    ],
    [
      body({ type: 'tokens', query: { a: 'abc' } }),
      "search type 'tokens' is not supported",
      '/meta/type',
    ],
  ])('%j → %s at %s', (input, detail, pointer) => {
    expect(problem(parseSearchBody(input))).toEqual({ detail, pointer });
  });

  it('rejects unknown root and meta keys as unpermitted', () => {
    expect(
      problem(parseSearchBody({ ...body({ type: 'users', query: { a: 1 } }), foo: 1 })),
    ).toEqual({
      detail: 'unpermitted parameter',
      pointer: '/foo',
    });
    expect(problem(parseSearchBody(body({ type: 'users', query: { a: 1 }, bar: 1 })))).toEqual({
      detail: 'unpermitted parameter',
      pointer: '/meta/bar',
    });
  });
});

describe('parseSearchTerms', () => {
  it('rejects a key the type cannot search, camelCased', () => {
    expect(problem(parseSearchTerms('licenses', { first_name: 'abc' }))).toEqual({
      detail: "search query 'firstName' is not supported for resource type 'licenses'",
      pointer: '/meta/query/firstName',
    });
  });

  it('rejects short strings, including blanks', () => {
    expect(problem(parseSearchTerms('users', { last_name: '' }))).toEqual({
      detail: "search query for 'lastName' is too small (minimum 3 characters)",
      pointer: '/meta/query/lastName',
    });
  });

  it('checks metadata shape and value length', () => {
    expect(problem(parseSearchTerms('users', { metadata: 'abc' }))).toEqual({
      detail: "search query for 'metadata' must be a hash of key-value search terms",
      pointer: '/meta/query/metadata',
    });
    expect(problem(parseSearchTerms('users', { metadata: { some_key: 'ab' } }))).toEqual({
      detail: "search query for 'someKey' is too small (minimum 3 characters)",
      pointer: '/meta/query/metadata/someKey',
    });
  });

  it('builds clauses per attribute', () => {
    const id = '8d6d9a1e-3c33-4a5b-9f38-0f8a1c2b3d4e';
    const r = parseSearchTerms('licenses', {
      id: id.toUpperCase(),
      key: 'KEY-1',
      name: 'gold',
      metadata: { tier: '420', tags: ['x'] },
      product: 'abc-12',
      user: 'Jane',
    });
    expect(r).toEqual({
      ok: true,
      value: [
        { kind: 'idExact', column: 'id', id },
        { kind: 'equals', column: 'key', value: 'KEY-1' },
        { kind: 'contains', column: 'name', term: 'gold' },
        {
          kind: 'metadata',
          entries: [[{ tier: '420' }, { tier: 420 }], [{ tags: ['x'] }]],
        },
        {
          kind: 'related',
          relation: 'product',
          match: { kind: 'text', term: 'abc-12', idPrefix: true },
        },
        {
          kind: 'related',
          relation: 'user',
          match: { kind: 'text', term: 'Jane', idPrefix: false },
        },
      ],
    });
  });

  it('splits a full name into first and last name; one word or null matches nothing', () => {
    expect(
      parseSearchTerms('users', { full_name: 'Jane Van Doe', name: 'Jane', last_name: null }),
    ).toEqual({
      ok: true,
      value: [
        {
          kind: 'all',
          clauses: [
            { kind: 'contains', column: 'first_name', term: 'Jane' },
            { kind: 'contains', column: 'last_name', term: 'Van Doe' },
          ],
        },
        { kind: 'none' },
        { kind: 'none' },
      ],
    });
  });

  it('maps request-log terms', () => {
    const r = parseSearchTerms('request-logs', {
      requestor: { type: 'users', id: 'abc' },
      method: 'post',
      ip: '10.0',
      url: '/v1/',
    });
    expect(r).toEqual({
      ok: true,
      value: [
        {
          kind: 'all',
          clauses: [
            { kind: 'equals', column: 'requestor_type', value: 'users' },
            { kind: 'idLike', column: 'requestor_id', term: 'abc' },
          ],
        },
        { kind: 'equals', column: 'method', value: 'POST' },
        { kind: 'startsWith', column: 'ip', term: '10.0' },
        { kind: 'containsCase', column: 'url', term: '/v1/' },
      ],
    });
  });
});
