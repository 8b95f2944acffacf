import { p } from '@libs/jsonapi';

/**
 * Bodies of the license relationship routes (spec 02 §4.8, §4.9, §10.3), as Keygen
 * types them: to-one changes take `{data: {type, id}}` (owner and group also
 * `{data: null}`); attach/detach take 1..100 linkages.
 */

const toOne = (types: readonly string[], nullable: boolean) =>
  p.object({
    data: p.object({ type: p.string({ inclusion: types }), id: p.uuid() }, { nullable }),
  });

const toMany = (types: readonly string[]) =>
  p.object({
    data: p.array(p.object({ type: p.string({ inclusion: types }), id: p.uuid() }), {
      length: { min: 1, max: 100 },
    }),
  });

/** `PUT /licenses/{id}/policy` (no null: a license always has a policy). */
export const ChangeLicensePolicyParams = toOne(['policy', 'policies'], false);

/** `PUT /licenses/{id}/owner` and the legacy `/user`. */
export const ChangeLicenseOwnerParams = toOne(['user', 'users'], true);

/** `PUT /licenses/{id}/group`. */
export const ChangeLicenseGroupParams = toOne(['group', 'groups'], true);

export interface ToOneBody {
  data: { type: string; id: string } | null;
}

/** `POST/DELETE /licenses/{id}/users`. */
export const LicenseUsersParams = toMany(['user', 'users']);

/** `POST/DELETE /licenses/{id}/entitlements`. */
export const LicenseEntitlementsParams = toMany(['entitlement', 'entitlements']);

export interface ToManyBody {
  data: Array<{ type: string; id: string }>;
}
