import { jsonApiEnvelope, linkage, p, type ParamsContext } from '@libs/jsonapi';

const MACHINE_TYPES = ['machine', 'machines'];
const LICENSE_TYPES = ['license', 'licenses'];
const USER_TYPES = ['user', 'users'];
const GROUP_TYPES = ['group', 'groups'];
const COMPONENT_TYPES = ['component', 'components'];
const ENVIRONMENT_TYPES = ['environment', 'environments'];

const roleIn =
  (...roles: string[]) =>
  (ctx: ParamsContext): boolean =>
    roles.includes(ctx.role as string);

/** Who may set `group` on activation (spec 03 §1.5). */
const setsGroup = roleIn(
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'product',
  'environment',
);
/** Who may update cores, memory, disk and metadata (§1.6). */
const updatesHardware = roleIn('admin', 'developer', 'sales-agent', 'product', 'environment');

const optionalText = () => p.string({ optional: true, nullable: true, allowBlank: true });

/** The integer attributes re-read from the raw body so 64-bit values stay exact. */
export const EXACT_MACHINE_INTEGERS = ['cores', 'memory', 'disk'] as const;

/** POST /machines (§1.5). */
export const CreateMachineParams = jsonApiEnvelope({
  type: MACHINE_TYPES,
  id: p.uuid({ optional: true }),
  attributes: p.object(
    {
      fingerprint: p.string(),
      name: optionalText(),
      ip: optionalText(),
      hostname: optionalText(),
      platform: optionalText(),
      cores: p.integer({ optional: true, nullable: true }),
      memory: p.integer({ optional: true, nullable: true }),
      disk: p.integer({ optional: true, nullable: true }),
      metadata: p.hash({ optional: true, allowBlank: true }),
    },
    { optional: false },
  ),
  relationships: p.object(
    {
      license: p.object({
        data: p.object({ type: p.string({ inclusion: LICENSE_TYPES }), id: p.uuid() }),
      }),
      owner: linkage(USER_TYPES, { optional: true, nullable: true }),
      group: linkage(GROUP_TYPES, { optional: true, nullable: true, if: setsGroup }),
      components: p.object(
        {
          data: p.array(
            p.object({
              type: p.string({ inclusion: COMPONENT_TYPES }),
              attributes: p.object({
                fingerprint: p.string(),
                name: p.string(),
                metadata: p.hash({ optional: true, allowBlank: true }),
              }),
            }),
          ),
        },
        { optional: true },
      ),
      environment: linkage(ENVIRONMENT_TYPES, { optional: true, nullable: true }),
    },
    { optional: false },
  ),
});

type Linkage = { data: { type: string; id: string } | null };

export interface InlineComponentParams {
  type: string;
  attributes: { fingerprint: string; name: string; metadata?: Record<string, unknown> };
}

export interface MachineTextAttributes {
  name?: string | null;
  ip?: string | null;
  hostname?: string | null;
  platform?: string | null;
}

export interface CreateMachineBody {
  data: {
    type: string;
    id?: string;
    attributes: MachineTextAttributes & {
      fingerprint: string;
      cores?: number | null;
      memory?: number | null;
      disk?: number | null;
      metadata?: Record<string, unknown>;
    };
    relationships: {
      license: { data: { type: string; id: string } };
      owner?: Linkage;
      group?: Linkage;
      components?: { data: InlineComponentParams[] };
      environment?: Linkage;
    };
  };
}

/** PATCH /machines/{id} (§1.6): `data.id` is accepted and ignored. */
export const UpdateMachineParams = jsonApiEnvelope({
  type: MACHINE_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: optionalText(),
      ip: optionalText(),
      hostname: optionalText(),
      platform: optionalText(),
      cores: p.integer({ optional: true, nullable: true, if: updatesHardware }),
      memory: p.integer({ optional: true, nullable: true, if: updatesHardware }),
      disk: p.integer({ optional: true, nullable: true, if: updatesHardware }),
      metadata: p.hash({ optional: true, allowBlank: true, if: updatesHardware }),
    },
    { optional: false },
  ),
});

export interface UpdateMachineBody {
  data: {
    type: string;
    attributes: MachineTextAttributes & {
      cores?: number | null;
      memory?: number | null;
      disk?: number | null;
      metadata?: Record<string, unknown>;
    };
  };
}

/** PUT /machines/{id}/owner: `{data: {type: users, id}}` or `{data: null}`. */
export const ChangeMachineOwnerParams = p.object({
  data: p.object({ type: p.string({ inclusion: USER_TYPES }), id: p.uuid() }, { nullable: true }),
});

/** PUT /machines/{id}/group: `{data: {type: groups, id}}` or `{data: null}`. */
export const ChangeMachineGroupParams = p.object({
  data: p.object({ type: p.string({ inclusion: GROUP_TYPES }), id: p.uuid() }, { nullable: true }),
});

export interface ChangeRelationshipBody {
  data: { type: string; id: string } | null;
}

/** POST /machines/{id}/actions/generate-offline-proof (§1.10): `meta.dataset` for staff only. */
export const ProofParams = p.object({
  meta: p.object(
    { dataset: p.hash({ depth: Infinity }) },
    {
      optional: true,
      if: roleIn('admin', 'developer', 'sales-agent', 'support-agent', 'product', 'environment'),
    },
  ),
});

export interface ProofBody {
  meta?: { dataset: Record<string, unknown> };
}
