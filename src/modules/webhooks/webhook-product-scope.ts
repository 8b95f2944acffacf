import { effectiveBearerPermissions } from '@app/common/auth/permissions';

/**
 * Whether a product-bound endpoint may receive an event (spec 05 §3.3 rule 3): the
 * product must be able to read the resource as a product token could through the
 * API (Keygen runs the resource's `show?` policy with the product as bearer). The
 * rules are per resource type; facts come from the emitted record, and what the
 * record does not carry is looked up.
 */

/** Scalar facts picked from an emitted record. */
export interface ResourceFacts {
  id: string | null;
  productId: string | null;
  policyId: string | null;
  machineId: string | null;
  role: string | null;
  bearerType: string | null;
  bearerId: string | null;
}

export interface ProductReadLookups {
  policyProductId(policyId: string): Promise<string | null>;
  machineProductId(machineId: string): Promise<string | null>;
  licenseProductId(licenseId: string): Promise<string | null>;
  /** The user owns or is attached to a license of the product. */
  userHoldsProduct(userId: string, productId: string): Promise<boolean>;
}

/** The permission a product needs to read each resource type. */
const READ_PERMISSION: Record<string, string> = {
  accounts: 'account.read',
  artifacts: 'artifact.read',
  components: 'component.read',
  constraints: 'constraint.read',
  entitlements: 'entitlement.read',
  environments: 'environment.read',
  groups: 'group.read',
  keys: 'key.read',
  licenses: 'license.read',
  machines: 'machine.read',
  packages: 'package.read',
  policies: 'policy.read',
  processes: 'process.read',
  products: 'product.read',
  releases: 'release.read',
  'second-factors': 'user.second-factors.read',
  settings: 'account.read',
  tokens: 'token.read',
  users: 'user.read',
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The facts of one record (entity or view); unknown fields are null. */
export function resourceFacts(record: unknown): ResourceFacts {
  const r = (record ?? {}) as Record<string, unknown>;
  return {
    id: str(r.id),
    productId: str(r.productId),
    policyId: str(r.policyId),
    machineId: str(r.machineId),
    role: str(r.role),
    bearerType: str(r.bearerType),
    bearerId: str(r.bearerId),
  };
}

async function readsOne(
  productId: string,
  type: string,
  f: ResourceFacts,
  lookups: ProductReadLookups,
): Promise<boolean> {
  switch (type) {
    case 'products':
      return f.id === productId;
    case 'accounts':
    case 'entitlements':
    case 'groups':
      return true;
    case 'environments':
    case 'second-factors':
    case 'settings':
      return false;
    case 'users':
      return f.role === 'user';
    case 'keys':
      return f.productId !== null
        ? f.productId === productId
        : f.policyId !== null && (await lookups.policyProductId(f.policyId)) === productId;
    case 'components':
    case 'processes':
      return f.productId !== null
        ? f.productId === productId
        : f.machineId !== null && (await lookups.machineProductId(f.machineId)) === productId;
    case 'tokens':
      switch (f.bearerType) {
        case 'products':
          return f.bearerId === productId;
        case 'licenses':
          return f.bearerId !== null && (await lookups.licenseProductId(f.bearerId)) === productId;
        case 'users':
          return f.bearerId !== null && (await lookups.userHoldsProduct(f.bearerId, productId));
        default:
          return false;
      }
    default:
      // Licenses, machines, policies, releases, artifacts, packages: their own product.
      return f.productId === productId;
  }
}

/** Keygen's `allowed_to?(show? | index?, resource, bearer: product)` for webhook fan-out. */
export async function productMayRead(
  product: { id: string; permissions: readonly string[] },
  type: string,
  facts: readonly ResourceFacts[],
  lookups: ProductReadLookups,
): Promise<boolean> {
  const permission = READ_PERMISSION[type];
  if (permission && !effectiveBearerPermissions('product', product.permissions).has(permission)) {
    return false;
  }
  for (const f of facts) {
    if (!(await readsOne(product.id, type, f, lookups))) {
      return false;
    }
  }
  return true;
}
