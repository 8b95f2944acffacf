import type { ValueTransformer } from 'typeorm';

/**
 * `bigint` columns come back from pg as strings. This keeps them as numbers for
 * limits that live within JS's exact range in practice (policy/license max memory
 * and disk). NOTE: JSON numbers past 2^53 are not exact in JS; the column maximum
 * (2^63-1) arrives as 2^63, so it is written as the maximum instead of overflowing.
 * Machine memory/disk must round-trip exactly and stay strings instead.
 */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) =>
    typeof v === 'number' && v >= 2 ** 63 ? '9223372036854775807' : v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
