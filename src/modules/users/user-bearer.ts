import type { Bearer } from '@app/common/auth/bearer';
import type { User } from './user.entity';

/** A user as the authenticated principal. */
export function userBearer(user: User): Bearer {
  return {
    type: 'users',
    id: user.id,
    role: user.role,
    permissions: user.permissions,
    environmentId: user.environmentId,
    bannedAt: user.bannedAt,
    record: user,
  };
}
