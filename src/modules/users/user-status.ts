import type { User } from './user.entity';

/** Users count as active for 90 days after creation (spec 01 §5.2). */
export const ACTIVITY_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;

export type UserStatus = 'ACTIVE' | 'INACTIVE' | 'BANNED';

/**
 * BANNED when banned; ACTIVE when created within the activity window; else INACTIVE.
 * NOTE: recent license activity (created/validated/checked out/in) will also count once
 * licenses exist.
 */
export function userStatus(user: Pick<User, 'bannedAt' | 'createdAt'>, now: Date): UserStatus {
  if (user.bannedAt) {
    return 'BANNED';
  }
  return new Date(user.createdAt).getTime() >= now.getTime() - ACTIVITY_WINDOW_MS
    ? 'ACTIVE'
    : 'INACTIVE';
}
