import {
  parseMachineChildFilters,
  scalarFilter,
} from '@app/modules/machines/machine-child-filters';
import type { MachineChildClause } from '@app/modules/machines/machine-children.repository';

/**
 * `GET /components` filters (spec 03 §2.3): machine, license, product, owner and user,
 * the ones processes share (machine-child-filters.ts). Like Keygen's has_scope: a
 * blank or non-string value is ignored; a value that cannot match (a non-UUID id)
 * matches nothing.
 */
export type ComponentClause = MachineChildClause;

export function parseComponentFilters(query: Record<string, unknown>): ComponentClause[] {
  return parseMachineChildFilters((name) => scalarFilter(query[name]));
}
