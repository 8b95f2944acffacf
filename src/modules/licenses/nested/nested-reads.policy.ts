import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, chain, when } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import type { LicenseAccess } from '../license.policy';

/**
 * Record-level rules of the read routes nested around licenses (Keygen's
 * Users::LicensePolicy, Users::ProductPolicy, Groups::LicensePolicy and
 * Products::UserPolicy; spec 01 §5.1, §8.1, §8.3 rule 7, spec 02 §1.1) as pure
 * functions. Each runs permission → environment (non-strict: the license, product or
 * user on show, the current environment on index) → role. The parent is looked up in
 * the caller's scope first, so an unreachable parent is a 404 before any 403.
 */

/** STAFF-R: every admin-family role and environments. */
const readers = (b: Bearer): boolean => isAdminFamily(b) || hasRole(b, 'environment');
const isUserSelf = (b: Bearer, userId: string): boolean => hasRole(b, 'user') && b.id === userId;

/** The parent user of `/users/{id}/...`, as the rules need it. */
export interface ParentUser {
  id: string;
  role: string;
}

/** What the rules need of a license read through a parent. */
export interface NestedLicense {
  environmentId: string | null;
  productId: string;
  groupId: string | null;
}

const NO_LICENSE = '00000000-0000-0000-0000-000000000000';

export const nestedReadsPolicy = {
  /**
   * GET /users/{id}/licenses[/{lid}]: staff, a product for a `user`-role user's
   * licenses of its own, the user itself. `license` is null on index (the rows are
   * already limited to what the bearer can address).
   */
  userLicenses(
    c: Caller,
    user: ParentUser,
    license: NestedLicense | null,
    envId: string | null,
  ): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'license.read'),
      () => environmentFits(c, envId, false),
      () => {
        if (readers(b)) {
          return true;
        }
        if (hasRole(b, 'product')) {
          return when(user.role === 'user' && (license === null || license.productId === b.id));
        }
        // The show lookup is confined to the user's licenses, so they are the bearer's.
        return when(isUserSelf(b, user.id));
      },
    );
  },

  /** GET /users/{id}/products[/{pid}]: staff, a product itself, the user itself (`product.read`). */
  userProducts(
    c: Caller,
    user: ParentUser,
    productId: string | null,
    envId: string | null,
  ): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'product.read'),
      () => environmentFits(c, envId, false),
      () => {
        if (readers(b)) {
          return true;
        }
        if (hasRole(b, 'product')) {
          // On index the rows are only ever the product itself.
          return when(productId === null || productId === b.id);
        }
        return when(isUserSelf(b, user.id));
      },
    );
  },

  /**
   * Which of a group's licenses a bearer may list (Groups::LicensePolicy's scope):
   * staff and environments all, a product its own, a user the group's when it owns the
   * group (membership alone is not enough), anyone else none.
   */
  groupLicensesAccess(b: Bearer, ownsGroup: boolean): LicenseAccess {
    if (readers(b)) {
      return { kind: 'all' };
    }
    if (hasRole(b, 'product')) {
      return { kind: 'product', productId: b.id };
    }
    if (hasRole(b, 'user') && ownsGroup) {
      return { kind: 'all' };
    }
    return { kind: 'self', licenseId: NO_LICENSE };
  },

  /**
   * GET /groups/{id}/licenses[/{lid}] (`group.licenses.read`): staff, a product for its
   * own licenses, a user for licenses of groups it owns. `licenses` are the listed rows
   * or the one shown; `owns` the groups the user bearer owns.
   */
  groupLicenses(
    c: Caller,
    owns: readonly string[],
    licenses: readonly NestedLicense[],
    envId: string | null,
  ): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'group.licenses.read'),
      () => environmentFits(c, envId, false),
      () => {
        if (readers(b)) {
          return true;
        }
        if (hasRole(b, 'product')) {
          return when(licenses.every((l) => l.productId === b.id));
        }
        if (hasRole(b, 'user')) {
          return when(
            owns.length > 0 &&
              licenses.every((l) => l.groupId !== null && owns.includes(l.groupId)),
          );
        }
        return when(false);
      },
    );
  },

  /** GET /products/{id}/users[/{uid}] (`user.read`): staff and the product itself. */
  productUsers(c: Caller, productId: string, envId: string | null): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'user.read'),
      () => environmentFits(c, envId, false),
      () => when(readers(b) || (hasRole(b, 'product') && b.id === productId)),
    );
  },
};
