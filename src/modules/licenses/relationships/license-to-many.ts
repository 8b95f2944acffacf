import type { RequestContext } from '@app/common/context/request-context';
import { ApiError, UnprocessableError } from '@app/common/errors/api-error';
import { uuidv4 } from '@app/common/ids';
import type { EnvironmentRef } from '@app/modules/policies/policy-entitlement.rules';
import {
  environmentNotAllowed,
  firstMissing,
  mustExist,
  rel,
  renderModelErrors,
  type ModelError,
} from './license-relationships.rules';

/**
 * Attach/detach plumbing shared by `/licenses/{id}/users` and `/entitlements`:
 * per-linkage validation in body order, all or nothing, and the detach errors
 * that point at one linkage.
 */

/** How one attach validates and builds its join rows. */
export interface AttachPlan<R, T> {
  /** The relationship (`user`, `entitlement`): error pointer, code prefix and wording. */
  name: string;
  /** Keygen's docs page for the 422 links (see `renderModelErrors`). */
  topic: string;
  /** The named records found in the account. */
  found: readonly R[];
  /** Whether the join row's environment may point at the license. */
  licenseFits: boolean;
  /** Whether the join row's environment may point at the record. */
  fits: (r: R) => boolean;
  /** Ids already attached before this request. */
  attached: ReadonlySet<string>;
  /** The errors after the shared ones; `accepted` earlier ids passed. */
  more: (id: string, r: R | undefined, accepted: number) => ModelError[];
  row: (id: string) => T;
}

/**
 * Each id in order: must exist, both environments must fit, it must not be attached
 * yet (an earlier id in the body counts), then the plan's own checks. The first id
 * with errors is the 422 and nothing is attached.
 */
export function attachAll<R extends { id: string }, T>(
  ids: readonly string[],
  plan: AttachPlan<R, T>,
): T[] {
  const found = new Map(plan.found.map((r) => [r.id, r]));
  const attached = new Set(plan.attached);
  const out: T[] = [];
  for (const id of ids) {
    const r = found.get(id);
    const errors: ModelError[] = [];
    if (!r) {
      errors.push(mustExist(plan.name));
    }
    if (!plan.licenseFits) {
      errors.push(environmentNotAllowed('license'));
    }
    if (r && !plan.fits(r)) {
      errors.push(environmentNotAllowed(plan.name));
    }
    if (attached.has(id)) {
      errors.push(rel(plan.name, `${plan.name.toUpperCase()}_TAKEN`, 'already exists'));
    }
    errors.push(...plan.more(id, r, out.length));
    if (errors.length > 0) {
      throw new UnprocessableError(renderModelErrors(errors, plan.topic));
    }
    attached.add(id);
    out.push(plan.row(id));
  }
  return out;
}

/** The columns of a new join row besides the record's id (`userId`, `entitlementId`). */
export interface JoinRowColumns {
  id: string;
  accountId: string;
  environmentId: string | null;
  licenseId: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A fresh join row on `licenseId` in the account, in `env` (see `joinRowEnvironment`),
 * created and updated `now`.
 */
export function joinRowColumns(
  ctx: RequestContext,
  licenseId: string,
  env: EnvironmentRef,
  now: Date,
): JoinRowColumns {
  return {
    id: uuidv4(),
    accountId: ctx.scope.accountId,
    environmentId: env?.id ?? null,
    licenseId,
    createdAt: now,
    updatedAt: now,
  };
}

/** compat: an early, hand-rendered 403 with a pointer (Keygen's render_forbidden). */
export function cannotDetach(
  name: string,
  id: string,
  ids: readonly string[],
  reason: string,
): ApiError {
  return new ApiError(403, [
    {
      title: 'Access denied',
      detail: `cannot detach ${name} '${id}' (${reason})`,
      source: { pointer: `/data/${ids.indexOf(id)}` },
    },
  ]);
}

/** The 422 for the first id that is not attached (nothing is detached). */
export function notAttached(
  name: string,
  ids: readonly string[],
  present: ReadonlySet<string>,
): UnprocessableError {
  const missing = firstMissing(ids, present);
  return new UnprocessableError(
    {
      detail: `cannot detach ${name} '${missing.id}' (${name} is not attached)`,
      source: { pointer: `/data/${missing.index}` },
    },
    'Unprocessable entity',
  );
}
