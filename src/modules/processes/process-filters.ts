import {
  parseMachineChildFilters,
  scalarFilter,
} from '@app/modules/machines/machine-child-filters';
import type { MachineChildClause } from '@app/modules/machines/machine-children.repository';

/**
 * `GET /processes` filters (spec 03 §3.2) as plain clauses the repository turns into
 * SQL (ANDed): the ones components share (machine-child-filters.ts) and `status`.
 * Like Keygen's has_scope: a blank or non-string value is ignored; a value that
 * cannot match (a non-UUID id, an unknown status) matches nothing.
 */
export type ProcessClause =
  MachineChildClause | { kind: 'status'; status: 'ALIVE' | 'DEAD'; now: Date };

export type ProcessFilterName = 'machine' | 'license' | 'product' | 'owner' | 'user' | 'status';

const ALL: readonly ProcessFilterName[] = [
  'machine',
  'license',
  'product',
  'owner',
  'user',
  'status',
];

export function parseProcessFilters(
  query: Record<string, unknown>,
  now: Date,
  allowed: readonly ProcessFilterName[] = ALL,
): ProcessClause[] {
  const take = (name: ProcessFilterName): string | null =>
    allowed.includes(name) ? scalarFilter(query[name]) : null;
  const clauses: ProcessClause[] = parseMachineChildFilters(take);
  const status = take('status');
  if (status !== null) {
    const s = status.toUpperCase();
    clauses.push(
      s === 'ALIVE' || s === 'DEAD' ? { kind: 'status', status: s, now } : { kind: 'none' },
    );
  }
  return clauses;
}
