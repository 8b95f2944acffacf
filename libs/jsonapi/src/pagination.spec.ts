import {
  cgiEscape,
  type Pagination,
  paginationLinks,
  parsePagination,
  rubyInspect,
  toQueryString,
} from './pagination';

const CURSOR = '0b4b1a9d-e6a9-4e3c-a6f3-9b8c1f8c2a11';
const LAST = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

function failed(query: Record<string, unknown>) {
  const r = parsePagination(query);
  if (r.ok) {
    throw new Error(`expected failure, got ${JSON.stringify(r.value)}`);
  }
  return r.error;
}

describe('parsePagination — modes', () => {
  it('defaults to limit mode with limit 10, desc', () => {
    expect(parsePagination({})).toEqual({
      ok: true,
      value: { mode: 'limit', limit: 10, order: 'desc' },
    });
    expect(parsePagination({ limit: '25', order: 'ASC' })).toEqual({
      ok: true,
      value: { mode: 'limit', limit: 25, order: 'asc' },
    });
  });

  it('selects offset mode; size defaults to limit, else 10', () => {
    expect(parsePagination({ page: { number: '2', size: '5' } })).toEqual({
      ok: true,
      value: { mode: 'offset', number: 2, size: 5, order: 'desc' },
    });
    expect(parsePagination({ page: { number: '3' }, limit: '20' })).toEqual({
      ok: true,
      value: { mode: 'offset', number: 3, size: 20, order: 'desc' },
    });
    expect(parsePagination({ page: { number: '1' } })).toMatchObject({ value: { size: 10 } });
  });

  it('selects cursor mode (cursor wins over number, empty cursor allowed)', () => {
    expect(
      parsePagination({ page: { cursor: CURSOR, number: '2', size: '3' }, order: 'asc' }),
    ).toEqual({
      ok: true,
      value: { mode: 'cursor', cursor: CURSOR, size: 3, order: 'asc' },
    });
    expect(parsePagination({ page: { cursor: '' } })).toEqual({
      ok: true,
      value: { mode: 'cursor', cursor: '', size: 10, order: 'desc' },
    });
  });

  it('tolerates extra page keys and Ruby to_i prefixes', () => {
    expect(parsePagination({ page: { number: '1', foo: 'bar' } }).ok).toBe(true);
    expect(parsePagination({ limit: '12abc' })).toMatchObject({ value: { limit: 12 } });
  });
});

