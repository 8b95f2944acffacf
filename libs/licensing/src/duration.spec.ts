import {
  addDuration,
  addDurationParts,
  addInterval,
  buildDurationParts,
  parseIsoDuration,
  parseIsoDurationSeconds,
} from './duration';

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();

describe('buildDurationParts', () => {
  it('splits greedily into years, months, weeks, days, hours, minutes, seconds', () => {
    const seconds = 31556952 + 2 * 2629746 + 604800 + 2 * 86400 + 3600 + 60 + 5;
    expect(buildDurationParts(seconds)).toEqual({
      years: 1,
      months: 2,
      weeks: 1,
      days: 2,
      hours: 1,
      minutes: 1,
      seconds: 5,
    });
  });

  it('treats one month (2629746 s) as a month, not 30 days and change', () => {
    expect(buildDurationParts(2629746)).toMatchObject({ months: 1, weeks: 0, seconds: 0 });
    expect(buildDurationParts(2629745)).toMatchObject({ months: 0, weeks: 4, days: 2 });
  });

  it('mirrors negative values', () => {
    expect(buildDurationParts(-(31556952 + 90))).toEqual({
      years: -1,
      months: 0,
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: -1,
      seconds: -30,
    });
  });
});

describe('addDuration', () => {
  describe('the examples confirmed by Keygen (spec 02 §0.6)', () => {
    it.each([
      ['2021-07-19T00:00:00.000Z', 7889238, '2021-10-19T00:00:00.000Z'],
      ['2022-10-16T14:52:48.000Z', 2629746, '2022-11-16T14:52:48.000Z'],
      ['2022-10-16T00:00:00.000Z', 189341712, '2028-10-16T00:00:00.000Z'],
      ['2024-01-21T21:30:00.000Z', 31556952, '2025-01-21T21:30:00.000Z'],
    ])('%s + %i s = %s', (start, seconds, expected) => {
      expect(iso(addDuration(at(start), seconds))).toBe(expected);
    });
  });

  it('adds one day as 86400 s', () => {
    expect(iso(addDuration(at('2022-10-16T14:52:48.000Z'), 86400))).toBe(
      '2022-10-17T14:52:48.000Z',
    );
  });

  it('is not a naive addition of seconds', () => {
    const start = at('2022-10-16T14:52:48.000Z');
    expect(addDuration(start, 2629746).getTime()).not.toBe(start.getTime() + 2629746 * 1000);
  });

  it('clamps to the end of a shorter month', () => {
    expect(iso(addDuration(at('2023-01-31T10:00:00.000Z'), 2629746))).toBe(
      '2023-02-28T10:00:00.000Z',
    );
    expect(iso(addDuration(at('2024-01-31T10:00:00.000Z'), 2629746))).toBe(
      '2024-02-29T10:00:00.000Z',
    );
    expect(iso(addDuration(at('2024-03-31T00:00:00.000Z'), 2629746))).toBe(
      '2024-04-30T00:00:00.000Z',
    );
  });

  it('clamps Feb 29 plus a year to Feb 28', () => {
    expect(iso(addDuration(at('2024-02-29T12:00:00.000Z'), 31556952))).toBe(
      '2025-02-28T12:00:00.000Z',
    );
  });

  it('adds years before months, each clamped (Rails Time#advance order)', () => {
    expect(iso(addDuration(at('2024-02-29T00:00:00.000Z'), 31556952 + 2629746))).toBe(
      '2025-03-28T00:00:00.000Z',
    );
  });

  it('rolls months over the year end', () => {
    expect(iso(addDuration(at('2022-11-30T08:00:00.000Z'), 3 * 2629746))).toBe(
      '2023-02-28T08:00:00.000Z',
    );
  });

  it('adds the remainder after the calendar units as fixed time', () => {
    const seconds = 2629746 + 86400 + 3600 + 60 + 1;
    expect(iso(addDuration(at('2023-01-31T23:00:00.000Z'), seconds))).toBe(
      '2023-03-02T00:01:01.000Z',
    );
  });

  it('adds small values as plain seconds', () => {
    expect(iso(addDuration(at('2022-10-16T14:52:48.000Z'), 3600))).toBe('2022-10-16T15:52:48.000Z');
    expect(iso(addDuration(at('2022-10-16T14:52:48.000Z'), 0))).toBe('2022-10-16T14:52:48.000Z');
  });

  it('subtracts negative durations with the same calendar rules', () => {
    expect(iso(addDuration(at('2022-11-16T14:52:48.000Z'), -2629746))).toBe(
      '2022-10-16T14:52:48.000Z',
    );
    expect(iso(addDuration(at('2023-03-31T00:00:00.000Z'), -2629746))).toBe(
      '2023-02-28T00:00:00.000Z',
    );
    expect(iso(addDuration(at('2023-01-01T00:00:00.000Z'), -86400))).toBe(
      '2022-12-31T00:00:00.000Z',
    );
  });

  it('keeps milliseconds and does not mutate its argument', () => {
    const start = at('2022-10-16T14:52:48.123Z');
    expect(iso(addDuration(start, 2629746))).toBe('2022-11-16T14:52:48.123Z');
    expect(iso(start)).toBe('2022-10-16T14:52:48.123Z');
  });
});

