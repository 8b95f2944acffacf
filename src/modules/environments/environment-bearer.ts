import type { Bearer } from '@app/common/auth/bearer';
import { ENVIRONMENT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Environment } from './environment.entity';

/** An environment as the authenticated principal (environment tokens). */
export function environmentBearer(env: Environment): Bearer {
  return {
    type: 'environments',
    id: env.id,
    role: 'environment',
    permissions: ENVIRONMENT_PERMISSIONS,
    environmentId: env.id,
    record: env,
  };
}
