import { ParamError } from '@app/common/errors/api-error';
import { dateRange, eventLogFilters, refFilter, requestLogFilters } from './log-filters';

const U = '8949a87d-c470-44f5-b1be-e22ae33647ae';

function dateError(q: Record<string, unknown>): string {
  try {
    dateRange(q);
  } catch (e) {
    expect(e).toBeInstanceOf(ParamError);
    const err = e as ParamError;
    expect(err.items[0].source).toEqual({ parameter: 'date' });
    return err.items[0].detail ?? '';
  }
  throw new Error('expected a 400');
}

describe('dateRange (spec 00 §5.4)', () => {
  it('spans whole days, both inclusive', () => {
    expect(dateRange({ date: { start: '2024-06-03', end: '2024-06-05' } })).toEqual({
      from: new Date('2024-06-03T00:00:00.000Z'),
      until: new Date('2024-06-06T00:00:00.000Z'),
    });
    expect(dateRange({ date: { start: '2017-1-1', end: '2017-02-01' } })).toEqual({
      from: new Date('2017-01-01T00:00:00.000Z'),
      until: new Date('2017-02-02T00:00:00.000Z'),
    });
    expect(
      dateRange({ date: { start: '2024-06-03T23:59:00Z', end: '2024-06-04T00:00:01+02:00' } })
        ?.from,
    ).toEqual(new Date('2024-06-03T00:00:00.000Z'));
  });

  it('rejects spans outside 1..31 days and unparseable dates', () => {
    expect(dateError({ date: { start: '2024-06-03', end: '2024-06-03' } })).toBe(
      'date range must be between 1 and 31 days (got 0)',
    );
    expect(dateError({ date: { start: '2017-1-1', end: '2017-02-02' } })).toBe(
      'date range must be between 1 and 31 days (got 32)',
    );
    expect(dateError({ date: { start: '2024-06-05', end: '2024-06-03' } })).toBe(
      'date range must be between 1 and 31 days (got -2)',
    );
    expect(dateError({ date: { start: 'foo', end: 'bar' } })).toBe('invalid date range');
    expect(dateError({ date: { start: '2017-02-30', end: '2017-03-02' } })).toBe(
      'invalid date range',
    );
    expect(dateError({ date: { start: ['2024-06-01'], end: '2024-06-03' } })).toBe(
      'invalid date range',
    );
  });

  it('ignores a one-sided or blank range', () => {
    expect(dateRange({ date: { start: '2024-06-03' } })).toBeUndefined();
    expect(dateRange({ date: { start: '', end: '2024-06-03' } })).toBeUndefined();
    expect(dateRange({ date: '2024-06-03' })).toBeUndefined();
    expect(dateRange({})).toBeUndefined();
  });
});

describe('refFilter (requestor, resource, whodunnit)', () => {
  it.each([
    [U, { type: null, id: { kind: 'exact', id: U } }],
    [U.toUpperCase(), { type: null, id: { kind: 'exact', id: U } }],
    ['8949a87d', { type: null, id: { kind: 'like', term: '8949a87d' } }],
    [['user', U], { type: 'users', id: { kind: 'exact', id: U } }],
    [
      { type: 'License', id: U },
      { type: 'licenses', id: { kind: 'exact', id: U } },
    ],
    [
      { type: 'release-artifact', id: 'abc' },
      { type: 'artifacts', id: { kind: 'like', term: 'abc' } },
    ],
  ])('%j', (value, out) => {
    expect(refFilter(value)).toEqual(out);
  });

  it.each([
    [''],
    [[U]],
    [['user', U, 'x']],
    [{ type: 'user' }],
    [{ type: 'nope', id: U }],
    [['user', '']],
    [1],
  ])('%j matches nothing', (value) => {
    expect(refFilter(value)).toBeNull();
  });
});

describe('requestLogFilters', () => {
  it('parses each filter', () => {
    expect(
      requestLogFilters({
        requestor: U,
        ip: '127.0',
        method: 'post',
        url: '/licenses',
        status: '422',
      }),
    ).toEqual({
      none: false,
      date: undefined,
      requestor: { type: null, id: { kind: 'exact', id: U } },
      ip: '127.0',
      method: 'POST',
      url: '/licenses',
      status: '422',
    });
  });

  it.each([
    { ip: '' },
    { ip: ' ' },
    { url: '' },
    { requestor: [U] },
    { resource: '' },
    { method: ['GET'] },
    { status: ['200'] },
  ])('%j matches nothing', (q) => {
    expect(requestLogFilters(q).none).toBe(true);
  });
});

describe('eventLogFilters', () => {
  it('combines event and events[]', () => {
    expect(eventLogFilters({ event: 'license.created' }).events).toEqual(['license.created']);
    expect(eventLogFilters({ events: ['a', 'b', 'a'] }).events).toEqual(['a', 'b']);
    expect(eventLogFilters({ events: 'a' }).events).toEqual(['a']);
    expect(eventLogFilters({ events: [''] }).events).toBeUndefined();
    expect(eventLogFilters({ event: 'a', events: ['a', 'b'] }).events).toEqual(['a']);
    expect(eventLogFilters({ event: 'c', events: ['a', 'b'] }).none).toBe(true);
    expect(eventLogFilters({ event: ['a'] }).none).toBe(true);
  });

  it('matches a request id exactly or by substring', () => {
    expect(eventLogFilters({ request: U }).request).toEqual({ kind: 'exact', id: U });
    expect(eventLogFilters({ request: 'c470' }).request).toEqual({ kind: 'like', term: 'c470' });
    expect(eventLogFilters({ request: '' }).none).toBe(true);
  });
});
