import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, deny, when, chain } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import { isLicensed, isOpen, type Product } from './product.entity';

/**
 * Record-level rules for products (Keygen's ProductPolicy and Products::TokenPolicy)
 * as pure functions. Each runs Keygen's order — permission → environment → role —
 * and returns the first denial. Services call them after the scoped lookup, so an
 * out-of-scope product is a 404 before any 403.
 */

/** The product columns the rules look at. */
export type ProductFacts = Pick<Product, 'id' | 'environmentId' | 'distributionStrategy'>;

/**
 * Which products a bearer can address at all (a plain filter the repository applies
 * inside the environment rule): staff and environments everything, a product itself,
 * users and licenses OPEN products plus the ones they hold a license for.
 */
export type ProductAccess =
  | { kind: 'all' }
  | { kind: 'self'; id: string }
  | { kind: 'open'; held: readonly string[]; heldLicensedOnly: boolean };

const staffOrEnvironment = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');

/** Keygen's user/license read rule: OPEN, or LICENSED and held through a license. */
function readableThroughLicense(p: ProductFacts, held: readonly string[]): boolean {
  return isOpen(p) || (isLicensed(p) && held.includes(p.id));
}

export const productPolicy = {
  /** `held`: products of the bearer's licenses (user: any it owns or uses; license: its own). */
  scope(bearer: Bearer, held: readonly string[]): ProductAccess {
    if (staffOrEnvironment(bearer)) {
      return { kind: 'all' };
    }
    if (bearer.role === 'product') {
      return { kind: 'self', id: bearer.id };
    }
    // compat: a license only sees its own product while that product is LICENSED.
    return { kind: 'open', held, heldLicensedOnly: bearer.role === 'license' };
  },

  index(c: Caller, rows: readonly ProductFacts[], held: readonly string[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'product.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => {
        if (staffOrEnvironment(b)) {
          return true;
        }
        if (hasRole(b, 'user', 'license')) {
          return when(rows.every((p) => readableThroughLicense(p, held)));
        }
        return deny();
      },
    );
  },

  show(c: Caller, p: ProductFacts, held: readonly string[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'product.read'),
      () => environmentFits(c, p.environmentId, false),
      () =>
        when(
          staffOrEnvironment(b) ||
            (hasRole(b, 'product') && b.id === p.id) ||
            (hasRole(b, 'user', 'license') && readableThroughLicense(p, held)),
        ),
    );
  },

  create(c: Caller, p: Pick<ProductFacts, 'environmentId'>): Decision {
    return chain(
      () => permitted(c, 'product.create'),
      () => environmentFits(c, p.environmentId, true),
      () => when(hasRole(c.bearer, 'admin', 'developer', 'environment')),
    );
  },

  update(c: Caller, p: ProductFacts): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'product.update'),
      () => environmentFits(c, p.environmentId, true),
      () =>
        when(
          hasRole(b, 'admin', 'developer', 'environment') ||
            (hasRole(b, 'product') && b.id === p.id),
        ),
    );
  },

  destroy(c: Caller, p: ProductFacts): Decision {
    return chain(
      () => permitted(c, 'product.delete'),
      () => environmentFits(c, p.environmentId, true),
      () => when(hasRole(c.bearer, 'admin', 'developer', 'environment')),
    );
  },
};

/** A token as `/products/{id}/tokens` rules see it. */
export interface ProductTokenFacts {
  environmentId: string | null;
  bearerType: string;
  bearerId: string;
}

/** Keygen's Products::TokenPolicy. */
export const productTokensPolicy = {
  /** The page is already limited to the caller's token scope and this product's tokens. */
  index(c: Caller, product: Pick<Product, 'id'>): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'token.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => when(staffOrEnvironment(b) || (hasRole(b, 'product') && b.id === product.id)),
    );
  },

  show(c: Caller, product: Pick<Product, 'id'>, token: ProductTokenFacts): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'token.read'),
      () => environmentFits(c, token.environmentId, false),
      () =>
        when(
          staffOrEnvironment(b) ||
            (hasRole(b, 'product') &&
              b.id === product.id &&
              token.bearerType === 'products' &&
              token.bearerId === b.id),
        ),
    );
  },

  /** Writes are strict: the new token must live in the current environment. */
  create(c: Caller, token: Pick<ProductTokenFacts, 'environmentId'>): Decision {
    return chain(
      () => permitted(c, 'product.tokens.generate'),
      () => environmentFits(c, token.environmentId, true),
      () => when(hasRole(c.bearer, 'admin', 'developer', 'environment')),
    );
  },
};
