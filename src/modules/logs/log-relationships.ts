import type { ToOne } from '@libs/jsonapi';
import { relatedPath, type ResourceRef } from './log-types';

/** Relationships request logs and event logs render alike (spec 06 §1.3, §2.3). */

export const accountPath = (l: { accountId: string }): string => `/v1/accounts/${l.accountId}`;

/** A polymorphic to-one (requestor, resource, whodunnit, request): `{data: null}` when unset. */
export function polymorphic<T extends { accountId: string }>(
  ref: (r: T) => ResourceRef | null,
): ToOne<T> {
  return {
    linkage: (r) => ref(r),
    related: (r) => {
      const linked = ref(r);
      return linked && relatedPath(r.accountId, linked);
    },
    omitLinksWhenNull: true,
  };
}

export function accountRelationship<T extends { accountId: string }>(): ToOne<T> {
  return { linkage: (r) => ({ type: 'accounts', id: r.accountId }), related: accountPath };
}

export function environmentRelationship<
  T extends { accountId: string; environmentId: string | null },
>(): ToOne<T> {
  return {
    linkage: (r) => (r.environmentId ? { type: 'environments', id: r.environmentId } : null),
    related: (r) => (r.environmentId ? `${accountPath(r)}/environments/${r.environmentId}` : null),
  };
}
