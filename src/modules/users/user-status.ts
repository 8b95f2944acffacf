import type { User } from './user.entity';

/** Users count as active for 90 days after creation (spec 01 §5.2). */
export const ACTIVITY_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;

export type UserStatus = 'ACTIVE' | 'INACTIVE' | 'BANNED';

/**
 * Set by the repository on users it loads for rendering: whether any license the user
 * owns or is attached to was created, validated, checked out or in within the window.
 */
export interface LicenseActivity {
  hasActiveLicense?: boolean;
}

/**
 * BANNED when banned; ACTIVE when created within the activity window or holding a
 * recently active license (spec 01 §5.2); else INACTIVE.
 */
export function userStatus(
  user: Pick<User, 'bannedAt' | 'createdAt'> & LicenseActivity,
  now: Date,
): UserStatus {
  if (user.bannedAt) {
    return 'BANNED';
  }
  if (user.hasActiveLicense) {
    return 'ACTIVE';
  }
  return new Date(user.createdAt).getTime() >= now.getTime() - ACTIVITY_WINDOW_MS
    ? 'ACTIVE'
    : 'INACTIVE';
}
