import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, chain, deny, when } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import type { KeyView } from './key.view';

/**
 * Record-level rules for pool keys and their routes (Keygen's KeyPolicy,
 * Keys::PolicyPolicy, Keys::ProductPolicy and Policies::PoolPolicy) as pure
 * functions: permission → environment → role, first denial wins. Services call them
 * after the scoped lookup, so an out-of-scope key is a 404 before any 403.
 */

export type KeyFacts = Pick<KeyView, 'id' | 'environmentId' | 'productId'>;

/** The policy a pool route addresses, as the pool rules see it. */
export type PoolPolicyFacts = { id: string; environmentId: string | null; productId: string };

/**
 * Which keys a bearer can address (inside the environment rule): staff and
 * environments all, a product those of its policies, users and licenses none.
 */
export type KeyAccess = { kind: 'all' } | { kind: 'product'; productId: string } | { kind: 'none' };

/** admin, developer, sales agent, support agent, read only, environment. */
const readers = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');
const writers = (b: Bearer): boolean => hasRole(b, 'admin', 'developer', 'environment');
const ownsProduct = (b: Bearer, productId: string | null): boolean =>
  hasRole(b, 'product') && productId !== null && b.id === productId;

function write(
  c: Caller,
  permission: string,
  k: Pick<KeyFacts, 'environmentId'> & { productId: string | null },
): Decision {
  return chain(
    () => permitted(c, permission),
    () => environmentFits(c, k.environmentId, true),
    () => when(writers(c.bearer) || ownsProduct(c.bearer, k.productId)),
  );
}

export const keyPolicy = {
  scope(bearer: Bearer): KeyAccess {
    if (readers(bearer)) {
      return { kind: 'all' };
    }
    if (hasRole(bearer, 'product')) {
      return { kind: 'product', productId: bearer.id };
    }
    return { kind: 'none' };
  },

  index(c: Caller, rows: readonly KeyFacts[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'key.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => when(readers(b) || (hasRole(b, 'product') && rows.every((k) => k.productId === b.id))),
    );
  },

  show(c: Caller, k: KeyFacts): Decision {
    return chain(
      () => permitted(c, 'key.read'),
      () => environmentFits(c, k.environmentId, false),
      () => when(readers(c.bearer) || ownsProduct(c.bearer, k.productId)),
    );
  },

  /** `k` is the key as built from the params; `productId` null when its policy is unknown. */
  create(c: Caller, k: Pick<KeyFacts, 'environmentId'> & { productId: string | null }): Decision {
    return write(c, 'key.create', k);
  },

  update(c: Caller, k: KeyFacts): Decision {
    return write(c, 'key.update', k);
  },

  destroy(c: Caller, k: KeyFacts): Decision {
    return write(c, 'key.delete', k);
  },
};

/** `/keys/{id}/policy` and `/keys/{id}/product` (Keys::PolicyPolicy, Keys::ProductPolicy). */
export const keyRelationshipsPolicy = {
  policy(c: Caller, k: KeyFacts, policy: { environmentId: string | null }): Decision {
    return related(c, 'policy.read', k, policy.environmentId);
  },

  product(c: Caller, k: KeyFacts, product: { environmentId: string | null }): Decision {
    return related(c, 'product.read', k, product.environmentId);
  },
};

function related(c: Caller, permission: string, k: KeyFacts, envId: string | null): Decision {
  return chain(
    () => permitted(c, permission),
    () => environmentFits(c, envId, false),
    () => when(readers(c.bearer) || ownsProduct(c.bearer, k.productId)),
  );
}

/** `/policies/{id}/pool[/{key}]` and the pop (Policies::PoolPolicy). */
export const poolPolicy = {
  index(c: Caller, policy: PoolPolicyFacts, rows: readonly KeyFacts[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'key.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => {
        if (readers(b)) {
          return true;
        }
        if (ownsProduct(b, policy.productId)) {
          return when(rows.every((k) => k.productId === b.id));
        }
        return deny();
      },
    );
  },

  show(c: Caller, policy: PoolPolicyFacts, k: KeyFacts): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'key.read'),
      () => environmentFits(c, k.environmentId, false),
      () => {
        if (readers(b)) {
          return true;
        }
        if (ownsProduct(b, policy.productId)) {
          return when(k.productId === b.id);
        }
        return deny();
      },
    );
  },

  pop(c: Caller, policy: PoolPolicyFacts): Decision {
    return chain(
      () => permitted(c, 'policy.pool.pop'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => when(writers(c.bearer) || ownsProduct(c.bearer, policy.productId)),
    );
  },
};
