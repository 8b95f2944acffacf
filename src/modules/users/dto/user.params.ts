import { jsonApiEnvelope, linkage, p, type ParamsContext } from '@libs/jsonapi';
import { USER_ROLES, type UserRole } from '@app/common/auth/roles';

const roleIn =
  (...roles: string[]) =>
  (c: ParamsContext): boolean =>
    typeof c.role === 'string' && roles.includes(c.role);

/** `role` is only settable by admins; `permissions` by admin, developer, product, environment. */
const setsRole = roleIn('admin');
const setsPermissions = roleIn('admin', 'developer', 'product', 'environment');
const setsGroup = roleIn(
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'product',
  'environment',
);
const setsPassword = roleIn('admin', 'developer', 'product', 'environment');
const setsMetadata = roleIn('admin', 'developer', 'sales-agent', 'product', 'environment');

const USER_TYPES = ['user', 'users'];

/** POST /users (spec 01 §5.2, §5.4.1). Anonymous callers get only the five base attributes. */
export const CreateUserParams = jsonApiEnvelope({
  type: USER_TYPES,
  attributes: p.object(
    {
      first_name: p.string({ optional: true, allowBlank: true }),
      last_name: p.string({ optional: true, allowBlank: true }),
      email: p.string(),
      password: p.string({ optional: true, nullable: true }),
      metadata: p.hash({ optional: true, allowBlank: true }),
      role: p.string({ optional: true, inclusion: USER_ROLES, if: setsRole }),
      permissions: p.array(p.string(), { optional: true, if: setsPermissions }),
    },
    { optional: false },
  ),
  relationships: p.object({
    group: linkage(['group', 'groups'], { optional: true, nullable: true, if: setsGroup }),
    environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
  }),
});

export interface CreateUserBody {
  data: {
    type: string;
    attributes: {
      first_name?: string;
      last_name?: string;
      email: string;
      password?: string | null;
      metadata?: Record<string, unknown>;
      role?: UserRole;
      permissions?: string[];
    };
    relationships?: {
      group?: { data: { type: string; id: string } | null };
      environment?: { data: { type: string; id: string } | null };
    };
  };
}

/** PATCH /users/{id} (spec 01 §5.2): attribute availability depends on the caller's role. */
export const UpdateUserParams = jsonApiEnvelope({
  type: USER_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object({
    first_name: p.string({ optional: true, allowBlank: true, nullable: true }),
    last_name: p.string({ optional: true, allowBlank: true, nullable: true }),
    email: p.string({ optional: true }),
    password: p.string({ optional: true, nullable: true, if: setsPassword }),
    metadata: p.hash({ optional: true, allowBlank: true, if: setsMetadata }),
    role: p.string({ optional: true, inclusion: USER_ROLES, if: setsRole }),
    permissions: p.array(p.string(), { optional: true, if: setsPermissions }),
  }),
});

export interface UpdateUserBody {
  data: {
    type: string;
    id?: string;
    attributes?: {
      first_name?: string | null;
      last_name?: string | null;
      email?: string;
      password?: string | null;
      metadata?: Record<string, unknown>;
      role?: UserRole;
      permissions?: string[];
    };
  };
}

/** POST /users/{id}/actions/update-password */
export const UpdatePasswordParams = p.object({
  meta: p.object({ old_password: p.string(), new_password: p.string() }),
});

export interface UpdatePasswordBody {
  meta: { old_password: string; new_password: string };
}

/** POST /users/{id}/actions/reset-password */
export const ResetPasswordParams = p.object({
  meta: p.object({ password_reset_token: p.string(), new_password: p.string() }),
});

export interface ResetPasswordBody {
  meta: { password_reset_token: string; new_password: string };
}

/** POST /passwords */
export const RequestPasswordResetParams = p.object({
  meta: p.object({ deliver: p.boolean({ optional: true }), email: p.string() }),
});

export interface RequestPasswordResetBody {
  meta: { deliver?: boolean; email: string };
}