describe('parsePagination — errors', () => {
  it.each([
    [{ limit: '0' }, 'limit must be a number between 1 and 100 (got 0)', 'limit'],
    [{ limit: '101' }, 'limit must be a number between 1 and 100 (got 101)', 'limit'],
    [{ limit: 'abc' }, 'limit must be a number between 1 and 100 (got 0)', 'limit'],
    [{ limit: '' }, 'limit must be a number between 1 and 100 (got 0)', 'limit'],
    [{ limit: '-5' }, 'limit must be a number between 1 and 100 (got -5)', 'limit'],
    [{ limit: '1_000' }, 'limit must be a number between 1 and 100 (got 1000)', 'limit'],
    [{ limit: ['5'] }, 'limit must be a number between 1 and 100 (got 0)', 'limit'],
    [
      { page: { size: '5' } },
      'page must be an object containing a cursor or number and optional size',
      'page',
    ],
    [
      { page: '2' },
      'page must be an object containing a cursor or number and optional size',
      'page',
    ],
    [
      { page: { number: ['1'] } },
      'page must be an object containing a cursor or number and optional size',
      'page',
    ],
    [
      { page: { number: '0' } },
      'page number must be a number between 1 and 100 (got 0)',
      'page[number]',
    ],
    [
      { page: { number: '101' } },
      'page number must be a number between 1 and 100 (got 101, please use cursor-based pagination instead)',
      'page[number]',
    ],
    [
      { page: { number: '99999999999999999999999' } },
      'page number must be a number between 1 and 100 (got 99999999999999999999999, please use cursor-based pagination instead)',
      'page[number]',
    ],
    [
      { page: { number: '1', size: '0' } },
      'page size must be a number between 1 and 100 (got 0)',
      'page[size]',
    ],
    [
      { page: { number: '1', size: '101' } },
      'page size must be a number between 1 and 100 (got 101)',
      'page[size]',
    ],
    [
      { page: { number: '1' }, limit: '500' },
      'page size must be a number between 1 and 100 (got 500)',
      'page[size]',
    ],
    [{ page: { cursor: 'foo' } }, 'page cursor must be a valid UUID (got "foo")', 'page[cursor]'],
    [
      { page: { cursor: 'a"b\\c#{x}' } },
      'page cursor must be a valid UUID (got "a\\"b\\\\c\\#{x}")',
      'page[cursor]',
    ],
    [
      { page: { cursor: CURSOR, size: '101' } },
      'page size must be a number between 1 and 100 (got 101)',
      'page[size]',
    ],
    [{ order: 'sideways' }, 'order is invalid', 'order'],
    [{ order: '' }, 'order is invalid', 'order'],
    [{ page: { cursor: CURSOR }, order: 'up' }, 'order is invalid', 'order'],
  ])('%j → %s', (query, detail, parameter) => {
    expect(failed(query as Record<string, unknown>)).toEqual({ detail, source: { parameter } });
  });

  it('checks order before number/limit and cursor before size', () => {
    expect(failed({ page: { number: '0' }, order: 'x' }).source.parameter).toBe('order');
    expect(failed({ limit: '0', order: 'x' }).source.parameter).toBe('order');
    expect(failed({ page: { cursor: 'x', size: '0' }, order: 'x' }).source.parameter).toBe(
      'page[cursor]',
    );
    expect(failed({ page: { number: '0', size: '0' } }).source.parameter).toBe('page[number]');
  });
});

describe('toQueryString / cgiEscape', () => {
  it('percent-encodes brackets and sorts keys', () => {
    expect(toQueryString({ page: { size: 5, number: 2 } })).toBe(
      'page%5Bnumber%5D=2&page%5Bsize%5D=5',
    );
    expect(toQueryString({ z: '1', a: '2', m: { b: 'x', a: 'y' } })).toBe(
      'a=2&m%5Ba%5D=y&m%5Bb%5D=x&z=1',
    );
  });

  it('serialises arrays with [] and keeps their order', () => {
    expect(toQueryString({ events: ['b', 'a'] })).toBe('events%5B%5D=b&events%5B%5D=a');
  });

  it('drops empty containers and renders null as an empty value', () => {
    expect(toQueryString({ a: [], b: {}, c: null, d: true })).toBe('c=&d=true');
  });

  it('escapes values like CGI.escape', () => {
    expect(cgiEscape("a b+c/d?e&f=g~h.i_j-k!'()*é")).toBe(
      'a+b%2Bc%2Fd%3Fe%26f%3Dg~h.i_j-k%21%27%28%29%2A%C3%A9',
    );
    expect(toQueryString({ 'metadata[key]': 'x y' })).toBe('metadata%5Bkey%5D=x+y');
  });
});

describe('rubyInspect', () => {
  it('mirrors Ruby String#inspect', () => {
    expect(rubyInspect('foo')).toBe('"foo"');
    expect(rubyInspect('a\nb\tc\u0001')).toBe('"a\\nb\\tc\\u0001"');
    expect(rubyInspect('#$x #@y #z')).toBe('"\\#$x \\#@y #z"');
    expect(rubyInspect('é日')).toBe('"é日"');
    expect(rubyInspect(['a'])).toBe('["a"]');
    expect(rubyInspect({ a: 'b' })).toBe('{"a" => "b"}');
  });
});

