import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, when, chain } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import type { Entitlement } from './entitlement.entity';

/**
 * Record-level rules for entitlements (Keygen's EntitlementPolicy) as pure functions:
 * permission → environment → role, first denial wins.
 */

export type EntitlementFacts = Pick<Entitlement, 'id' | 'environmentId'>;

/**
 * Which entitlements a bearer can address: staff, environments and products all of
 * them (inside the environment rule); users and licenses the ones they hold.
 */
export type EntitlementAccess = { kind: 'all' } | { kind: 'ids'; ids: readonly string[] };

const readers = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment', 'product');

export const entitlementPolicy = {
  /** `held`: the entitlements of the bearer's licenses (user, license). */
  scope(bearer: Bearer, held: readonly string[]): EntitlementAccess {
    return readers(bearer) ? { kind: 'all' } : { kind: 'ids', ids: held };
  },

  index(c: Caller, rows: readonly EntitlementFacts[], held: readonly string[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'entitlement.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () =>
        when(
          readers(b) || (hasRole(b, 'user', 'license') && rows.every((e) => held.includes(e.id))),
        ),
    );
  },

  show(c: Caller, e: EntitlementFacts, held: readonly string[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'entitlement.read'),
      () => environmentFits(c, e.environmentId, false),
      () => when(readers(b) || (hasRole(b, 'user', 'license') && held.includes(e.id))),
    );
  },

  create(c: Caller, e: Pick<EntitlementFacts, 'environmentId'>): Decision {
    return write(c, 'entitlement.create', e);
  },

  update(c: Caller, e: EntitlementFacts): Decision {
    return write(c, 'entitlement.update', e);
  },

  destroy(c: Caller, e: EntitlementFacts): Decision {
    return write(c, 'entitlement.delete', e);
  },
};

function write(
  c: Caller,
  permission: string,
  e: Pick<EntitlementFacts, 'environmentId'>,
): Decision {
  return chain(
    () => permitted(c, permission),
    () => environmentFits(c, e.environmentId, true),
    () => when(hasRole(c.bearer, 'admin', 'developer', 'environment')),
  );
}
