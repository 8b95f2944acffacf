/**
 * Duration arithmetic with Ruby on Rails (ActiveSupport::Duration) semantics, which is how Keygen
 * turns policy durations, checkout TTLs and check-in intervals into timestamps (spec 02 §0.6).
 * Everything is UTC; a naive `t + seconds` is wrong for anything a month or longer.
 */

/** Fixed lengths ActiveSupport assigns to each unit (a year is 365.2425 days, a month 1/12 of it). */
export const SECONDS_PER = {
  years: 31556952,
  months: 2629746,
  weeks: 604800,
  days: 86400,
  hours: 3600,
  minutes: 60,
  seconds: 1,
} as const;

/** A duration split into units; years and months are calendar units, the rest fixed lengths. */
export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export type CheckInIntervalUnit = 'day' | 'week' | 'month' | 'year';

const UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

function emptyParts(): DurationParts {
  return { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
}

/** Splits seconds greedily into units like `ActiveSupport::Duration.build`; negatives mirror. */
export function buildDurationParts(seconds: number): DurationParts {
  const parts = emptyParts();
  const sign = seconds < 0 ? -1 : 1;
  let remainder = Math.abs(seconds);
  for (const unit of UNITS.slice(0, -1)) {
    const count = Math.floor(remainder / SECONDS_PER[unit]);
    parts[unit] = count === 0 ? 0 : count * sign; // no -0
    remainder -= count * SECONDS_PER[unit];
  }
  parts.seconds = remainder === 0 ? 0 : remainder * sign;
  return parts;
}

/** Number of days in a (proleptic Gregorian, UTC) month; `month` is 0-based. */
function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month + 1, 0);
  return d.getUTCDate();
}

/** Adds calendar months keeping day-of-month and time, clamping to the target month's end. */
function addCalendarMonths(t: Date, months: number): Date {
  if (months === 0) {
    return new Date(t.getTime());
  }
  const total = t.getUTCMonth() + months;
  const year = t.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const result = new Date(t.getTime());
  result.setUTCFullYear(year, month, Math.min(t.getUTCDate(), daysInMonth(year, month)));
  return result;
}

/**
 * Applies duration parts to a time the way ActiveSupport's `Duration#since` does: years, then
 * months (each a separate calendar step, clamped to month end), then the rest as fixed seconds.
 * `sign` -1 subtracts (`Duration#ago`).
 */
export function addDurationParts(t: Date, parts: DurationParts, sign: 1 | -1 = 1): Date {
  // compat: Time#advance moves years and months as two separate steps, so Feb 29 + 1y1m is
  // Mar 28 (clamped at Feb 28 first), not Mar 29.
  let result = addCalendarMonths(t, Math.trunc(parts.years * 12) * sign);
  result = addCalendarMonths(result, Math.trunc(parts.months) * sign);
  // Fractions of a calendar unit (only possible from parsed ISO durations) fall back to fixed time.
  const leftover =
    fraction(parts.years * 12) * SECONDS_PER.months + fraction(parts.months) * SECONDS_PER.months;
  const fixed =
    leftover +
    parts.weeks * SECONDS_PER.weeks +
    parts.days * SECONDS_PER.days +
    parts.hours * SECONDS_PER.hours +
    parts.minutes * SECONDS_PER.minutes +
    parts.seconds;
  return new Date(result.getTime() + Math.round(fixed * 1000) * sign);
}

function fraction(n: number): number {
  return n - Math.trunc(n);
}

/** `t + ActiveSupport::Duration.build(seconds)`: calendar years/months, then fixed seconds. */
export function addDuration(t: Date, seconds: number): Date {
  return addDurationParts(t, buildDurationParts(seconds));
}

/** Adds a check-in interval (`count.day|week|month|year` in Ruby); months and years are calendar. */
export function addInterval(t: Date, count: number, unit: CheckInIntervalUnit): Date {
  const parts = emptyParts();
  switch (unit) {
    case 'day':
      parts.days = count;
      break;
    case 'week':
      parts.weeks = count;
      break;
    case 'month':
      parts.months = count;
      break;
    case 'year':
      parts.years = count;
      break;
    default:
      throw new Error(`Unsupported check-in interval: ${String(unit)}`);
  }
  return addDurationParts(t, parts);
}

const DATE_COMPONENT = /^(-?\d+(?:[.,]\d+)?)([YMWD])/;
const TIME_COMPONENT = /^(-?\d+(?:[.,]\d+)?)([HMS])/;
const DATE_UNITS: Record<string, keyof DurationParts> = {
  Y: 'years',
  M: 'months',
  W: 'weeks',
  D: 'days',
};
const TIME_UNITS: Record<string, keyof DurationParts> = { H: 'hours', M: 'minutes', S: 'seconds' };

/**
 * Parses a list-filter duration (`expires[within]=`) into parts, or null when invalid. Accepts
 * an integer string of seconds or an ISO-8601 duration with or without the leading `P`
 * (`31d`, `2w`, `13DT59M59S`, `P13DT59M59S`), case-insensitive, as Keygen normalises it before
 * handing it to ActiveSupport's ISO-8601 parser.
 */
export function parseIsoDuration(input: string): DurationParts | null {
  if (typeof input !== 'string') {
    return null;
  }
  // compat: Keygen strips a leading upper-case `P` *before* up-casing, so `p1d` is invalid.
  const source = /^\d+$/.test(input)
    ? `PT${input}S`
    : `P${(input.startsWith('P') ? input.slice(1) : input).toUpperCase()}`;

  const parts = emptyParts();
  const seen = new Set<keyof DurationParts>();
  let rest = source.slice(1);
  let inTime = false;
  while (rest.length > 0) {
    if (!inTime && rest.startsWith('T')) {
      inTime = true;
      rest = rest.slice(1);
      continue;
    }
    const match = (inTime ? TIME_COMPONENT : DATE_COMPONENT).exec(rest);
    if (!match) {
      return null;
    }
    const unit = (inTime ? TIME_UNITS : DATE_UNITS)[match[2]];
    parts[unit] = Number(match[1].replace(',', '.'));
    seen.add(unit);
    rest = rest.slice(match[0].length);
  }

  if (seen.size === 0) {
    return null;
  }
  // ISO 8601: weeks cannot be mixed with other date units, and a `T` needs a time component.
  if (seen.has('weeks') && (seen.has('years') || seen.has('months') || seen.has('days'))) {
    return null;
  }
  if (inTime && !seen.has('hours') && !seen.has('minutes') && !seen.has('seconds')) {
    return null;
  }
  // Only the last non-zero component (in the order written) may carry a fraction.
  const nonZero = [...seen].filter((u) => parts[u] !== 0);
  const fractional = nonZero.filter((u) => !Number.isInteger(parts[u]));
  if (fractional.length > 1 || (fractional.length === 1 && fractional[0] !== nonZero.at(-1))) {
    return null;
  }
  return parts;
}

/** Total seconds of duration parts using ActiveSupport's fixed unit lengths. */
export function durationPartsSeconds(parts: DurationParts): number {
  return UNITS.reduce((sum, unit) => sum + parts[unit] * SECONDS_PER[unit], 0);
}

/** Parses a list-filter duration (see `parseIsoDuration`) to seconds; null if invalid or ≤ 0. */
export function parseIsoDurationSeconds(input: string): number | null {
  const parts = parseIsoDuration(input);
  if (!parts) {
    return null;
  }
  const seconds = durationPartsSeconds(parts);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}
