import { jsonApiEnvelope, linkage, p, type Node, type ParamsContext } from '@libs/jsonapi';

/** Request-side API-version gates (spec 00 §7.3). */
const versionIn =
  (...versions: string[]) =>
  (c: ParamsContext): boolean =>
    typeof c.apiVersion === 'string' && versions.includes(c.apiVersion);
const upTo11 = versionIn('1.0', '1.1');
const upTo13 = versionIn('1.0', '1.1', '1.2', '1.3');
const upTo16 = versionIn('1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6');

const int = (): Node => p.integer({ optional: true, nullable: true });
const bool = (): Node => p.boolean({ optional: true });
const str = (): Node => p.string({ optional: true });

/** Writable on create and update, in Keygen's parameter order. */
function sharedAttributes(): Record<string, Node> {
  return {
    name: str(),
    duration: int(),
    strict: bool(),
    floating: bool(),
    protected: bool(),
    concurrent: p.boolean({ optional: true, if: upTo11 }),
    max_machines: int(),
    max_processes: int(),
    max_users: int(),
    max_cores: int(),
    max_memory: int(),
    max_disk: int(),
    max_uses: int(),
    fingerprint_uniqueness_strategy: p.string({
      optional: true,
      if: upTo13,
      as: 'machine_uniqueness_strategy',
    }),
    fingerprint_matching_strategy: p.string({
      optional: true,
      if: upTo13,
      as: 'machine_matching_strategy',
    }),
    machine_uniqueness_strategy: str(),
    machine_matching_strategy: str(),
    component_uniqueness_strategy: str(),
    component_matching_strategy: str(),
    expiration_strategy: str(),
    expiration_basis: str(),
    renewal_basis: str(),
    transfer_strategy: str(),
    authentication_strategy: str(),
    leasing_strategy: p.string({ optional: true, if: upTo16, as: 'process_leasing_strategy' }),
    process_leasing_strategy: str(),
    machine_leasing_strategy: str(),
    overage_strategy: str(),
    require_product_scope: bool(),
    require_policy_scope: bool(),
    require_machine_scope: bool(),
    require_fingerprint_scope: bool(),
    require_components_scope: bool(),
    require_user_scope: bool(),
    require_checksum_scope: bool(),
    require_version_scope: bool(),
    require_check_in: bool(),
    check_in_interval: p.string({ optional: true, nullable: true }),
    check_in_interval_count: int(),
    heartbeat_duration: int(),
    heartbeat_cull_strategy: str(),
    heartbeat_resurrection_strategy: str(),
    heartbeat_basis: str(),
    require_heartbeat: bool(),
    metadata: p.hash({ optional: true, allowBlank: true, depth: 2 }),
  };
}

const POLICY_TYPES = ['policy', 'policies'];

/** POST /policies (spec 02 §2.2): attributes and `relationships.product` are required. */
export const CreatePolicyParams = jsonApiEnvelope({
  type: POLICY_TYPES,
  attributes: p.object(
    {
      scheme: str(),
      encrypted: bool(),
      use_pool: bool(),
      ...sharedAttributes(),
    },
    { optional: false },
  ),
  relationships: p.object(
    {
      product: linkage(['product', 'products']),
      environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
    },
    { optional: false },
  ),
});

/** PATCH /policies/{id}: `scheme`, `encrypted` and `usePool` are immutable (400). */
export const UpdatePolicyParams = jsonApiEnvelope({
  type: POLICY_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(sharedAttributes(), { optional: false }),
});

/** Validated policy attributes (snake_case; version aliases already renamed). */
export interface PolicyAttributesInput {
  scheme?: string;
  encrypted?: boolean;
  use_pool?: boolean;
  name?: string;
  duration?: number | null;
  strict?: boolean;
  floating?: boolean;
  protected?: boolean;
  concurrent?: boolean;
  max_machines?: number | null;
  max_processes?: number | null;
  max_users?: number | null;
  max_cores?: number | null;
  max_memory?: number | null;
  max_disk?: number | null;
  max_uses?: number | null;
  machine_uniqueness_strategy?: string;
  machine_matching_strategy?: string;
  component_uniqueness_strategy?: string;
  component_matching_strategy?: string;
  expiration_strategy?: string;
  expiration_basis?: string;
  renewal_basis?: string;
  transfer_strategy?: string;
  authentication_strategy?: string;
  process_leasing_strategy?: string;
  machine_leasing_strategy?: string;
  overage_strategy?: string;
  require_product_scope?: boolean;
  require_policy_scope?: boolean;
  require_machine_scope?: boolean;
  require_fingerprint_scope?: boolean;
  require_components_scope?: boolean;
  require_user_scope?: boolean;
  require_checksum_scope?: boolean;
  require_version_scope?: boolean;
  require_check_in?: boolean;
  check_in_interval?: string | null;
  check_in_interval_count?: number | null;
  heartbeat_duration?: number | null;
  heartbeat_cull_strategy?: string;
  heartbeat_resurrection_strategy?: string;
  heartbeat_basis?: string;
  require_heartbeat?: boolean;
  metadata?: Record<string, unknown>;
}

type Linkage = { data: { type: string; id: string } };

export interface CreatePolicyBody {
  data: {
    type: string;
    attributes: PolicyAttributesInput;
    relationships: {
      product: Linkage;
      environment?: { data: { type: string; id: string } | null };
    };
  };
}

export interface UpdatePolicyBody {
  data: { type: string; id?: string; attributes: PolicyAttributesInput };
}

/** `{"data": [{"type": "entitlements", "id": "<uuid>"}, ...]}` with 1..100 items (spec 02 §10.3). */
export const PolicyEntitlementsParams = p.object({
  data: p.array(
    p.object({
      type: p.string({ inclusion: ['entitlement', 'entitlements'] }),
      id: p.uuid(),
    }),
    { length: { min: 1, max: 100 } },
  ),
});

export interface PolicyEntitlementsBody {
  data: Array<{ type: string; id: string }>;
}