describe('addInterval', () => {
  const start = at('2024-01-31T09:15:00.000Z');

  it.each([
    [1, 'day', '2024-02-01T09:15:00.000Z'],
    [3, 'day', '2024-02-03T09:15:00.000Z'],
    [1, 'week', '2024-02-07T09:15:00.000Z'],
    [2, 'week', '2024-02-14T09:15:00.000Z'],
    [1, 'month', '2024-02-29T09:15:00.000Z'],
    [2, 'month', '2024-03-31T09:15:00.000Z'],
    [13, 'month', '2025-02-28T09:15:00.000Z'],
    [1, 'year', '2025-01-31T09:15:00.000Z'],
  ] as const)('%i %s', (count, unit, expected) => {
    expect(iso(addInterval(start, count, unit))).toBe(expected);
  });

  it('uses calendar years (Feb 29 + 1 year = Feb 28)', () => {
    expect(iso(addInterval(at('2024-02-29T00:00:00.000Z'), 1, 'year'))).toBe(
      '2025-02-28T00:00:00.000Z',
    );
    expect(iso(addInterval(at('2024-02-29T00:00:00.000Z'), 4, 'year'))).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('rejects an unknown unit', () => {
    expect(() => addInterval(start, 1, 'hour' as never)).toThrow('Unsupported check-in interval');
  });
});

describe('parseIsoDurationSeconds', () => {
  it.each([
    ['31d', 31 * 86400],
    ['2w', 2 * 604800],
    ['P13DT59M59S', 13 * 86400 + 59 * 60 + 59],
    ['13DT59M59S', 13 * 86400 + 59 * 60 + 59],
    ['13dt59m59s', 13 * 86400 + 59 * 60 + 59],
    ['3600', 3600],
    ['90d', 90 * 86400],
    ['1M', 2629746],
    ['1y', 31556952],
    ['1Y2M3D', 31556952 + 2 * 2629746 + 3 * 86400],
    ['PT1H', 3600],
    ['T30M', 1800],
    ['PT1.5H', 5400],
    ['1,5D', 1.5 * 86400],
    ['1DT-1H', 86400 - 3600],
  ])('%s = %d s', (input, expected) => {
    expect(parseIsoDurationSeconds(input)).toBe(expected);
  });

  it.each([
    'invalid',
    '',
    'P',
    'T',
    '1dT',
    '0',
    'P0D',
    '-1d',
    '1w1d',
    '1.5DT2H',
    ' 1d',
    '1d ',
    '1h',
    '1s',
    'p1d',
    '+1d',
    '1e3',
    '-3600',
  ])('rejects %p', (input) => {
    expect(parseIsoDurationSeconds(input)).toBeNull();
  });
});

describe('parseIsoDuration', () => {
  it('reads M as months in the date part and minutes in the time part', () => {
    expect(parseIsoDuration('1M')).toMatchObject({ months: 1, minutes: 0 });
    expect(parseIsoDuration('T1M')).toMatchObject({ months: 0, minutes: 1 });
  });

  it('turns an integer string into seconds', () => {
    expect(parseIsoDuration('42')).toEqual({
      years: 0,
      months: 0,
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: 0,
      seconds: 42,
    });
  });

  it('gives parts that apply with calendar months', () => {
    const parts = parseIsoDuration('1M');
    expect(parts).not.toBeNull();
    const now = at('2023-01-31T00:00:00.000Z');
    expect(iso(addDurationParts(now, parts!))).toBe('2023-02-28T00:00:00.000Z');
    expect(iso(addDurationParts(now, parts!, -1))).toBe('2022-12-31T00:00:00.000Z');
  });

  it('lets only the last written component carry a fraction', () => {
    expect(parseIsoDuration('1D1.5Y')).toMatchObject({ days: 1, years: 1.5 });
    expect(parseIsoDuration('1.5Y1D')).toBeNull();
  });
});
