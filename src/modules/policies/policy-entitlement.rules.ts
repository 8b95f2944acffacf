import type { ApiErrorItem } from '@app/common/errors/api-error';

const DOCS = 'https://keygen.sh/docs/api/entitlements/#entitlements-object-relationships';

/** An environment as the environment rules need it (null = global). */
export type EnvironmentRef = { id: string; isolationStrategy: 'ISOLATED' | 'SHARED' } | null;

/**
 * Whether a child record in `child` may point at an association living in `assocEnvId`
 * (spec 01 §3.3 rule 4): global → global; isolated → same; shared → same or global.
 */
export function environmentCompatible(child: EnvironmentRef, assocEnvId: string | null): boolean {
  if (child === null) {
    return assocEnvId === null;
  }
  if (child.isolationStrategy === 'ISOLATED') {
    return assocEnvId === child.id;
  }
  return assocEnvId === child.id || assocEnvId === null;
}

/** What one new policy-entitlement row is checked against. */
export interface AttachFacts {
  /** The entitlement exists in the account. */
  entitlementFound: boolean;
  /** The row's environment suits both the policy's and the entitlement's. */
  environmentCompatible: boolean;
  /** Already attached to the policy (or earlier in the same request). */
  taken: boolean;
}

function relationshipError(rel: string, code: string, detail: string): ApiErrorItem {
  return {
    detail,
    code,
    source: { pointer: `/data/relationships/${rel}` },
    links: { about: `${DOCS}-${rel}` },
  };
}

/**
 * Model errors of one `policy-entitlements` row, grouped by attribute in order of
 * first appearance like Keygen renders them: entitlement presence, environment,
 * then uniqueness (which joins the entitlement group).
 */
export function policyEntitlementErrors(f: AttachFacts): ApiErrorItem[] {
  const entitlement: ApiErrorItem[] = [];
  const environment: ApiErrorItem[] = [];
  const order: ApiErrorItem[][] = [];
  const add = (group: ApiErrorItem[], item: ApiErrorItem): void => {
    if (group.length === 0) {
      order.push(group);
    }
    group.push(item);
  };
  if (!f.entitlementFound) {
    add(entitlement, relationshipError('entitlement', 'ENTITLEMENT_NOT_FOUND', 'must exist'));
  }
  if (!f.environmentCompatible) {
    add(
      environment,
      relationshipError(
        'environment',
        'ENVIRONMENT_NOT_ALLOWED',
        'must be compatible with entitlement environment',
      ),
    );
  }
  if (f.taken) {
    add(entitlement, relationshipError('entitlement', 'ENTITLEMENT_TAKEN', 'already exists'));
  }
  return order.flat();
}
