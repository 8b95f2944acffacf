import { jsonApiEnvelope, linkage, p, type Node, type ParamsContext } from '@libs/jsonapi';

/**
 * Typed params of the license CRUD routes (spec 02 §4.2, §4.4, §4.7), mirroring
 * Keygen's: a member the bearer's role may not write is an unpermitted parameter (400).
 */
const roleIn =
  (...roles: string[]) =>
  (c: ParamsContext): boolean =>
    typeof c.role === 'string' && roles.includes(c.role);

/** `data.id` and the privileged attributes on create. */
const privilegedCreator = roleIn('admin', 'developer', 'sales-agent', 'product', 'environment');
/** The privileged attributes on update (support agents too). */
const privilegedUpdater = roleIn(
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'product',
  'environment',
);
/** `permissions` (EE in Keygen). */
const setsPermissions = roleIn('admin', 'developer', 'product', 'environment');
/** `relationships.group` on create. */
const setsGroup = privilegedUpdater;

const LICENSE_TYPES = ['license', 'licenses'];

const limit = (cond: (c: ParamsContext) => boolean): Node =>
  p.integer({ optional: true, nullable: true, if: cond });

/** The override attributes a privileged role writes, in Keygen's parameter order. */
function privileged(cond: (c: ParamsContext) => boolean, onUpdate: boolean): Record<string, Node> {
  const expiry = p.time({ optional: true, nullable: true, if: cond });
  const flags: Record<string, Node> = onUpdate
    ? {
        expiry,
        protected: p.boolean({ optional: true, if: cond }),
        suspended: p.boolean({ optional: true, if: cond }),
      }
    : {
        protected: p.boolean({ optional: true, if: cond }),
        expiry,
        suspended: p.boolean({ optional: true, if: cond }),
      };
  return {
    ...flags,
    max_machines: limit(cond),
    max_cores: limit(cond),
    max_memory: limit(cond),
    max_disk: limit(cond),
    max_uses: limit(cond),
    max_processes: limit(cond),
    max_users: limit(cond),
  };
}

const metadata = (cond?: (c: ParamsContext) => boolean): Node =>
  p.hash({ optional: true, allowBlank: true, depth: 2, ...(cond ? { if: cond } : {}) });

/** POST /licenses. */
export const CreateLicenseParams = jsonApiEnvelope({
  type: LICENSE_TYPES,
  id: p.uuid({ optional: true, if: privilegedCreator }),
  attributes: p.object({
    name: p.string({ optional: true, nullable: true, allowBlank: true }),
    key: p.string({ optional: true }),
    ...privileged(privilegedCreator, false),
    metadata: metadata(),
    permissions: p.array(p.string(), { optional: true, if: setsPermissions }),
  }),
  relationships: p.object(
    {
      policy: linkage(['policy', 'policies']),
      owner: linkage(['user', 'users'], { optional: true, nullable: true, alias: 'user' }),
      group: linkage(['group', 'groups'], { optional: true, nullable: true, if: setsGroup }),
      environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
    },
    { optional: false },
  ),
});

/** PATCH/PUT /licenses/{id}: attributes only; `data.id` is accepted and ignored. */
export const UpdateLicenseParams = jsonApiEnvelope({
  type: LICENSE_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: p.string({ optional: true, nullable: true, allowBlank: true }),
      ...privileged(privilegedUpdater, true),
      metadata: metadata(privilegedUpdater),
      permissions: p.array(p.string(), { optional: true, if: setsPermissions }),
    },
    { optional: false },
  ),
});

/** Validated license attributes (snake_case). */
export interface LicenseAttributesInput {
  name?: string | null;
  key?: string;
  protected?: boolean;
  expiry?: Date | null;
  suspended?: boolean;
  max_machines?: number | null;
  max_cores?: number | null;
  max_memory?: number | null;
  max_disk?: number | null;
  max_uses?: number | null;
  max_processes?: number | null;
  max_users?: number | null;
  metadata?: Record<string, unknown>;
  permissions?: string[];
}

type ToOne = { data: { type: string; id: string } | null };

export interface CreateLicenseBody {
  data: {
    type: string;
    id?: string;
    attributes?: LicenseAttributesInput;
    relationships: {
      policy: { data: { type: string; id: string } };
      owner?: ToOne;
      group?: ToOne;
      environment?: ToOne;
    };
  };
}

export interface UpdateLicenseBody {
  data: { type: string; id?: string; attributes: Omit<LicenseAttributesInput, 'key'> };
}
