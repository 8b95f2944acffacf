import { metadataModelError } from '@libs/jsonapi';
import {
  ALL_PERMISSIONS,
  WILDCARD,
  isAllowedForRole,
  isKnownPermission,
} from '@app/common/auth/permissions';
import type { Role, UserRole } from '@app/common/auth/roles';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import {
  ADMINS_REQUIRED,
  FULL_ADMIN_REQUIRED,
  attributeError,
  groupNotFound,
  permissionsNotAllowed,
} from './user.errors';

/** Keygen's EMAIL_RE (also used by password login). */
export const EMAIL_RE = /^([^@\s]+)@((?:[-a-z0-9]+\.)+[a-z]{2,})$/i;

export const EMAIL_MAX = 255;
export const NAME_MAX = 255;
export const PASSWORD_MIN = 6;
export const PASSWORD_MAX = 72;

/** Emails are stored trimmed and lower-cased (spec 01 §5.2). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Character count as Ruby's String#length sees it (code points). */
function charLength(s: string): number {
  return [...s].length;
}

/**
 * Assignment-time check (Keygen raises before authorizing): every entry must be a
 * known action or `*`, and duplicates must not shrink the set.
 */
export function permissionsKnown(permissions: readonly string[]): boolean {
  return new Set(permissions).size === permissions.length && permissions.every(isKnownPermission);
}

/** Save-time check: every entry within the role's allowed set (`*` always allowed). */
export function permissionsAllowed(role: Role, permissions: readonly string[]): boolean {
  return permissions.every((p) => isAllowedForRole(role, p));
}

/**
 * Permissions kept when a role is (re)assigned (spec 01 §2.5): the current set
 * intersected with the new role's defaults plus the wildcard.
 */
export function permissionsAfterRoleChange(
  current: readonly string[],
  newRoleDefaults: readonly string[],
): string[] {
  const keep = new Set([...newRoleDefaults, WILDCARD]);
  return current.filter((p) => keep.has(p));
}

/** Keygen's `root?`/`all_permissions?`: an admin holding `*` or every action. */
export function isRootSet(role: Role, permissions: readonly string[]): boolean {
  if (role !== 'admin') {
    return false;
  }
  if (permissions.includes(WILDCARD)) {
    return true;
  }
  const held = new Set(permissions);
  return ALL_PERMISSIONS.every((p) => held.has(p));
}

export interface UserValidationInput {
  role: UserRole;
  permissions: readonly string[];
  email: string;
  emailTaken: boolean;
  /** The plain password being assigned (undefined/null when not being set). */
  password?: string | null;
  firstName: string | null;
  lastName: string | null;
  metadata: unknown;
  /** A group id was given that does not exist. */
  groupMissing?: boolean;
}

/**
 * Model validation (422) in Keygen's order: role permissions, group, email,
 * password, names, metadata. Every failing rule is reported.
 */
export function userValidationErrors(u: UserValidationInput): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  if (!permissionsAllowed(u.role, u.permissions)) {
    errors.push(permissionsNotAllowed());
  }
  if (u.groupMissing) {
    errors.push(groupNotFound());
  }
  if (!EMAIL_RE.test(u.email)) {
    errors.push(attributeError('email', 'EMAIL_INVALID', 'is invalid'));
  }
  if (charLength(u.email) > EMAIL_MAX) {
    errors.push(
      attributeError('email', 'EMAIL_TOO_LONG', `is too long (maximum is ${EMAIL_MAX} characters)`),
    );
  }
  if (u.emailTaken) {
    errors.push(attributeError('email', 'EMAIL_TAKEN', 'has already been taken'));
  }
  if (typeof u.password === 'string') {
    errors.push(...passwordErrors(u.password));
  }
  if (u.firstName !== null && charLength(u.firstName) > NAME_MAX) {
    errors.push(
      attributeError(
        'firstName',
        'FIRST_NAME_TOO_LONG',
        `is too long (maximum is ${NAME_MAX} characters)`,
      ),
    );
  }
  if (u.lastName !== null && charLength(u.lastName) > NAME_MAX) {
    errors.push(
      attributeError(
        'lastName',
        'LAST_NAME_TOO_LONG',
        `is too long (maximum is ${NAME_MAX} characters)`,
      ),
    );
  }
  const metadata = metadataModelError(u.metadata);
  if (metadata) {
    errors.push(attributeError('metadata', 'METADATA_TOO_LONG', metadata));
  }
  return errors;
}

/** Password length rules (6–72 characters). */
export function passwordErrors(password: string): ApiErrorItem[] {
  const n = charLength(password);
  if (n < PASSWORD_MIN) {
    return [
      attributeError(
        'password',
        'PASSWORD_TOO_SHORT',
        `is too short (minimum is ${PASSWORD_MIN} characters)`,
      ),
    ];
  }
  if (n > PASSWORD_MAX) {
    return [
      attributeError(
        'password',
        'PASSWORD_TOO_LONG',
        `is too long (maximum is ${PASSWORD_MAX} characters)`,
      ),
    ];
  }
  return [];
}

export interface AdminMinimumInput {
  /** Role before the change (same as `isAdmin` for deletes and permission-only updates). */
  wasAdmin: boolean;
  isAdmin: boolean;
  destroying: boolean;
  roleChanged: boolean;
  /** The target's (new) permission set is a full admin set. */
  targetRoot: boolean;
  /** For every other admin of the account (all environments): whether it holds a full set. */
  otherAdminsRoot: readonly boolean[];
}

/**
 * Spec 01 §2.6.4, reproducing Keygen's `enforce_admin_minimums_for` arithmetic
 * (including its quirk that deleting a limited admin can require a full-set admin).
 * Returns the 422 detail, or null.
 */
export function adminMinimumError(i: AdminMinimumInput): string | null {
  if (!i.isAdmin && !i.wasAdmin) {
    return null;
  }
  let count = i.otherAdminsRoot.length + (i.destroying ? 0 : 1);
  if (!i.isAdmin && i.wasAdmin) {
    count -= 1;
  } else if (i.isAdmin && !i.wasAdmin) {
    count += 1;
  }
  const permissionsReduced = !i.targetRoot && !i.roleChanged;
  if (
    (count > 1 && permissionsReduced && !i.otherAdminsRoot.some(Boolean)) ||
    (count === 1 && permissionsReduced)
  ) {
    return FULL_ADMIN_REQUIRED;
  }
  if (count < 1 && (i.destroying || i.roleChanged)) {
    return ADMINS_REQUIRED;
  }
  return null;
}
