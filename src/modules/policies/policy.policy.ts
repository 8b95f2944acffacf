import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, deny, when, chain } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import { recordFitsEnvironment } from '@app/modules/tokens/token-rules';
import type { Policy } from './policy.entity';

/**
 * Record-level rules for policies and their relationship routes (Keygen's
 * PolicyPolicy, Products::PolicyPolicy, Policies::ProductPolicy and
 * Policies::EntitlementPolicy) as pure functions: permission → environment → role.
 */

export type PolicyFacts = Pick<Policy, 'id' | 'environmentId' | 'productId'>;

/**
 * Which policies a bearer can address (inside the environment rule): staff and
 * environments all, a product its own, users and licenses those of their licenses.
 */
export type PolicyAccess =
  | { kind: 'all' }
  | { kind: 'product'; productId: string }
  | { kind: 'ids'; ids: readonly string[] };

const staffOrEnvironment = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');
const ownsProduct = (b: Bearer, productId: string): boolean =>
  hasRole(b, 'product') && b.id === productId;
const writers = (b: Bearer): boolean =>
  hasRole(b, 'admin', 'developer', 'sales-agent', 'environment');

export const policyPolicy = {
  /** `held`: the policies of the bearer's licenses (user: owned or attached; license: its own). */
  scope(bearer: Bearer, held: readonly string[]): PolicyAccess {
    if (staffOrEnvironment(bearer)) {
      return { kind: 'all' };
    }
    if (bearer.role === 'product') {
      return { kind: 'product', productId: bearer.id };
    }
    return { kind: 'ids', ids: held };
  },

  index(c: Caller, rows: readonly PolicyFacts[], held: readonly string[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'policy.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => {
        if (staffOrEnvironment(b)) {
          return true;
        }
        if (hasRole(b, 'product')) {
          return when(rows.every((p) => p.productId === b.id));
        }
        if (hasRole(b, 'license')) {
          // compat: Keygen compares the page with `[bearer.policy]`, so only exactly that passes.
          return when(rows.length === 1 && held.length === 1 && rows[0].id === held[0]);
        }
        if (hasRole(b, 'user')) {
          return when(rows.every((p) => held.includes(p.id)));
        }
        return deny();
      },
    );
  },

  show(c: Caller, p: PolicyFacts, held: readonly string[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'policy.read'),
      () => environmentFits(c, p.environmentId, false),
      () =>
        when(
          staffOrEnvironment(b) ||
            ownsProduct(b, p.productId) ||
            (hasRole(b, 'user', 'license') && held.includes(p.id)),
        ),
    );
  },

  /** `p` is the policy as built from the params (a product may only name itself). */
  create(c: Caller, p: Pick<PolicyFacts, 'environmentId' | 'productId'>): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'policy.create'),
      () => environmentFits(c, p.environmentId, true),
      () => when(writers(b) || ownsProduct(b, p.productId)),
    );
  },

  update(c: Caller, p: PolicyFacts): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'policy.update'),
      () => environmentFits(c, p.environmentId, true),
      () => when(writers(b) || ownsProduct(b, p.productId)),
    );
  },

  destroy(c: Caller, p: PolicyFacts): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'policy.delete'),
      () => environmentFits(c, p.environmentId, true),
      () => when(hasRole(b, 'admin', 'developer', 'environment') || ownsProduct(b, p.productId)),
    );
  },
};

/** `/products/{id}/policies[/{pid}]` (Products::PolicyPolicy). */
export const productPoliciesPolicy = {
  index(c: Caller, product: { id: string }): Decision {
    return chain(
      () => permitted(c, 'policy.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => when(staffOrEnvironment(c.bearer) || ownsProduct(c.bearer, product.id)),
    );
  },

  show(c: Caller, product: { id: string }, p: PolicyFacts): Decision {
    return chain(
      () => permitted(c, 'policy.read'),
      () => environmentFits(c, p.environmentId, false),
      () => when(staffOrEnvironment(c.bearer) || ownsProduct(c.bearer, product.id)),
    );
  },
};

/** `/policies/{id}/product` (Policies::ProductPolicy). */
export const policyProductPolicy = {
  show(c: Caller, policy: PolicyFacts, product: { environmentId: string | null }): Decision {
    return chain(
      () => permitted(c, 'product.read'),
      () => environmentFits(c, product.environmentId, false),
      () => when(staffOrEnvironment(c.bearer) || ownsProduct(c.bearer, policy.productId)),
    );
  },
};

/**
 * verify_environment! over a list of records: the bearer and token first, then every
 * record (`a record's environment ...`), or Keygen's wording for an empty list.
 */
function recordsFit(c: Caller, envIds: ReadonlyArray<string | null>, strict: boolean): Decision {
  const actor = environmentFits(c, c.scope.environmentId, false);
  if (actor !== true) {
    return actor;
  }
  if (envIds.length === 0) {
    return !strict || c.scope.environmentId === null
      ? true
      : deny('records are not compatible with the current environment');
  }
  return envIds.every((id) => recordFitsEnvironment(c.scope, id, strict))
    ? true
    : deny("a record's environment is not compatible with the current environment");
}

/** `/policies/{id}/entitlements` (Policies::EntitlementPolicy). */
export const policyEntitlementsPolicy = {
  index(c: Caller, policy: PolicyFacts): Decision {
    return chain(
      () => permitted(c, 'entitlement.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => when(staffOrEnvironment(c.bearer) || ownsProduct(c.bearer, policy.productId)),
    );
  },

  show(c: Caller, policy: PolicyFacts, entitlement: { environmentId: string | null }): Decision {
    return chain(
      () => permitted(c, 'entitlement.read'),
      () => environmentFits(c, entitlement.environmentId, false),
      () => when(staffOrEnvironment(c.bearer) || ownsProduct(c.bearer, policy.productId)),
    );
  },

  /**
   * compat: strict only for a global policy, so a shared policy may take global
   * entitlements but a global one never takes another environment's.
   */
  attach(
    c: Caller,
    policy: PolicyFacts,
    entitlements: ReadonlyArray<{ environmentId: string | null }>,
  ): Decision {
    return change(c, 'policy.entitlements.attach', policy, entitlements);
  },

  detach(
    c: Caller,
    policy: PolicyFacts,
    entitlements: ReadonlyArray<{ environmentId: string | null }>,
  ): Decision {
    return change(c, 'policy.entitlements.detach', policy, entitlements);
  },
};

function change(
  c: Caller,
  permission: string,
  policy: PolicyFacts,
  entitlements: ReadonlyArray<{ environmentId: string | null }>,
): Decision {
  return chain(
    () => permitted(c, permission),
    () =>
      recordsFit(
        c,
        entitlements.map((e) => e.environmentId),
        policy.environmentId === null,
      ),
    () => when(writers(c.bearer) || ownsProduct(c.bearer, policy.productId)),
  );
}
