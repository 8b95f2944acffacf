import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS, WILDCARD } from '@app/common/auth/permissions';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { License } from '../license.entity';
import type { LicenseOwner } from '../license.view';

/**
 * A license as the authenticated principal's record: the row with its policy and
 * owner, as loaded by one query on the authentication path.
 */
export interface LicenseBearerRecord extends License {
  policy: Policy;
  owner: LicenseOwner | null;
  /**
   * The policy's authenticationStrategy, where the token authentication step reads
   * it (TOKEN_NOT_ALLOWED) without knowing about policies.
   */
  authenticationStrategy: string | null;
}

// Interned permission lists are the same arrays on every request, so each
// (license, owner) pair is intersected once.
const INTERSECTIONS = new WeakMap<
  readonly string[],
  WeakMap<readonly string[], readonly string[]>
>();

/**
 * A license's effective permissions (spec 02 §4.2, Keygen's License#permissions):
 * without an owner its own; with one, the intersection with the owner's, where a
 * wildcard on either side defers to the other side.
 */
export function effectiveLicensePermissions(
  own: readonly string[],
  owner: readonly string[] | null,
): readonly string[] {
  if (owner === null) {
    return own;
  }
  if (own.includes(WILDCARD)) {
    return owner;
  }
  if (owner.includes(WILDCARD)) {
    return own;
  }
  let byOwner = INTERSECTIONS.get(own);
  if (!byOwner) {
    byOwner = new WeakMap();
    INTERSECTIONS.set(own, byOwner);
  }
  let both = byOwner.get(owner);
  if (!both) {
    const held = new Set(own);
    both = Object.freeze(owner.filter((p) => held.has(p)));
    byOwner.set(owner, both);
  }
  return both;
}

/** The stored permissions, else the default license set (like LicensesRepository's views). */
export function ownLicensePermissions(l: Pick<License, 'permissions'>): readonly string[] {
  return l.permissions ?? DEFAULT_PERMISSIONS.license;
}

/**
 * The license as a bearer. `bannedAt` is the owner's: Keygen's license `banned?`,
 * which token authentication turns into USER_BANNED for license tokens.
 */
export function licenseBearer(r: LicenseBearerRecord): Bearer {
  return {
    type: 'licenses',
    id: r.id,
    role: 'license',
    permissions: effectiveLicensePermissions(
      ownLicensePermissions(r),
      r.owner?.permissions ?? null,
    ),
    environmentId: r.environmentId,
    bannedAt: r.owner?.bannedAt ?? null,
    record: r,
  };
}

/** Assembles a bearer record from a license, its policy and owner (services that hold a view). */
export function licenseBearerRecord(
  license: License,
  policy: Policy,
  owner: LicenseOwner | null,
): LicenseBearerRecord {
  return Object.assign(
    Object.create(Object.getPrototypeOf(license) as object) as License,
    license,
    {
      policy,
      owner,
      authenticationStrategy: policy.authenticationStrategy,
    },
  ) as LicenseBearerRecord;
}
