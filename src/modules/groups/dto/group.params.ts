import { jsonApiEnvelope, linkage, p } from '@libs/jsonapi';

const GROUP_TYPES = ['group', 'groups'];
const USER_TYPES = ['user', 'users'];

/** POST /groups (spec 01 §8.2). Limits given as null are dropped (not nullable on create). */
export const CreateGroupParams = jsonApiEnvelope({
  type: GROUP_TYPES,
  attributes: p.object(
    {
      name: p.string(),
      max_users: p.integer({ optional: true }),
      max_licenses: p.integer({ optional: true }),
      max_machines: p.integer({ optional: true }),
      metadata: p.hash({ optional: true, allowBlank: true }),
    },
    { optional: false },
  ),
  relationships: p.object({
    environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
  }),
});

export interface CreateGroupBody {
  data: {
    type: string;
    attributes: {
      name: string;
      max_users?: number;
      max_licenses?: number;
      max_machines?: number;
      metadata?: Record<string, unknown>;
    };
    relationships?: {
      environment?: { data: { type: string; id: string } | null };
    };
  };
}

/** PATCH /groups/{id}: `attributes` is required; null removes a limit. */
export const UpdateGroupParams = jsonApiEnvelope({
  type: GROUP_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: p.string({ optional: true }),
      max_users: p.integer({ optional: true, nullable: true }),
      max_licenses: p.integer({ optional: true, nullable: true }),
      max_machines: p.integer({ optional: true, nullable: true }),
      metadata: p.hash({ optional: true, allowBlank: true }),
    },
    { optional: false },
  ),
});

export interface UpdateGroupBody {
  data: {
    type: string;
    attributes: {
      name?: string;
      max_users?: number | null;
      max_licenses?: number | null;
      max_machines?: number | null;
      metadata?: Record<string, unknown>;
    };
  };
}

/** POST/DELETE /groups/{id}/owners: `{data: [{type: users, id}, ...]}`. */
export const GroupOwnersParams = p.object({
  data: p.array(p.object({ type: p.string({ inclusion: USER_TYPES }), id: p.uuid() })),
});

export interface GroupOwnersBody {
  data: Array<{ type: string; id: string }>;
}

/** PUT /users/{id}/group: `{data: {type: groups, id}}` or `{data: null}`. */
export const ChangeUserGroupParams = p.object({
  data: p.object({ type: p.string({ inclusion: GROUP_TYPES }), id: p.uuid() }, { nullable: true }),
});

export interface ChangeUserGroupBody {
  data: { type: string; id: string } | null;
}