describe('paginationLinks', () => {
  const offset = (number: number, size: number): Pagination => ({
    mode: 'offset',
    number,
    size,
    order: 'desc',
  });
  const path = '/v1/accounts/test1/licenses';
  const url = (q: string) => `${path}?${q}`;

  it('is undefined in limit mode', () => {
    expect(
      paginationLinks({
        path,
        query: { limit: '5' },
        pagination: { mode: 'limit', limit: 5, order: 'desc' },
        returned: 5,
      }),
    ).toBeUndefined();
  });

  it('builds counted offset links, removing token/auth', () => {
    const links = paginationLinks({
      path,
      query: { page: { number: '2', size: '5' }, token: 'secret', auth: 'x', product: 'p1' },
      pagination: offset(2, 5),
      count: 12,
      returned: 5,
    });
    expect(links).toEqual({
      self: url('page%5Bnumber%5D=2&page%5Bsize%5D=5&product=p1'),
      prev: url('page%5Bnumber%5D=1&page%5Bsize%5D=5&product=p1'),
      next: url('page%5Bnumber%5D=3&page%5Bsize%5D=5&product=p1'),
      first: url('page%5Bnumber%5D=1&page%5Bsize%5D=5&product=p1'),
      last: url('page%5Bnumber%5D=3&page%5Bsize%5D=5&product=p1'),
      meta: { pages: 3, count: 12 },
    });
    expect(Object.keys(links ?? {})).toEqual(['self', 'prev', 'next', 'first', 'last', 'meta']);
  });

  it('nulls prev/next at the edges and emits page 0 for an empty set', () => {
    const first = paginationLinks({
      path,
      query: {},
      pagination: offset(1, 10),
      count: 10,
      returned: 10,
    });
    expect(first).toMatchObject({ prev: null, next: null, meta: { pages: 1, count: 10 } });
    const empty = paginationLinks({
      path,
      query: {},
      pagination: offset(1, 10),
      count: 0,
      returned: 0,
    });
    expect(empty).toMatchObject({
      prev: null,
      next: null,
      last: url('page%5Bnumber%5D=0&page%5Bsize%5D=10'),
      meta: { pages: 0, count: 0 },
    });
    const beyond = paginationLinks({
      path,
      query: {},
      pagination: offset(5, 10),
      count: 20,
      returned: 0,
    });
    expect(beyond).toMatchObject({ prev: null, next: null });
  });

  it('builds uncounted offset links', () => {
    const links = paginationLinks({ path, query: {}, pagination: offset(2, 5), returned: 5 });
    expect(links).toEqual({
      self: url('page%5Bnumber%5D=2&page%5Bsize%5D=5'),
      prev: url('page%5Bnumber%5D=1&page%5Bsize%5D=5'),
      next: url('page%5Bnumber%5D=3&page%5Bsize%5D=5'),
    });
    const short = paginationLinks({ path, query: {}, pagination: offset(1, 5), returned: 4 });
    expect(short).toEqual({
      self: url('page%5Bnumber%5D=1&page%5Bsize%5D=5'),
      prev: null,
      next: null,
    });
  });

  it('builds cursor links, echoing an empty cursor', () => {
    const cursor: Pagination = { mode: 'cursor', cursor: '', size: 2, order: 'desc' };
    expect(
      paginationLinks({
        path,
        query: { page: { cursor: '', size: '2' }, events: ['a'] },
        pagination: cursor,
        returned: 2,
        lastId: LAST,
        hasMore: true,
      }),
    ).toEqual({
      self: url('events%5B%5D=a&page%5Bcursor%5D=&page%5Bsize%5D=2'),
      next: url(`events%5B%5D=a&page%5Bcursor%5D=${LAST}&page%5Bsize%5D=2`),
    });
    expect(
      paginationLinks({
        path,
        query: {},
        pagination: { ...cursor, cursor: CURSOR },
        returned: 1,
        lastId: LAST,
        hasMore: false,
      }),
    ).toEqual({ self: url(`page%5Bcursor%5D=${CURSOR}&page%5Bsize%5D=2`), next: null });
  });
});
